"""``?format=sipri``: transfers as a SIPRI trade register (the layout ``import_sipri`` reads)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.utils import timezone
from rest_framework.renderers import BaseRenderer

from .sipri import export_register


@dataclass(frozen=True)
class RegisterSelection:
    """What a transfer view answers ``?format=sipri`` with: the selected transfers, in order."""

    transfers: object  # a queryset (iterated once) or a list
    selection: str = ""


class SipriRegisterRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "sipri"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if not isinstance(data, RegisterSelection):  # an error: keep DRF's message readable
            return json.dumps(data, ensure_ascii=False).encode(self.charset)
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Disposition"] = 'attachment; filename="mtc-timeline-sipri-register.csv"'
        lines = export_register(data.transfers, generated=timezone.localdate(), selection=data.selection)
        return "".join(lines).encode(self.charset)
