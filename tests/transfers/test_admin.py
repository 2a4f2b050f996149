"""The admin for transfers and projects (see tests/admin_contract.py), and its validation messages."""

import re

import pytest

from periods.models import Actor, Period
from tests.admin_contract import AdminContract, Spec
from tests.admin_helpers import admin_url, form_data
from tests.factories import ProjectFactory, TransferFactory
from transfers.models import Project, Transfer

pytestmark = pytest.mark.django_db


def _pk(model, slug: str) -> str:
    return str(model.objects.get(slug=slug).pk)


SPECS = [
    Spec(
        Transfer,
        TransferFactory,
        lambda: {
            "designation": "Kh-31",
            "description": "anti-ship missile",
            "slug": "kh-31-test",
            "category": "missiles",
            "status": "agreed",
            "period": _pk(Period, "1992-2006"),
            "supplier": _pk(Actor, "russia"),
            "recipient": _pk(Actor, "china"),
        },
        "designation",
        "Kh-31P",
    ),
    Spec(
        Project,
        ProjectFactory,
        lambda: {
            "name": "Joint test rotorcraft",
            "slug": "joint-rotorcraft",
            "status": "announced",
            "period": _pk(Period, "2014-present"),
        },
        "name",
        "Renamed rotorcraft",
    ),
]


@pytest.mark.parametrize("spec", SPECS, ids=str)
class TestTransfersAdmin(AdminContract):
    pass


def _change(client, transfer, **changes):
    url = admin_url(Transfer, "change", transfer.pk)
    return client.post(url, {**form_data(client.get(url)), **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number_ordered": "1", "number_delivered": "2"}, "More delivered (2) than ordered (1)."),
        ({"recipient": lambda: _pk(Actor, "russia")}, "supplier and recipient must differ."),
        ({"year_ordered": "2019", "delivery_years": "2018; 2019"}, "year_ordered must be &lt;= first delivery year."),
        ({"delivery_years": "2018, 2019"}, "must be years separated by"),
        ({"value_usd_low": "5", "value_usd_high": "4"}, "The low value ($5) is above the high value ($4)."),
        ({"date_edtf": "around 2015"}, "is not a valid EDTF date"),
    ],
)
def test_the_form_says_which_rule_a_change_breaks(editor_client, changes, message):
    transfer = Transfer.objects.get(slug="s-400-2015")
    changes = {k: v() if callable(v) else v for k, v in changes.items()}
    response = _change(editor_client, transfer, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "number_delivered must be" not in response.content.decode()  # said once, in words
    transfer.refresh_from_db()
    assert transfer.number_delivered == 1
    assert transfer.recipient.slug == "china"


def test_the_list_filters_by_document_year_and_direction(editor_client):
    url = admin_url(Transfer, "changelist")
    response = editor_client.get(
        url, {"document": "csis-mtc-primer-2020", "ordered": "2015", "direction__exact": "ru-cn"}
    )
    shown = {t.slug for t in response.context["cl"].result_list}
    assert shown == {"s-400-2015", "su-35-2015"}
    assert editor_client.get(url, {"document": "no-such-document"}).context["cl"].result_count == 0


def test_the_list_loads_in_a_fixed_number_of_queries(editor_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = editor_client.get(admin_url(Transfer, "changelist"))
    assert response.context["cl"].result_count == Transfer.objects.count()
    assert "S-400" in response.content.decode()


def test_change_page_links_to_the_public_page(editor_client):
    transfer = Transfer.objects.get(slug="s-400-2015")
    response = editor_client.get(admin_url(Transfer, "change", transfer.pk))
    assert "View on site" in response.content.decode()
    on_site = editor_client.get(response.context["original"].get_absolute_url())
    assert on_site.status_code == 200


def test_the_rule_is_said_at_the_field_and_the_list_reads_like_a_table(editor_client):
    transfer = Transfer.objects.get(slug="s-400-2015")
    response = _change(editor_client, transfer, number_ordered="1", number_delivered="2")
    form = response.context["adminform"].form
    assert form.errors["number_delivered"] == ["More delivered (2) than ordered (1)."]
    assert "__all__" not in form.errors
    assert form.fields["value_usd_low"].label == "Value (USD, low)"
    assert "value: $3,000,000,000" in response.content.decode()  # the raw input read back

    page = editor_client.get(admin_url(Transfer, "changelist")).content.decode()
    assert "3,000,000,000" in page  # the S-400's value with thousands separators
    assert "3000000000" not in page
    rows = re.findall(r'<th class="field-designation"><a href="[^"]+">([^<]+)</a>', page)
    assert set(rows[:4]) == {"Su-27", "Su-30", "S-300", "Kilo-class"}  # 1992-2006 first: chronological
    assert rows.index("S-400") > rows.index("AL-31F")
