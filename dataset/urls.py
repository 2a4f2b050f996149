from django.urls import path

from . import views

app_name = "dataset"

urlpatterns = [
    path("data/mtc-timeline.zip", views.datapackage_zip, name="datapackage"),
]
