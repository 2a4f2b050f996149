"""``/data/mtc-timeline.zip``: the whole knowledge base as a Frictionless Data Package."""

from __future__ import annotations

from django.http import FileResponse
from django.views.decorators.http import require_safe

from .datapackage import ZIP_NAME, cached_zip


@require_safe
def datapackage_zip(request):
    """Built on the first request after a change and kept per data version, so a download is a file read."""
    return FileResponse(cached_zip().open("rb"), as_attachment=True, filename=ZIP_NAME, content_type="application/zip")
