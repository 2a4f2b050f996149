"""The admin page that imports a SIPRI trade register: upload, preview, confirm.

Upload validates the whole file and shows what would happen (rows created, updated,
unchanged, each with its line) or every error with its line number; nothing is kept.
Confirm runs the same import for real, in one transaction. The file's text travels
from preview to confirm in a hidden field, so nothing is written to disk in between;
confirm validates it again, so an edited form cannot slip a bad row in.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import View

from .sipri import SipriImportError, document_slug_for, import_sipri_register


class SipriUploadForm(forms.Form):
    file = forms.FileField(help_text="The trade-register CSV exported from SIPRI's Arms Transfers Database.")
    document = forms.SlugField(
        required=False, help_text="Slug of the document standing for this export; empty: derived from the file name."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        data = upload.read()
        try:
            self.cleaned_data["text"] = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.cleaned_data["text"] = data.decode("cp1252")
        return upload


class SipriConfirmForm(forms.Form):
    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    file_name = forms.CharField(widget=forms.HiddenInput)
    document = forms.SlugField(widget=forms.HiddenInput)


class SipriImportView(View):
    model_admin: admin.ModelAdmin = None
    template_name = "admin/transfers/transfer/sipri_import.html"

    def check(self, request) -> None:
        if not (self.model_admin.has_add_permission(request) and self.model_admin.has_change_permission(request)):
            raise PermissionDenied

    def render(self, request, **context):
        opts = self.model_admin.opts
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": "Import a SIPRI trade register",
            **context,
        }
        return TemplateResponse(request, self.template_name, context)

    def get(self, request):
        self.check(request)
        return self.render(request, form=SipriUploadForm())

    def post(self, request):
        self.check(request)
        if "confirm" in request.POST:
            return self.confirm(request)
        form = SipriUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(request, form=form)
        name = form.cleaned_data["file"].name
        slug = form.cleaned_data["document"] or document_slug_for(name)
        try:
            result = import_sipri_register(
                text=form.cleaned_data["text"], file_name=name, document_slug=slug, dry_run=True, user=request.user
            )
        except SipriImportError as exc:
            return self.render(request, form=form, errors=exc.errors, file_name=name)
        confirm = SipriConfirmForm(initial={"text": form.cleaned_data["text"], "file_name": name, "document": slug})
        preview_rows = sorted(
            (result.lines[t.slug], action, t)
            for action, transfers in (
                ("create", result.created),
                ("update", result.updated),
                ("unchanged", result.unchanged),
            )
            for t in transfers
        )
        return self.render(
            request, form=form, result=result, preview_rows=preview_rows, confirm_form=confirm, file_name=name
        )

    def confirm(self, request):
        form = SipriConfirmForm(request.POST)
        if not form.is_valid():
            return self.render(request, form=SipriUploadForm(), errors=[], confirm_errors=form.errors)
        data = form.cleaned_data
        try:
            result = import_sipri_register(
                text=data["text"], file_name=data["file_name"], document_slug=data["document"], user=request.user
            )
        except SipriImportError as exc:
            return self.render(request, form=SipriUploadForm(), errors=exc.errors, file_name=data["file_name"])
        self.model_admin.message_user(request, f"SIPRI import of {data['file_name']}: {result}.", messages.SUCCESS)
        url = reverse("admin:transfers_transfer_changelist") + f"?document={result.document.slug}"
        return HttpResponseRedirect(url)
