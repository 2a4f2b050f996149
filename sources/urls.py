from django.urls import path

from . import views

app_name = "sources"

urlpatterns = [
    path("documents/<slug:slug>/", views.document_detail, name="document"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:slug>/", views.source_detail, name="source"),
    path("notes/<slug:document>/<int:number>/", views.endnote_detail, name="endnote"),
]
