"""An entry's list item, written in Python (``timeline.entries.entry_html``), is the markup
of the template it replaced (``entry_reference.html`` beside this file), for every record
of the report and for the values the report does not have (no date, no endnote, markup in
a title)."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template

from ground.plan_cache import PREPARE_AFTER
from periods.models import Event
from timeline import selectors, summaries
from timeline.entries import entries_for, entry_for
from timeline.filters import TimelineQuery
from timeline.lanes import timeline_chart
from timeline.record_types import RECORD_TYPES
from transfers.models import Transfer

pytestmark = pytest.mark.django_db

REFERENCE = Template((Path(__file__).parent / "entry_reference.html").read_text())


def reference(entry) -> str:
    return REFERENCE.render(Context({"entry": entry}))


def test_every_entry_of_the_report_is_the_templates_markup():
    entries = [entry_for(r) for r in selectors.timeline(TimelineQuery(undated=True))]
    assert len(entries) > 100
    kinds = {e.kind for e in entries}
    assert kinds == {"event", "transfer", "project", "figure", "analysis"}
    for entry in entries:
        assert entry.html == reference(entry), entry.title


def test_entries_read_with_endnote_keys_are_the_entries_read_with_citations(django_assert_num_queries):
    """What the pages list (citations read as keys, ``entries_for``) is what the citation
    instances give, for every record of the report: endnotes, their order and addresses,
    pinpoints, and so the whole list item."""
    query = TimelineQuery(undated=True)
    expected = [entry_for(r) for r in selectors.timeline(query)]
    records = list(selectors.timeline(query, citations=False))
    for _ in range(PREPARE_AFTER):  # PostgreSQL: each statement prepared on a connection's second run
        entries_for(records)
    ContentType.objects.clear_cache()  # a process's first page counts the same
    with django_assert_num_queries(5):  # one per record type
        entries = entries_for(records)
    assert [e.endnotes for e in entries] == [e.endnotes for e in expected]
    assert sum(len(e.endnotes) for e in entries) >= 120  # the report's timeline records cite 120 times
    assert [e.html for e in entries] == [e.html for e in expected]


def test_an_entry_without_date_endnotes_or_summary_and_with_markup_in_its_title():
    event = Event.objects.filter(date_start__isnull=False).first()
    event.title = 'A <b>"bold"</b> & odd title'
    event.date_text, event.date_edtf, event.date_start, event.date_end = "", "", None, None
    event.period = None
    event.description = ""
    event.timeline_type = "event"
    entry = entry_for(event)
    entry.__dict__["endnotes"] = []  # as a record citing nothing shows
    html = entry.html
    assert html == reference(entry)
    assert "&lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; odd title" in html
    assert "the report gives no date" in html
    assert "No endnote" in html


def test_a_transfer_entry_names_its_direction_and_one_endnote_in_the_singular():
    transfer = Transfer.objects.exclude(direction="other").first()
    transfer.timeline_type = "transfer"
    entry = entry_for(transfer)
    entry.__dict__["endnotes"] = entry.endnotes[:1]
    html = entry.html
    assert html == reference(entry)
    assert f'direction--{transfer.direction}">' in html
    assert "Endnote\n" in html


@pytest.mark.parametrize("kind", list(RECORD_TYPES))
def test_a_record_types_page_urls_are_its_records_own_addresses(kind):
    records = RECORD_TYPES[kind].model.objects.all()
    assert records
    url = RECORD_TYPES[kind].page_urls()
    assert [url(slug=r.slug) for r in records] == [r.get_absolute_url() for r in records]


def test_entries_and_chart_marks_link_to_their_records_pages():
    query = TimelineQuery(undated=True)
    records = list(selectors.timeline(query, citations=False))
    assert [e.url for e in entries_for(records)] == [r.get_absolute_url() for r in records]
    periods = summaries.period_summaries()
    marks = selectors.timeline_marks(query, periods)
    chart = timeline_chart(marks, periods, query)
    drawn = sorted(m.href for lane in chart.lanes for m in lane.marks)
    assert drawn == sorted(r.get_absolute_url() for records, _ in marks.values() for r in records)
