from django.urls import path

from . import views

urlpatterns = [
    path("", views.run_list, name="evaluation-run-list"),
    path("runs/<int:pk>/", views.run_detail, name="evaluation-run-detail"),
    path("runs/<int:pk>/act/", views.run_act, name="evaluation-run-act"),
    path("scores/<int:pk>/", views.score_detail, name="evaluation-score-detail"),
    path("scores/<int:pk>/sheet.docx", views.score_docx, name="evaluation-score-docx"),
    path("scores/<int:pk>/object/", views.objection_new, name="evaluation-objection-new"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="evaluation-objection-decide"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="evaluation-objection-evidence"),
    path("index/", views.index_page, name="evaluation-index"),
    path("index/figures/", views.zone_figures, name="evaluation-zone-figures"),
    path("methods/new/", views.method_new, name="evaluation-method-new"),
    path("methods/<int:pk>/", views.method_detail, name="evaluation-method-detail"),
    path("methods/<int:pk>/edit/", views.method_edit, name="evaluation-method-edit"),
    path("methods/<int:pk>/act/", views.method_act, name="evaluation-method-act"),
]
