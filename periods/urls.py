from django.urls import path

from . import views

app_name = "periods"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("periods/<slug:slug>/", views.period_detail, name="period"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("figures/<slug:slug>/", views.figure_detail, name="figure"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("policy-options/<slug:slug>/", views.policy_option_detail, name="policy-option"),
    path("analyses/<slug:slug>/", views.analysis_detail, name="analysis"),
]
