"""HTML pages for arms transfers and joint projects (the shared record page of periods.views)."""

from django.shortcuts import get_object_or_404

from periods import display
from periods.views import record_page

from .models import Project, Transfer


def transfer_detail(request, slug):
    qs = Transfer.objects.select_related("period", "supplier", "recipient")
    transfer = get_object_or_404(qs, slug=slug)
    return record_page(
        request,
        transfer,
        kind="Arms transfer",
        rows=display.transfer_rows(transfer),
        actors=[transfer.supplier, transfer.recipient],
        system=transfer.designation,
    )


def project_detail(request, slug):
    project = get_object_or_404(Project.objects.select_related("period").prefetch_related("partners"), slug=slug)
    actors = list(project.partners.all())
    return record_page(request, project, kind="Joint project", rows=display.project_rows(project), actors=actors)
