"""HTML pages for transfers and projects."""

from periods.views import _record

from . import selectors


def transfer_detail(request, slug):
    return _record(request, selectors.transfer_list(), slug, "transfer")


def project_detail(request, slug):
    return _record(request, selectors.project_list(), slug, "project")
