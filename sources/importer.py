"""Parse a report-style numbered endnote list into endnotes and deduplicated works.

No package parses the free-form notes of a think-tank report (Chicago-like but
inconsistent: "Ibid.", "Meick, 12", several works joined by ";", a title printed in
straight or curly quotes, URLs in angle brackets or bare, a URL broken by a space, a
truncated last note), so this module is written by hand. It is pure: it reads text and
returns ``ParsedNote``/``WorkDraft`` objects, or raises ``EndnoteImportError`` naming
the note and the rule it breaks; ``sources.import_services`` writes the result.

How a note is read:

1. The list is split into notes at lines starting with a note number: Unicode
   superscripts (``¹²``), ``12.`` or ``12``. The first note fixes the style. Lines
   without a number continue the current note (a PDF puts URLs on their own line);
   a line starting with a four-digit number is a year carried over, never a note
   number. Lines of one note are joined by one space, so the text is as printed.
2. A note is split at top-level semicolons (not inside quotes, italics or URLs) into
   the works it cites.
3. Each work is either "Ibid." (the last work of the previous note, or the previous
   work of the same note), a short form (only author(s), perhaps a title, and pages,
   resolved to a work seen earlier), or a full citation (parsed into CSL-like fields
   and deduplicated against works seen earlier by authors and title, or URL).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPER_TO_DIGIT = str.maketrans(SUPERSCRIPTS, "0123456789")
_SUPER_MARKER = re.compile(rf"^([{SUPERSCRIPTS}]+)\s*(.*)$")
_ASCII_MARKER = re.compile(r"^(\d{1,4})(?:\.(?!\d)|\s)\s*(.*)$")
_HEADING = re.compile(r"^(end)?notes:?$", re.IGNORECASE)

_IBID = re.compile(r"^\*?ibid\.?\*?\.?(?:,\s*(?P<pages>.*?))?\.?$", re.IGNORECASE)
_ANGLE_URL = re.compile(r"\s*<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"https?://\S+")
_PROTECTED = re.compile(r"<[^>]*>|“[^”]*”|\"[^\"]*\"|\*[^*]+\*|https?://\S+")
_TOKEN = re.compile(r"“(?P<cq>.*?)”|\"(?P<sq>.*?)\"|\*(?P<it>[^*]+?)\*")
_PAGE = re.compile(r"^\d+(?:[-–]\d+)?$")
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_MONTH_DAY = re.compile(rf"^({'|'.join(MONTHS)})(?:\s+(\d{{1,2}}))?$")
_MONTH_YEAR = re.compile(rf"^(?:({'|'.join(MONTHS)})\s+)?(?:(\d{{1,2}}),\s+)?(\d{{4}})$")
_PAREN_DATE = re.compile(r"^(?P<pre>.*?)\s*\((?P<date>[^)]+)\)(?::\s*(?P<pages>[\d,\s\-–]+))?$")
_ET_AL = re.compile(r"\s*,?\s*\bet\.?\s+al\.?$", re.IGNORECASE)
_EDS = re.compile(r"\s*,?\s*\(?\beds?\.?\)?$", re.IGNORECASE)
_SPEECH = re.compile(
    r"^(?:(?:written|oral|prepared)\s+)?(?:testimony|remarks|speech|statement|address|keynote)\s+(?:of|by)\s+"
    r"(?P<name>[A-Z][\w.'\- ]+)$",
    re.IGNORECASE,
)
# Words that make a name an organisation (a corporate author, or a publisher printed in
# italics where a periodical's name would go).
ORG_WORDS = re.compile(
    r"\b(Commission|Center|Centre|Council|Institute|Institution|Foundation|Department|Office|Ministry|Agency|"
    r"University|Endowment|Bureau|Corporation|Administration|Committee|Service|Organization|Organisation|"
    r"Association|Program|Programme)\b"
)


class EndnoteImportError(ValueError):
    """Malformed input; the message names the note (or line) and the rule it breaks."""


@dataclass
class WorkDraft:
    """A work as the importer understands it (Source fields), before it is written."""

    kind: str
    title: str
    authors: list[dict[str, str]] = field(default_factory=list)
    editors: list[dict[str, str]] = field(default_factory=list)
    container_title: str = ""
    collection_title: str = ""
    publisher: str = ""
    publisher_place: str = ""
    date_edtf: str = ""
    url: str = ""
    stub: bool = False  # known only from a short form: the full citation never appears

    @property
    def author_keys(self) -> tuple[str, ...]:
        return author_keys(self.authors)

    @property
    def identity(self) -> tuple[tuple[str, ...], str]:
        return self.author_keys, normalize_title(self.title)

    def fill_blanks_from(self, other: WorkDraft) -> None:
        """A later full citation of the same work may give what an earlier one left out."""
        for name in ("container_title", "collection_title", "publisher", "publisher_place", "date_edtf", "url"):
            if not getattr(self, name) and getattr(other, name):
                setattr(self, name, getattr(other, name))
        if not self.editors and other.editors:
            self.editors = other.editors


@dataclass
class ParsedWork:
    draft: WorkDraft
    pinpoint: str
    form: str  # full | short | ibid


@dataclass
class ParsedNote:
    number: int
    text: str
    line: int
    urls: list[str] = field(default_factory=list)
    ibid_of: int | None = None
    works: list[ParsedWork] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


@dataclass
class ParseResult:
    notes: list[ParsedNote]
    works: list[WorkDraft]
    unresolved: list[str]
    warnings: list[str]


def author_keys(names: list[dict[str, str]]) -> tuple[str, ...]:
    return tuple((n.get("family") or n.get("literal") or "").casefold() for n in names)


def normalize_title(title: str) -> str:
    text = title.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip(" .,;:").casefold()


# --- 1. splitting the list into notes -------------------------------------------------


def split_notes(text: str) -> list[tuple[int, str, int]]:
    """``[(number, text as printed, line number)]``; raises on gaps, disorder, empty notes."""
    notes: list[tuple[int, list[str], int]] = []
    style: str | None = None
    for line_number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        number, rest, line_style = _marker(line, style)
        if number is None:
            if not notes:
                if _HEADING.match(line):
                    continue
                raise EndnoteImportError(
                    f"Line {line_number} is not part of a numbered note: '{line[:60]}'. "
                    "The list must start with note 1 (numbered '¹', '1.' or '1')."
                )
            notes[-1][1].append(line)
            continue
        style = style or line_style
        expected = notes[-1][0] + 1 if notes else 1
        if number != expected:
            if number > expected:
                missing = f"note {expected}" if number == expected + 1 else f"notes {expected}-{number - 1}"
                after = f"after note {expected - 1}" if notes else "at the start of the list"
                raise EndnoteImportError(
                    f"Gap in numbering at line {line_number}: {missing} missing {after} (found note {number})."
                )
            raise EndnoteImportError(
                f"Note {number} at line {line_number} is out of order: it follows note {expected - 1}; "
                "notes must run 1, 2, 3... without repeats."
            )
        notes.append((number, [rest] if rest else [], line_number))
    if not notes:
        raise EndnoteImportError("No numbered notes found: the list must start with note 1 ('¹', '1.' or '1').")
    result = []
    for number, lines, line_number in notes:
        joined = " ".join(lines).strip()
        if not joined:
            raise EndnoteImportError(f"Note {number} (line {line_number}) is empty: it has a number but no text.")
        result.append((number, joined, line_number))
    return result


def _marker(line: str, style: str | None) -> tuple[int | None, str, str]:
    if style in (None, "super"):
        match = _SUPER_MARKER.match(line)
        if match:
            return int(match.group(1).translate(_SUPER_TO_DIGIT)), match.group(2).strip(), "super"
    if style in (None, "ascii"):
        match = _ASCII_MARKER.match(line)
        # A four-digit number starting a line is a year carried over from the line before.
        if match and len(match.group(1)) < 4:
            return int(match.group(1)), match.group(2).strip(), "ascii"
    return None, "", style or ""


# --- 2. splitting a note into works ---------------------------------------------------


def split_works(text: str) -> list[str]:
    """Split at semicolons outside quotes, italics and URLs."""
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    pieces, start = [], 0
    for index, char in enumerate(text):
        if char == ";" and not any(a <= index < b for a, b in protected):
            pieces.append(text[start:index])
            start = index + 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


# --- 3. reading one work --------------------------------------------------------------


@dataclass
class _Citation:
    """What one work's text says, before it is resolved against works seen earlier."""

    names: list[str]
    title: str = ""
    pages: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    url_had_space: bool = False
    draft_fields: dict = field(default_factory=dict)
    editors: list[str] = field(default_factory=list)
    kind_hint: str = ""
    italic_title: bool = False
    extras: list[str] = field(default_factory=list)

    @property
    def is_short(self) -> bool:
        return not (self.urls or self.draft_fields or self.editors or self.extras or self.kind_hint)


