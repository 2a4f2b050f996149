from django.urls import path

from . import citation_views, views

app_name = "sources"

urlpatterns = [
    path("documents/<slug:slug>/", views.document_detail, name="document"),
    path("sources/", views.source_list, name="sources"),
    path("sources/cite.<str:ext>", citation_views.sources_cite, name="cite-sources"),
    path("sources/<slug:slug>/cite.<str:ext>", citation_views.source_cite, name="cite-source"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("notes/<slug:document>/cite.<str:ext>", citation_views.document_endnotes_cite, name="cite-document-endnotes"),
    path("notes/<slug:document>/<int:number>/cite.<str:ext>", citation_views.endnote_cite, name="cite-endnote"),
    path("notes/<slug:document>/<int:number>/", views.endnote_detail, name="endnote"),
    path("cite/<slug:type>/<slug:slug>.<str:ext>", citation_views.record_cite, name="cite-record"),
    path("cite/<slug:type>/<slug:slug>/", citation_views.record_cite_page, name="cite-record-page"),
]
