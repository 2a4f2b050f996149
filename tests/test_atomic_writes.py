"""A write request is one transaction, whole or not at all; a read opens none
(``ground.middleware.AtomicWritesMiddleware``, in the site's real middleware stack)."""

import pytest
from django.db import connection
from django.http import JsonResponse
from django.test import Client
from django.urls import path

from periods.models import Actor

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def depth(request):
    """How many atomic blocks the view runs in (the test's own is one)."""
    return JsonResponse({"depth": len(connection.atomic_blocks)})


def write_then(request, status):
    Actor.objects.create(slug=f"written-{status}", name=f"Written {status}", kind=Actor.Kind.ORGANISATION)
    if status == 500:
        raise RuntimeError("the view fails after writing")
    return JsonResponse({}, status=status)


urlpatterns = [path("depth/", depth), path("write/<int:status>/", write_then)]


def test_a_read_opens_no_transaction_and_a_write_opens_one(client):
    read = client.get("/depth/").json()["depth"]
    write = client.post("/depth/").json()["depth"]
    assert write == read + 1


@pytest.mark.parametrize(("status", "kept"), [(201, True), (302, True), (400, False), (403, False), (500, False)])
def test_a_write_answered_with_an_error_is_rolled_back_whole(status, kept):
    response = Client(raise_request_exception=False).post(f"/write/{status}/")
    assert response.status_code == status
    assert Actor.objects.filter(slug=f"written-{status}").exists() == kept
