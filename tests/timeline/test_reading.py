"""What a reader sees on the pages: dates, numbers, titles and remarks in plain words."""

import re

import pytest

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return response.content.decode()


def test_dates_read_as_people_write_them(client):
    event = text_of(client.get("/events/2008-ip-agreement/"))
    assert '<span class="record__date">11 December 2008</span>' in event  # the report prints "December 11"
    su27 = text_of(client.get("/transfers/su-27-1992-2006/"))
    assert '<span class="record__date">1992-2006 (the report gives no year)</span>' in su27
    home = text_of(client.get("/?undated=1"))
    assert '<p class="entry__date">around 2006</p>' in home
    assert '<p class="entry__date">by 2008</p>' in home
    assert '<p class="entry__date">1992-2006 (the report gives no year)</p>' in home
    assert "undated</span>" not in home
    assert not re.search(r'entry__date">\d{4}-\d{2}-\d{2}<', home)  # no ISO dates


def test_numbers_have_their_units_and_silence_is_not_zero(client):
    s400 = text_of(client.get("/transfers/s-400-2015/"))
    assert "<dd>1 regiment</dd>" in s400
    assert "<dd>2 regiments</dd>" in s400
    su27 = text_of(client.get("/transfers/su-27-1992-2006/"))
    assert "<dt>Number delivered</dt>\n      <dd>not stated in the report</dd>" in su27


def test_titles_tell_records_apart(client):
    home = text_of(client.get("/?undated=1"))
    assert ">AL-31F: aircraft engine (150 engines)</a>" in home
    assert ">AL-31F: aircraft engine (140 engines)</a>" in home
    assert "UAV technology: UAV technology" not in home
    assert ">UAV technology</a>" in home


def test_curator_remarks_are_apart_and_written_for_readers(client):
    s400 = text_of(client.get("/transfers/s-400-2015/"))
    note = s400.split('<aside class="curator-note"', 1)[1].split("</aside>", 1)[0]
    assert "used as the year of order" in note
    assert "The number delivered (1) counts" in note
    fields = s400.split('<dl class="fields">', 1)[1].split("</dl>", 1)[0]
    assert "Contradiction" not in fields  # the remark is not one of the record's fields
    for field_name in ("year_ordered", "number_delivered", "delivery_years", "date is null"):
        assert field_name not in s400
    sources = text_of(client.get("/sources/"))
    diplomat = re.search(r'href="(/sources/[^"]+/)"[^>]*>[^<]*Chinese PLA Personnel', sources)
    page = text_of(client.get(diplomat.group(1)))
    assert "<em>Diplomat</em>" in page
    assert "*Diplomat*" not in page
