"""Admin building blocks shared by the content apps: history, revert and recovery.

django-simple-history's admin already lists each record's versions with who changed
what and when, the changed fields of every version (old → new) and a "Revert" form per
version. What it does not offer (3.13) is a way back for a *deleted* record: its history
rows survive, but no admin page lists them. ``ContentAdmin`` adds that smallest missing
piece, a "Recover deleted" list per model and a confirm page that restores a record
(with the citations deleted along with it), plus list filters every cited model uses.
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from ground.spreadsheets import FormulaSafeCSV, FormulaSafeXLSX

from .models import Citation, Document, Endnote

# Cascaded deletes (a record's citations) are written in the same transaction as the
# record's own delete, so their history rows fall within a moment of it.
CASCADE_WINDOW = datetime.timedelta(seconds=5)


def deleted_records(model: type[models.Model]) -> list:
    """The latest "deleted" history row of each record of ``model`` that is still gone."""
    pk_name = model._meta.pk.attname
    live = model._default_manager.values(pk_name)
    rows = (
        model.history.filter(history_type="-")
        .exclude(**{f"{pk_name}__in": live})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen: set = set()
    latest = []
    for row in rows:
        key = getattr(row, pk_name)
        if key not in seen:
            seen.add(key)
            latest.append(row)
    return latest


def citations_deleted_with(record) -> list:
    """History rows of the citations deleted together with ``record`` (a "-" history row)."""
    model = record.instance_type
    content_type = ContentType.objects.get_for_model(model)
    return list(
        Citation.history.filter(
            history_type="-",
            content_type_id=content_type.pk,
            object_id=record.instance.pk,
            history_date__range=(record.history_date - CASCADE_WINDOW, record.history_date + CASCADE_WINDOW),
        )
        .exclude(id__in=Citation.objects.values("id"))
        .select_related("endnote__document")
        .order_by("position", "history_id")
    )


@transaction.atomic
def recover_deleted(*, record, user=None) -> models.Model:
    """Restore a deleted record from its last history row, with the citations it lost.

    Validated like any admin save (``full_clean``: another record may have taken its
    slug meanwhile), inserted under its old primary key so links and history join up,
    and recorded in history as a creation with the reason "Recovered after deletion".
    """
    instance = record.instance
    instance.full_clean()
    instance._change_reason = "Recovered after deletion"
    instance._history_user = user
    instance.save(force_insert=True)
    for row in citations_deleted_with(record):
        citation = row.instance
        if not Endnote.objects.filter(pk=citation.endnote_id).exists():
            continue
        if Citation.objects.filter(
            content_type_id=citation.content_type_id, object_id=citation.object_id, endnote_id=citation.endnote_id
        ).exists():
            continue
        citation._change_reason = "Recovered with its record"
        citation._history_user = user
        citation.save(force_insert=True)
    return instance


class YearListFilter(admin.SimpleListFilter):
    """Filter by the year a record's date starts in (``?year=2015``)."""

    title = "year"
    parameter_name = "year"
    date_field = "date_start"

    def lookups(self, request, model_admin):
        years = (
            model_admin.get_queryset(request)
            .filter(**{f"{self.date_field}__isnull": False})
            .dates(self.date_field, "year", order="DESC")
        )
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            try:
                return queryset.filter(**{f"{self.date_field}__year": int(self.value())})
            except ValueError:
                return queryset.none()
        return queryset


class DocumentListFilter(admin.SimpleListFilter):
    """Filter records by the document whose endnotes they cite (``?document=<slug>``)."""

    title = "document"
    parameter_name = "document"
    lookup = "citations__endnote__document__slug"

    def lookups(self, request, model_admin):
        return list(Document.objects.values_list("slug", "title"))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.lookup: self.value()}).distinct()
        return queryset


class ContentAdmin(SimpleHistoryAdmin):
    """Base admin for every content model: history (diff, revert) and recovery."""

    change_list_template = "admin/content_change_list.html"
    recover_list_template = "admin/recover_list.html"
    recover_form_template = "admin/recover_form.html"
    list_per_page = 50
    history_list_per_page = 50

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history shows the revert form to anyone who may view history, and its
        # POST handler saves without asking for change permission: refuse it here.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        match = request.resolver_match
        if match and match.url_name and match.url_name.endswith("_simple_history"):
            obj._change_reason = "Reverted from history"
        super().save_model(request, obj, form, change)

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path("recover/", self.admin_site.admin_view(self.recover_list_view), name=f"{info}_recoverlist"),
            path(
                "recover/<str:history_id>/",
                self.admin_site.admin_view(self.recover_view),
                name=f"{info}_recover",
            ),
            *super().get_urls(),
        ]

    def _recover_context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "app_label": self.opts.app_label,
            **extra,
        }

    def recover_list_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = self._recover_context(
            request,
            title=f"Recover deleted {self.opts.verbose_name_plural}",
            records=deleted_records(self.model),
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.recover_list_template, context)

    def recover_view(self, request, history_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        record = next((r for r in deleted_records(self.model) if str(r.history_id) == unquote(history_id)), None)
        if record is None:
            raise Http404("No deleted record with this history id (already recovered?).")
        errors: list[str] = []
        if request.method == "POST":
            try:
                obj = recover_deleted(record=record, user=request.user)
            except ValidationError as exc:
                errors = [
                    f"{field}: {message}" if field != "__all__" else message
                    for field, msgs in exc.message_dict.items()
                    for message in msgs
                ]
            else:
                self.log_addition(request, obj, [{"added": {}}, "Recovered after deletion"])
                self.message_user(request, f"Recovered “{obj}”.", messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[obj.pk])
                )
        context = self._recover_context(
            request,
            title=f"Recover {self.opts.verbose_name}: {record.instance}",
            record=record,
            fields=[(f.verbose_name, getattr(record, f.attname)) for f in self.model._meta.concrete_fields],
            citations=citations_deleted_with(record),
            errors=errors,
        )
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.recover_form_template, context)


class ImportExportContentAdmin(ImportExportMixin, ContentAdmin):
    """Content admin with CSV/XLSX import (preview, per-row errors) and filtered export.

    Importing needs both add and change permission (an import creates and updates);
    exporting needs view permission. The export link carries the changelist's query
    string, so it exports exactly the filtered list on screen.
    """

    import_formats = [FormulaSafeCSV, FormulaSafeXLSX]
    export_formats = [FormulaSafeCSV, FormulaSafeXLSX]  # no live formula in any cell

    def get_import_data_kwargs(self, **kwargs):
        # The confirm step re-reads the uploaded file: if any row fails there, keep no row.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            first = next(iter(result.invalid_rows), None)
            detail = f" Row {first.number}: {first.error_dict}." if first else ""
            self.message_user(request, f"Nothing was imported.{detail}", messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        return super().process_result(result, request)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)