def extract_urls(text: str) -> tuple[str, list[str], bool]:
    """Remove the URLs from a work's text; return (rest, cleaned URLs, a URL had a space)."""
    urls: list[str] = []
    had_space = False

    def angle(match: re.Match) -> str:
        urls.append(match.group(1))
        return ""

    text = _ANGLE_URL.sub(angle, text)
    match = _BARE_URL.search(text)
    if match:
        url = match.group(0)
        tail = text[match.end() :]
        # A PDF can break a long URL with a space: a last token made of URL characters
        # (with a digit, and no sentence punctuation) right after a bare URL belongs to it.
        glued = re.fullmatch(r"\s+([A-Za-z0-9_\-%=&?/~]+)\s*", tail)
        if glued and re.search(r"\d", glued.group(1)):
            url += glued.group(1)
            tail = ""
            had_space = True
        urls.append(url.rstrip(".,;)"))
        text = text[: match.start()] + tail
    return text, urls, had_space


def tokenize(text: str) -> list[tuple[str, str]]:
    """``[(kind, value)]`` with kind ``quote``, ``italic`` or ``plain`` (plain split at commas)."""
    tokens: list[tuple[str, str]] = []

    def plain(chunk: str) -> None:
        for part in chunk.split(","):
            part = part.strip()
            if part.strip("."):
                tokens.append(("plain", part))

    position = 0
    for match in _TOKEN.finditer(text):
        plain(text[position : match.start()])
        if match.group("it") is not None:
            tokens.append(("italic", match.group("it").strip()))
        else:
            value = match.group("cq") if match.group("cq") is not None else match.group("sq")
            tokens.append(("quote", value.strip().rstrip(",.").strip()))
        position = match.end()
    plain(text[position:])
    return tokens


