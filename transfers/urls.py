from django.urls import path

from . import views

app_name = "transfers"

urlpatterns = [
    path("transfers/<slug:slug>/", views.transfer_detail, name="transfer"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
]
