from django.urls import path

from . import citing_views, views

app_name = "timeline"

urlpatterns = [
    path("", views.home, name="home"),
    path("periods/<slug:slug>/", views.period_detail, name="period"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("figures/<slug:slug>/", views.figure_detail, name="figure"),
    path("actors/<slug:slug>/", views.actor_detail, name="actor"),
    path("policy-options/<slug:slug>/", views.policy_option_detail, name="policy-option"),
    path("analyses/<slug:slug>/", views.analysis_detail, name="analysis"),
    path("transfers/<slug:slug>/", views.transfer_detail, name="transfer"),
    path("projects/<slug:slug>/", views.project_detail, name="project"),
    path("systems/<slug:slug>/", views.system_detail, name="system"),
    path("cite/", citing_views.selection_page, name="cite"),
    path("cite/endnotes.<str:ext>", citing_views.selection_cite, name="cite-selection"),
]
