"""``{% site_dataset_metadata %}``: the site as a schema.org ``Dataset`` (Google Dataset Search, Zotero)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from dataset import datapackage
from sources.page_metadata import PageMetadata

register = template.Library()


@register.inclusion_tag("meta/_tags.html", takes_context=True)
def site_dataset_metadata(context):
    request = context["request"]
    home = request.build_absolute_uri("/")
    json_ld = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": home,
        "name": datapackage.TITLE,
        "description": datapackage.DESCRIPTION,
        "url": home,
        "license": datapackage.LICENSE["path"],
        "isBasedOn": {
            "@type": "Report",
            "name": datapackage.REPORT_SOURCE["title"],
            "url": datapackage.REPORT_SOURCE["path"],
        },
        "keywords": ["arms transfers", "military-technical cooperation", "Russia", "China"],
        "temporalCoverage": "1992/..",
        "spatialCoverage": ["Russia", "China"],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": "Frictionless Data Package (CSV)",
                "encodingFormat": "application/zip",
                "contentUrl": request.build_absolute_uri(reverse("dataset:datapackage")),
            },
            {
                "@type": "DataDownload",
                "name": "REST API (JSON, CSV)",
                "encodingFormat": "application/json",
                "contentUrl": request.build_absolute_uri(reverse("api:api-root")),
            },
        ],
    }
    tags = [("DC.title", datapackage.TITLE), ("DC.type", "Dataset"), ("DC.identifier", home)]
    return {"tags": tags, "json_ld": PageMetadata(tags, json_ld).json_ld_script()}