def _edtf(month: str | None, day: str | None, year: str) -> str:
    if not month:
        return year
    value = f"{year}-{MONTHS.index(month) + 1:02d}"
    return f"{value}-{int(day):02d}" if day else value


def _is_org(name: str) -> bool:
    return bool(ORG_WORDS.search(name)) or name.startswith("U.S.")


def parse_names(tokens: list[str], *, short: bool) -> list[dict[str, str]]:
    """Authors printed before the title: 'Paul N. Schwartz', 'Korolev, Alexander', 'A and B'."""
    tokens = [_ET_AL.sub("", t).strip() for t in tokens]
    tokens = [t for t in tokens if t and not re.search(r"\d", t)]  # "Chapter 4", "Section 2"
    if not short and len(tokens) == 2 and all(" " not in t for t in tokens) and not any(map(_is_org, tokens)):
        return [{"family": tokens[0], "given": tokens[1]}]  # printed family name first
    names: list[dict[str, str]] = []
    for token in tokens:
        parts = [token] if _is_org(token) else re.split(r"\s+(?:and|&)\s+", token)
        for part in parts:
            part = part.strip()
            if not part:
                continue
            if _is_org(part) or (" " not in part and not short):
                names.append({"literal": part})
            elif " " not in part:
                names.append({"family": part})
            else:
                given, family = part.rsplit(" ", 1)
                names.append({"family": family, "given": given})
    return names


