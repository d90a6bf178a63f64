from django.urls import path

from . import views

urlpatterns = [
    path("", views.grid_home, name="grid-home"),
    path("report/", views.incident_report, name="incident-report"),
    path("patrols/start/<int:grid_pk>/", views.patrol_start, name="patrol-start"),
    path("patrols/end/", views.patrol_end, name="patrol-end"),
    path("map/", views.grid_map, name="grid-map"),
]
