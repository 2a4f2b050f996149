"""DRF's JSON renderer, encoding with orjson.

Why: an API page of 50 transfers is about 58 KB of JSON. ``json.dumps`` (what DRF's
``JSONRenderer`` calls) took 0.42-0.48 ms to encode it, orjson 0.03 ms, and the bytes
are the same. That is about a twentieth of an uncached list's time in the server.
drf-orjson-renderer swaps the encoder too, but its output is not DRF's. It writes
U+2028 and U+2029 raw, and DRF escapes them so the JSON can be embedded in a script.
It also encodes dates its own way. So the encoder is swapped here, inside DRF's
renderer, and everything orjson would write differently goes to DRF.
"""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.utils.encoders import JSONEncoder

# Dates, times and dataclasses are handed to DRF's encoder (``_default``), which writes
# them as DRF always has (a UTC datetime ends in "Z", microseconds cut to milliseconds).
OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
LINE_SEPARATOR, PARAGRAPH_SEPARATOR = "\u2028".encode(), "\u2029".encode()


class _Encoder(JSONEncoder):
    """DRF's encoder, which also writes rows stored as JSON (``orjson.Fragment``, from
    ``ground.stored_rows``): DRF's own path (an indented answer) decodes them first."""

    def default(self, obj):
        if isinstance(obj, orjson.Fragment):  # its bytes are what orjson writes for it
            return orjson.loads(orjson.dumps(obj))
        return super().default(obj)


class JSONRenderer(DRFJSONRenderer):
    """``rest_framework.renderers.JSONRenderer`` with the same output, encoded by orjson.

    The output is DRF's compact form: no spaces, non-ASCII characters as UTF-8, U+2028
    and U+2029 escaped. DRF encodes where orjson cannot give those bytes or refuses the
    data:
    - an indented answer (``Accept: application/json; indent=2``, the browsable API);
    - a renderer configured for ASCII or spaced output;
    - an integer beyond 64 bits, or nesting deeper than orjson's 254 levels.

    Two differences remain, and no field of ours has either:
    - A float with an exponent is spelled ``1e16``, where Python writes ``1e+16``. It is
      the same number.
    - NaN and infinity become ``null``. DRF refuses them with an error.
    """

    encoder_class = _Encoder  # DRF's own path (indented) too
    _encoder = _Encoder()

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if indent is not None or self.ensure_ascii or not self.compact:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            encoded = orjson.dumps(data, default=self._encoder.default, option=OPTIONS)
        except orjson.JSONEncodeError:  # too large an integer, too deep: DRF's encoder decides
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: these two are valid JSON but end a line in JavaScript.
        if LINE_SEPARATOR in encoded:
            encoded = encoded.replace(LINE_SEPARATOR, b"\\u2028")
        if PARAGRAPH_SEPARATOR in encoded:
            encoded = encoded.replace(PARAGRAPH_SEPARATOR, b"\\u2029")
        return encoded
