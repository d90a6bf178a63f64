from django.urls import path

from . import views

urlpatterns = [
    path("", views.pool, name="growth-pool"),
    path("rounds/", views.funnel, name="growth-funnel"),
    path("standing/", views.standing, name="growth-standing"),
    path("firms/<int:pk>/", views.firm, name="growth-firm"),
    path("firms/<int:pk>/stages/", views.stage_new, name="growth-stage-new"),
]
