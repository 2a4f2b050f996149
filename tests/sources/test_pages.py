"""Endnote, source and document pages: the notes as printed, resolved, and what cites them."""

import pytest

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def test_endnote_page_shows_the_text_as_printed_with_links_and_italics(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/31/"))
    assert '<h1 id="note-title">Endnote 31</h1>' in page
    assert "Franz-Stefan Gady, “Chinese PLA Personnel Complete Training for S-400" in page
    assert "<em>Diplomat</em>" in page  # *Diplomat* as printed in italics
    url = "https://thediplomat.com/2019/07/chinese-pla-personnel-completes-training-for-s-400-air-defense-system-in-russia/"
    assert f'&lt;<a href="{url}" rel="external noopener">{url}</a>&gt;' in page  # brackets kept, as printed


def test_endnote_page_resolves_the_works_it_cites(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/31/"))
    works = page[page.index('id="works-heading"') : page.index('id="citing-heading"')]
    assert 'href="/sources/gady-2019-s400-training/"' in works
    assert 'href="/sources/meick-2017/"' in works
    assert "short form" in works  # Meick given in short form, resolved to the full work


def test_ibid_is_shown_as_the_work_it_repeats(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/4/"))
    assert "<em>Ibid.</em>, 8." in page  # the text as printed
    assert '<a href="/notes/csis-mtc-primer-2020/3/">endnote 3</a>' in page
    assert 'href="/sources/korolev-2018/"' in page
    assert "On the Verge of a Military Alliance" in page
    assert "page 8" in page
    repeated = html(client.get("/notes/csis-mtc-primer-2020/3/"))
    assert 'Repeated as <em>Ibid.</em> by endnote <a href="/notes/csis-mtc-primer-2020/4/">4</a>' in repeated


def test_a_url_the_pdf_broke_with_a_space_links_to_the_cleaned_url(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/71/"))
    cleaned = "https://csis-prod.s3.amazonaws.com/s3fs-public/event/200206_Wray_transcript.pdf?cQhL_McGqBfRu9FSPohWz7x4qi6Jk62b"
    assert f'<a href="{cleaned}" rel="external noopener">' in page
    assert "BfRu9FS PohWz7x4qi6Jk62b</a>" in page  # the printed text keeps its space


def test_endnote_page_lists_every_record_citing_it(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/31/"))
    citing = page[page.index('id="citing-heading"') :]
    assert 'href="/transfers/s-400-2015/"' in citing
    assert "Arms transfers" in citing


def test_endnote_pages_link_previous_and_next(client):
    page = html(client.get("/notes/csis-mtc-primer-2020/1/"))
    assert 'rel="next" href="/notes/csis-mtc-primer-2020/2/"' in page
    assert 'rel="prev"' not in page
    last = html(client.get("/notes/csis-mtc-primer-2020/73/"))
    assert 'rel="next"' not in last


@pytest.mark.parametrize(
    "url",
    [
        "/notes/csis-mtc-primer-2020/0/",
        "/notes/csis-mtc-primer-2020/74/",
        "/notes/csis-mtc-primer-2020/99999999999999999999999/",
        "/notes/no-such-report/31/",
        "/notes/csis-mtc-primer-2020/-1/",
        "/sources/no-such-work/",
        "/documents/no-such-report/",
    ],
)
def test_unknown_endnotes_sources_and_documents_are_404(client, url):
    assert client.get(url).status_code == 404


def test_sources_page_lists_every_work_with_the_endnotes_citing_it(client):
    page = html(client.get("/sources/"))
    assert page.count('<h2 class="source-list__title">') == 36
    meick = page[page.index('href="/sources/meick-2017/"') :]
    meick = meick[: meick.index("</li>")]
    assert '<a href="/notes/csis-mtc-primer-2020/1/" aria-label="Endnote 1">1</a>' in meick
    assert 'aria-label="Endnote 8">8</a> <span class="muted">(short form)</span>' in meick
    assert 'href="/api/sources/?format=json"' in page
    assert 'href="/api/sources/?format=csv"' in page


def test_source_page_shows_the_work_its_endnotes_and_the_records_resting_on_it(client):
    page = html(client.get("/sources/gady-2019-s400-training/"))
    assert "Chinese PLA Personnel Complete Training for S-400 Air Defense System in Russia" in page
    assert '<a href="/notes/csis-mtc-primer-2020/31/">Endnote 31</a>' in page
    assert 'href="/transfers/s-400-2015/"' in page


def test_a_work_cited_only_in_short_form_is_listed_with_what_the_report_gives(client):
    page = html(client.get("/sources/gabuev-unwanted-but-inevitable/"))
    assert page.count('href="/notes/csis-mtc-primer-2020/') >= 2


def test_document_page_lists_all_73_endnotes_with_links(client):
    page = html(client.get("/documents/csis-mtc-primer-2020/"))
    assert page.count('class="notes-list__number"') == 73
    assert 'id="n31"' in page
    assert 'href="/api/endnotes/?document=csis-mtc-primer-2020&amp;format=csv"' in page


def test_endnote_text_is_escaped_before_links_and_italics_are_added(client):
    from tests.factories import EndnoteFactory

    note = EndnoteFactory(
        text="<script>alert(1)</script> *Title* <https://example.org/?a=1&b=2>",
        urls=["https://example.org/?a=1&b=2"],
    )
    page = html(client.get(note.get_absolute_url()))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <em>Title</em>" in page
    assert '<a href="https://example.org/?a=1&amp;b=2" rel="external noopener">' in page


@pytest.mark.parametrize(
    ("path", "heading", "bibtex"),
    [
        ("/notes/csis-mtc-primer-2020/31/", "Cite this endnote", "/notes/csis-mtc-primer-2020/31/cite.bib"),
        ("/sources/meick-2017/", "Cite this source", "/sources/meick-2017/cite.bib"),
        ("/documents/csis-mtc-primer-2020/", "Cite the report’s endnotes", "/notes/csis-mtc-primer-2020/cite.bib"),
        ("/transfers/s-400-2015/", "Cite this record", "/cite/transfer/s-400-2015.bib"),
        ("/events/2008-ip-agreement/", "Cite this record", "/cite/event/2008-ip-agreement.bib"),
    ],
)
def test_record_endnote_source_and_document_pages_have_the_cite_menu(client, path, heading, bibtex):
    page = html(client.get(path))
    menu = page.split('<details class="cite-menu"', 1)[1].split("</details>", 1)[0]
    assert f'<h2 class="cite-heading">{heading}</h2>' in menu
    assert f'<a href="{bibtex}" download>BibTeX</a>' in menu
    assert client.get(bibtex).status_code == 200