def read_work(text: str) -> _Citation:  # noqa: C901 - one branch per field of a printed citation
    """Read one work's text into what it says (names, title, pages, fields)."""
    rest, urls, had_space = extract_urls(text)
    rest = re.sub(r"[\s.,]+$", "", rest.strip())
    tokens = tokenize(rest)
    pages: list[str] = []
    while tokens and tokens[-1][0] == "plain" and _PAGE.match(tokens[-1][1]) and not _YEAR.match(tokens[-1][1]):
        pages.insert(0, tokens.pop()[1])
    title_at = next((i for i, (kind, _) in enumerate(tokens) if kind in {"quote", "italic"}), len(tokens))
    names = [value for kind, value in tokens[:title_at]]
    cite = _Citation(names=names, pages=pages, urls=urls, url_had_space=had_space)
    if title_at == len(tokens):
        return cite
    title_kind, cite.title = tokens[title_at]
    fields: dict[str, str] = {}
    expecting_container = False
    date = ""
    after = tokens[title_at + 1 :]
    index = 0
    while index < len(after):
        kind, value = after[index]
        index += 1
        if kind == "plain" and (value == "in" or value.startswith("in ")):
            cite.kind_hint = "chapter"
            expecting_container = True
            editors = _EDS.sub("", value[2:].strip())
            if editors:
                cite.editors.extend(t.strip() for t in editors.split(",") if t.strip())
            continue
        if kind == "plain" and re.fullmatch(r"\(?eds?\.?\)?", value, re.IGNORECASE):
            continue
        if kind in {"quote", "italic"}:
            if expecting_container or (kind == "italic" and not _is_org(value) and "container_title" not in fields):
                fields["container_title"] = value
                expecting_container = False
            elif kind == "italic" and _is_org(value):
                fields["publisher"] = value
            else:
                cite.extras.append(value)
            continue
        month_day = _MONTH_DAY.match(value)
        if month_day and index < len(after) and _YEAR.match(after[index][1]):
            date = _edtf(month_day.group(1), month_day.group(2), after[index][1])
            index += 1
            continue
        month_year = _MONTH_YEAR.match(value)
        if month_year and not date:
            date = _edtf(*month_year.groups())
            continue
        paren = _PAREN_DATE.match(value)
        if paren and _MONTH_YEAR.match(paren.group("date")):
            date = _edtf(*_MONTH_YEAR.match(paren.group("date")).groups())
            if paren.group("pre"):
                cite.extras.append(paren.group("pre"))
            if paren.group("pages"):
                cite.pages = [p.strip() for p in paren.group("pages").split(",") if p.strip()] + cite.pages
            continue
        cite.extras.append(value)
    if date:
        fields["date_edtf"] = date
    cite.draft_fields = fields
    cite.italic_title = title_kind == "italic"
    return cite


def _title_match(short: str, full: str) -> str:
    """'' (no match), 'same' (equal, or the short title begins the full one) or 'similar'."""
    a, b = normalize_title(short), normalize_title(full)
    if not a or a == b or b.startswith(a + ":") or b.startswith(a + " "):
        return "same"
    # A title printed with a word missing ("Pentagon Budget Increases..." for "Pentagon
    # Budget Request Increases...") still names the same work by the same author.
    return "similar" if difflib.SequenceMatcher(None, a, b).ratio() >= 0.85 else ""


def build_draft(cite: _Citation) -> WorkDraft:
    """Turn a full citation into a work: its kind and fields, from the shape of the note."""
    fields = dict(cite.draft_fields)
    extras = list(cite.extras)
    names = parse_names(cite.names, short=False)
    title = cite.title
    speech = next((e for e in extras if _SPEECH.match(e)), None)
    if speech:
        # "Org, *Event*, written testimony of Name, date": the speaker is the author, the
        # organisation printed first hosts the event (publisher), the event is the container.
        extras.remove(speech)
        kind = "speech"
        speaker = _SPEECH.match(speech).group("name").strip()
        fields["publisher"] = "; ".join(n.get("literal") or "" for n in names) or fields.get("publisher", "")
        fields.setdefault("container_title", title)
        names = parse_names([speaker], short=False)
        title = speech
    elif cite.kind_hint == "chapter":
        kind = "chapter"
    elif cite.italic_title:
        kind = "book" if extras and "publisher" not in fields else "report"
        if "container_title" in fields:  # an italic title followed by another italic
            extras.insert(0, fields.pop("container_title"))
    elif "container_title" in fields:
        kind = "article-magazine"  # a periodical: the note's form does not tell a newspaper from a magazine
    elif "publisher" in fields:
        kind = "report"
    elif "database" in title.casefold():
        kind = "dataset"
    elif cite.urls and cite.urls[0].lower().split("?")[0].endswith(".pdf"):
        kind = "report"
    elif cite.urls:
        kind = "webpage"
    else:
        kind = "article-magazine"  # a quoted title names a short work, most often an article
    if extras and "publisher" not in fields:
        fields["publisher"] = extras.pop(0)
    if extras:
        key = "publisher_place" if kind in {"book", "chapter"} else "collection_title"
        fields[key] = ", ".join(extras)
    return WorkDraft(
        kind=kind,
        title=title,
        authors=names,
        editors=parse_names(cite.editors, short=False) if cite.editors else [],
        url=cite.urls[0] if cite.urls else "",
        **fields,
    )


# --- 4. the whole list ----------------------------------------------------------------


