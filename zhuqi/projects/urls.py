from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("new/", views.project_new, name="project-new"),
    path("<int:pk>/", views.project_detail, name="project-detail"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("evidence/<int:pk>/", views.project_evidence, name="project-evidence"),
    path("<int:pk>/advance/", views.project_advance, name="project-advance"),
    path("<int:pk>/problem/", views.project_problem, name="project-problem"),
    path("leads/", views.lead_list, name="lead-list"),
    path("leads/new/", views.lead_new, name="lead-new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead-detail"),
    path("leads/<int:pk>/edit/", views.lead_edit, name="lead-edit"),
    path("leads/<int:pk>/move/", views.lead_move, name="lead-move"),
]
