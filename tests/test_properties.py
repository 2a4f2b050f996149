"""Property tests (Hypothesis): the parsers never crash on any input.

Either they return a value that keeps their own invariants, or they raise their own
clear error; never anything else.
"""

import string

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from ground.fuzzy_dates import parse_fuzzy_date
from sources.importer import EndnoteImportError, parse_endnotes

EDTF_ALPHABET = string.digits + "-/~?%X.u "
edtf_like = st.text(alphabet=EDTF_ALPHABET, max_size=25)
years = st.integers(min_value=1, max_value=9999).map(lambda y: f"{y:04d}")


@settings(max_examples=400, deadline=None)
@given(st.one_of(edtf_like, st.text(max_size=25), years, st.tuples(years, years).map("/".join)))
def test_fuzzy_date_parser_returns_ordered_bounds_or_a_clear_error(value):
    try:
        fuzzy = parse_fuzzy_date(value)
    except ValidationError as exc:
        assert exc.messages  # noqa: PT017 - a property: either outcome is allowed, each with its own check
        assert all(message.strip() for message in exc.messages)  # noqa: PT017 - a property: either outcome is allowed, each with its own check
    else:
        assert fuzzy.start <= fuzzy.end
        assert fuzzy.precision in {"day", "month", "season", "year", "decade", "interval"}


superscripts = "¹²³⁴⁵⁶⁷⁸⁹⁰"
note_line = st.builds(
    lambda n, body: f"{n} {body}",
    st.one_of(st.integers(1, 12).map(str), st.integers(1, 12).map(lambda n: f"{n}."), st.sampled_from(superscripts)),
    st.one_of(
        st.just("*Ibid.*, 8."),
        st.just("Meick, 12."),
        st.just("Ethan Meick, “China-Russia Relations,” *USCC*, March 20, 2017, 3. <https://example.org/a>"),
        st.text(max_size=60),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(note_line, max_size=8).map("\n\n".join)))
def test_endnote_parser_returns_notes_or_names_the_problem(text):
    try:
        result = parse_endnotes(text)
    except EndnoteImportError as exc:
        assert str(exc).strip()  # noqa: PT017 - a property: either outcome is allowed, each with its own check
    else:
        numbers = [note.number for note in result.notes]
        assert numbers == list(range(1, len(numbers) + 1))
