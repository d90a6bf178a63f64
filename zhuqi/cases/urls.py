from django.urls import path

from . import board_views, views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_new, name="case-new"),
    path("export/", views.case_export, name="case-export"),
    path("figures/", views.case_figures, name="case-figures"),
    path("symposia/new/", views.symposium_new, name="symposium-new"),
    path("visits/<int:pk>/", views.visit_cases, name="visit-cases"),
    path("attachments/<int:pk>/", views.case_attachment, name="case-attachment"),
    path("supervision/<int:pk>.docx", views.supervision_notice_document, name="supervision-notice-docx"),
    path("board/<int:pk>/", views.enterprise_board, name="enterprise-board"),
    path("board/<int:pk>/reissue/", board_views.board_rotate, name="enterprise-board-reissue"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/<str:action>/", views.case_action, name="case-action"),
]