def parse_endnotes(text: str) -> ParseResult:  # noqa: C901 - a line-oriented parser: one branch per kind of line
    """Parse a numbered endnote list; raise ``EndnoteImportError`` for malformed input."""
    works: list[WorkDraft] = []
    unresolved: list[str] = []
    warnings: list[str] = []
    notes: list[ParsedNote] = []
    for number, note_text, line in split_notes(text):
        note = ParsedNote(number=number, text=note_text, line=line)
        for position, piece in enumerate(split_works(note_text), start=1):
            ibid = _IBID.match(piece)
            if ibid:
                _read_ibid(note, notes, position, ibid.group("pages") or "")
                continue
            cite = read_work(piece)
            note.urls.extend(cite.urls)
            if cite.url_had_space:
                note.remarks.append("The URL is printed with a space inside it; removed in urls.")
                warnings.append(f"Note {number}: the URL is printed with a space inside it; joined.")
            pinpoint = ", ".join(cite.pages)
            if not cite.title and not cite.names:
                unresolved.append(f"Note {number}: '{piece}' names no author or title.")
                continue
            if cite.is_short:
                draft, message, warning = _resolve_short(cite, works)
                if warning:
                    warnings.append(f"Note {number}: {warning}")
                    note.remarks.append(warning)
                if message:
                    unresolved.append(f"Note {number}: {message}")
                    note.remarks.append(message)
                if draft is None:
                    continue
                if draft.stub and not any(w is draft for w in works):
                    works.append(draft)
                note.works.append(ParsedWork(draft, pinpoint, "short"))
                continue
            draft = build_draft(cite)
            same = next((w for w in works if w.identity == draft.identity or (draft.url and w.url == draft.url)), None)
            if same:
                same.fill_blanks_from(draft)
                draft = same
            else:
                works.append(draft)
            note.works.append(ParsedWork(draft, pinpoint, "full"))
        if re.search(r",[\"”]?$", note_text):
            note.remarks.append("The note ends with a comma: it may be truncated.")
            warnings.append(f"Note {number} ends with a comma: it may be truncated.")
        notes.append(note)
    return ParseResult(notes=notes, works=works, unresolved=unresolved, warnings=warnings)


def _read_ibid(note: ParsedNote, notes: list[ParsedNote], position: int, pages: str) -> None:
    """ "Ibid." repeats the previous work: the last of the previous note, or the one before it here."""
    if position == 1:
        previous = notes[-1] if notes else None
        if previous is None:
            raise EndnoteImportError(f"Note {note.number} is 'Ibid.' but there is no earlier note for it to repeat.")
        if not previous.works:
            raise EndnoteImportError(
                f"Note {note.number} is 'Ibid.' but note {previous.number} cites no work it could repeat."
            )
        repeated = previous.works[-1]
        note.ibid_of = previous.number
        note.remarks.append(f"Ibid. repeats note {previous.number}.")
    else:
        if not note.works:
            raise EndnoteImportError(
                f"Note {note.number}: 'Ibid.' in position {position} follows no work it could repeat."
            )
        repeated = note.works[-1]
    # "Ibid." without pages means the same work at the same place.
    note.works.append(ParsedWork(repeated.draft, pages.strip() or repeated.pinpoint, "ibid"))


def _resolve_short(cite: _Citation, works: list[WorkDraft]) -> tuple[WorkDraft | None, str, str]:
    """Resolve a short form to a work seen earlier: (work or None, unresolved message, warning)."""
    names = parse_names(cite.names, short=True)
    keys = author_keys(names)
    printed = ", ".join(cite.names) + (f", “{cite.title}”" if cite.title else "")
    by_author = [w for w in works if keys and w.author_keys[: len(keys)] == keys]
    matches = {id(w): _title_match(cite.title, w.title) for w in by_author}
    same = [w for w in by_author if matches[id(w)] == "same"]
    similar = [w for w in by_author if matches[id(w)] == "similar"]
    if len(same) == 1:
        return same[0], "", ""
    if not same and len(similar) == 1:
        found = similar[0]
        return (
            found,
            "",
            f"title “{cite.title}” differs from “{found.title}”; resolved to that work by the same author.",
        )
    if len(same) > 1:
        return None, f"short form '{printed}' matches {len(same)} earlier works; not resolved.", ""
    if cite.title:
        stub = WorkDraft(kind="article-magazine", title=cite.title, authors=names, stub=True)
        message = (
            f"short form '{printed}' matches no earlier full citation; "
            "recorded as a work known only by its author and title."
        )
        return stub, message, ""
    return None, f"short form '{printed}' matches no earlier work; not resolved.", ""
