"""The chart's row packing (``timeline.lanes._pack``) is first fit: each mark in the first
row where it and its label fit, whatever shortcut finds that row."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.lanes import CHAR_WIDTH, WIDTH, Mark, _pack


def first_fit(marks: list[Mark]) -> int:
    """The packing as first written: every row looked at for every mark."""
    rows_end: list[float] = []
    for mark in marks:
        label_width = len(mark.label) * CHAR_WIDTH
        right = mark.x_end + (7 if mark.point else 4)
        left = mark.x - (7 if mark.point else 4)
        if right + label_width <= WIDTH - 2:
            mark.label_x, extent = right, (mark.x - 6, right + label_width)
        elif left - label_width >= 2:
            mark.label_x, mark.label_anchor, extent = left, "end", (left - label_width, mark.x_end + 6)
        else:
            mark.label_x, extent = mark.x + 6, (mark.x - 6, max(mark.x_end, mark.x + 6 + label_width) + 6)
            mark.label_inside, mark.label_width = True, round(label_width + 6, 2)
        mark.row = next((i for i, end_x in enumerate(rows_end) if end_x + 6 <= extent[0]), len(rows_end))
        if mark.row == len(rows_end):
            rows_end.append(0)
        rows_end[mark.row] = extent[1]
    return len(rows_end)


@st.composite
def marks(draw) -> list[Mark]:
    out = []
    for _ in range(draw(st.integers(0, 60))):
        x = round(draw(st.floats(12, WIDTH - 12)), 2)
        point = draw(st.booleans())
        width = 0 if point else round(draw(st.floats(3, WIDTH)), 2)
        label = "x" * draw(st.integers(0, 44))
        out.append(
            Mark(
                href="/", title="t", label=label, x=x, x_end=min(x + width, WIDTH - 12), point=point, period_only=False
            )
        )
    return out


@settings(max_examples=400, deadline=None)
@given(marks())
def test_every_mark_lands_where_first_fit_puts_it(drawn):
    ours, reference = copy.deepcopy(drawn), copy.deepcopy(drawn)
    assert _pack(ours) == first_fit(reference)
    assert [vars(m) for m in ours] == [vars(m) for m in reference]


def test_marks_that_all_overlap_take_a_row_each_and_later_ones_reuse_them():
    wide = [
        Mark(href="/", title="t", label="x" * 40, x=20 + i, x_end=30 + i, point=False, period_only=False)
        for i in range(5)
    ]
    later = Mark(href="/", title="t", label="y", x=700, x_end=710, point=False, period_only=False)
    assert _pack([*wide, later]) == 5
    assert [m.row for m in wide] == [0, 1, 2, 3, 4]
    assert later.row == 0
