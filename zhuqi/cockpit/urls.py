from django.urls import path

from . import views

urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("tiles/<slug:name>/", views.cockpit_tile, name="cockpit-tile"),
]
