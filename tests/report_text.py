"""The report's body as the passage tests read it (from the fixture copy of the report).

The text file renders the PDF's in-text hyperlinks as markdown (``[notes](#)``), escapes
dollar signs (``\\$``) and marks italics (``*Lada*``); the printed page shows the bare
words. Passages are stored as printed, so the body is read the same way: links and
italics unwrapped, escapes dropped, runs of whitespace (line and page breaks) as one
space. Endnote markers stay: ``⁴⁵`` is note 45.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

REPORT = Path(__file__).parent / "sources" / "fixtures" / "sino-russian-mtc-primer-2020.txt"
SHARED_REPORT = Path("/work/shared/report/sino-russian-mtc-primer-2020.txt")
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_DIGITS = str.maketrans(SUPERSCRIPTS, "0123456789")


def normalise(text: str) -> str:
    """Printed form of report text: link and italic markup unwrapped, whitespace collapsed."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = text.replace("\\$", "$")
    text = re.sub(r"\*([^*\n]+)\*", r"\1", text)
    return " ".join(text.split())


@cache
def body() -> str:
    """The report before its ENDNOTES heading, normalised."""
    return normalise(REPORT.read_text(encoding="utf-8").split("\nENDNOTES\n")[0])


def marker(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", SUPERSCRIPTS))


def marker_positions() -> dict[int, list[int]]:
    """Endnote number -> where its marker starts in ``body()``."""
    found: dict[int, list[int]] = {}
    for match in re.finditer(f"[{SUPERSCRIPTS}]+", body()):
        found.setdefault(int(match.group().translate(_TO_DIGITS)), []).append(match.start())
    return found


def followed_by_marker(passage: str, number: int) -> bool:
    """Whether ``passage`` occurs in the body immediately followed by note ``number``'s marker
    (and not by a longer number that starts with the same digits)."""
    text, tail = body(), marker(number)
    start = text.find(passage + tail)
    while start >= 0:
        after = start + len(passage) + len(tail)
        if after >= len(text) or text[after] not in SUPERSCRIPTS:
            return True
        start = text.find(passage + tail, start + 1)
    return False
