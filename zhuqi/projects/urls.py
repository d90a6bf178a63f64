from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("<int:pk>/problem/", views.project_problem, name="project-problem"),
    path("leads/", views.lead_list, name="lead-list"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead-move"),
]
