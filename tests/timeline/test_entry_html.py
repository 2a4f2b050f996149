"""An entry's list item, written in Python (``timeline.entries.entry_html``), is the markup
of the template it replaced (``entry_reference.html`` beside this file), for every record
of the report and for the values the report does not have (no date, no endnote, markup in
a title)."""

from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template

from periods.models import Event
from timeline import selectors
from timeline.entries import entries_for, entry_for
from timeline.filters import TimelineQuery
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
