from django.urls import path

from . import views

urlpatterns = [
    path("", views.monitoring_overview, name="monitoring-overview"),
    path("points/<int:pk>/", views.point_detail, name="point-detail"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm-detail"),
    path("alarms/<int:pk>/<str:action>/", views.alarm_action, name="alarm-action"),
]
