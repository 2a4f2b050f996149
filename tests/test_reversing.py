"""The fast ``reverse`` gives exactly Django's URLs, and falls back where it must."""

import pytest
from django.urls import NoReverseMatch
from django.urls import reverse as django_reverse

from ground import url_reversing as reversing


@pytest.mark.parametrize(
    ("viewname", "kwargs"),
    [
        ("api:transfer-detail", {"slug": "s-400-2015"}),
        ("api:endnote-detail", {"document": "csis-mtc-primer-2020", "number": 31}),
        ("api:endnote-detail", {"number": 7, "document": "x_y"}),  # argument order does not matter
        ("sources:endnote", {"document": "csis-mtc-primer-2020", "number": "9"}),
        ("timeline:transfer", {"slug": "su-35-2015"}),
        ("api:citation-detail", {"pk": 12}),
    ],
)
def test_same_urls_as_django(viewname, kwargs):
    assert reversing.reverse(viewname, kwargs=kwargs) == django_reverse(viewname, kwargs=kwargs)
    assert reversing.reverse(viewname, kwargs=kwargs) == django_reverse(viewname, kwargs=kwargs)  # from the template


def test_values_outside_slug_characters_and_bad_arguments_go_to_django():
    with pytest.raises(NoReverseMatch):
        reversing.reverse("api:endnote-detail", kwargs={"document": "csis", "number": "not-a-number"})
    with pytest.raises(NoReverseMatch):
        reversing.reverse("timeline:transfer", kwargs={"slug": "has space"})
    with pytest.raises(NoReverseMatch):
        reversing.reverse("timeline:transfer", kwargs={"pk": 3})  # no such argument
    assert reversing.reverse("timeline:home") == django_reverse("timeline:home")


def test_a_script_prefix_is_honoured(settings):
    from django.urls import set_script_prefix

    set_script_prefix("/mtc/")
    try:
        assert reversing.reverse("timeline:transfer", kwargs={"slug": "s-400-2015"}) == "/mtc/transfers/s-400-2015/"
    finally:
        set_script_prefix("/")
    assert reversing.reverse("timeline:transfer", kwargs={"slug": "s-400-2015"}) == "/transfers/s-400-2015/"
