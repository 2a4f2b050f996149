"""Template filters for the pages: endnote text with its links, and money as people read it."""

from __future__ import annotations

import re
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ITALIC_RE = re.compile(r"\*([^*\n]+?)\*")


def _url_pattern(url: str) -> re.Pattern:
    """The cleaned URL as it may appear in print: a stray space allowed between characters.

    The dataset cleans URLs the PDF broke with a space (note 71) and keeps the printed
    text as it is, so the printed form is found by allowing that space back.
    """
    return re.compile(r"\s?".join(re.escape(ch) for ch in url))


def _inline(text: str) -> str:
    """Escape ``text``, then render the dataset's markdown italics (``*Diplomat*``) as <em>."""
    return ITALIC_RE.sub(r"<em>\1</em>", escape(text))


@register.filter
def endnote_html(note) -> SafeString:
    """An endnote's text exactly as printed, with its URLs as links and its italics.

    Only the URLs the dataset lists for the note become links (href: the cleaned URL);
    everything else is escaped, so nothing in the text can inject markup.
    """
    text = note.text
    spans: list[tuple[int, int, str]] = []
    for url in note.urls or []:
        if not url.lower().startswith(("http://", "https://")):
            continue  # only web links become links: never a javascript: or data: href
        match = _url_pattern(url).search(text)
        if match and not any(s < match.end() and match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), url))
    spans.sort()
    out, pos = [], 0
    for start, end, url in spans:
        out.append(_inline(text[pos:start]))
        out.append(f'<a href="{escape(url)}" rel="external noopener">{escape(text[start:end])}</a>')
        pos = end
    out.append(_inline(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@register.filter
def italics(text: str) -> SafeString:
    """Escaped text with markdown italics rendered (source titles, endnote excerpts)."""
    return mark_safe(_inline(text or ""))  # noqa: S308 - escaped in _inline


# Curators wrote some remarks in the data's own terms ("year_ordered is null"); a reader
# meets them in words. Applied to the escaped text, in order.
REMARK_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(p), words)
    for p, words in (
        (r" \(the slug&#x27;s \d{4} is the start of that range\)", ""),
        (r" \(event [a-z0-9-]+\)", ""),
        (r"The figures themselves belong to figures\.yaml\.", "The figures themselves are recorded as figures."),
        (r"\bdelivery_years gives\b", "the delivery years give"),
        (r"\bdate is null\b", "no date is recorded"),
        (r"\bdate is when\b", "the date is when"),
        (r"\bthe period field places it\b", "its period places it"),
        (r"\bthe title field\b", "the title"),
        (r"\byear_ordered is null\b", "no year of order is recorded"),
        (r"\bnumber_delivered (\d+)", r"the number delivered (\1)"),
        (r"\byear_ordered\b", "the year of order"),
        (r"\bnumber_delivered\b", "the number delivered"),
        (r"\bnumber_ordered\b", "the number ordered"),
        (r"\bdelivery_years\b", "the delivery years"),
        (r"\bvalue_usd_low\b", "the low value"),
        (r"\bvalue_usd_high\b", "the high value"),
        (r"\bvalue_usd\b", "the value"),
        (r"(^|\. )value is\b", r"\1the value is"),
    )
]
SENTENCE_START = re.compile(r"(^|\. )(the |no |its )")


@register.filter
def remark(text: str) -> SafeString:
    """A curator's remark for readers: the data's field names in words, italics rendered."""
    html = _inline(text or "")
    for pattern, words in REMARK_WORDS:
        html = pattern.sub(words, html)
    html = SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).capitalize(), html)
    return mark_safe(html)  # noqa: S308 - escaped in _inline; the replacements are plain words


def _money(value: Decimal) -> str:
    value = Decimal(value)
    for size, word in ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million")):
        if value >= size:
            number = (value / size).quantize(Decimal("0.01")).normalize()
            return f"${number:f} {word}"
    return f"${int(value):,}"


@register.filter
def usd(value) -> str:
    """Whole US dollars as the report prints them: 2500000000 is "$2.5 billion"."""
    if value is None or value == "":
        return ""
    return _money(value)


@register.simple_tag
def value_range(record) -> str:
    """A record's value: exact, a low-high range, or empty; "about" when the report hedges."""
    if record.value_usd is not None:
        text = _money(record.value_usd)
    elif record.value_usd_low is not None and record.value_usd_high is not None:
        text = f"{_money(record.value_usd_low)} to {_money(record.value_usd_high)}"
    elif record.value_usd_low is not None:
        text = f"at least {_money(record.value_usd_low)}"
    elif record.value_usd_high is not None:
        text = f"up to {_money(record.value_usd_high)}"
    else:
        return ""
    return f"about {text}" if record.value_approximate else text


@register.filter
def figure_value(figure) -> str:
    """A figure's value with its unit and the report's hedge word ("nearly 80 percent")."""

    def fmt(v: Decimal) -> str:
        if figure.unit == "usd":
            return _money(v)
        number = f"{Decimal(v).normalize():f}"
        return f"{number} percent" if figure.unit == "percent" else number

    if figure.value is not None:
        text = fmt(figure.value)
    elif figure.value_low is not None and figure.value_high is not None:
        text = f"{fmt(figure.value_low)} to {fmt(figure.value_high)}"
    else:
        text = fmt(figure.value_low if figure.value_low is not None else figure.value_high)
    return f"{figure.qualifier} {text}" if figure.qualifier else text
