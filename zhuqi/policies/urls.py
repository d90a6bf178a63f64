from django.urls import path

from . import views

urlpatterns = [
    path("", views.policy_list, name="policy-list"),
    path("mine/", views.policy_mine, name="policy-mine"),
    path("handbook/", views.handbook, name="policy-handbook"),
    path("handbook.docx", views.handbook_docx, name="policy-handbook-docx"),
    path("figures/", views.figures, name="policy-figures"),
    path("figures/payments/", views.figures_payments, name="policy-figures-payments"),
    path("new/", views.policy_new, name="policy-new"),
    path("<int:pk>/", views.policy_detail, name="policy-detail"),
    path("<int:pk>/edit/", views.policy_edit, name="policy-edit"),
    path("<int:pk>/revise/", views.policy_revise, name="policy-revise"),
    path("<int:pk>/conditions/new/", views.policy_condition_new, name="policy-condition-new"),
    path("<int:pk>/conditions/try/", views.policy_condition_try, name="policy-condition-try"),
    path("<int:pk>/conditions/<str:code>/", views.policy_condition_edit, name="policy-condition-edit"),
    path("<int:pk>/conditions/<str:code>/retire/", views.policy_condition_retire, name="policy-condition-retire"),
    path("<int:pk>/firms/<int:enterprise_pk>/", views.match_detail, name="policy-match"),
    path("<int:pk>/rematch/", views.policy_rematch, name="policy-rematch"),
    path("<int:pk>/data-request/", views.data_request, name="policy-data-request"),
    path("<int:pk>/rounds/new/", views.round_draw, name="policy-round-draw"),
    path("rounds/<int:pk>/", views.round_detail, name="policy-round"),
    path("rounds/<int:pk>/approve/", views.round_approve, name="policy-round-approve"),
    path("rounds/<int:pk>/pay/", views.round_pay, name="policy-round-pay"),
    path("rounds/<int:pk>/ledger.xlsx", views.round_ledger, name="policy-round-ledger"),
    path("grants/<int:pk>/", views.grant_detail, name="policy-grant"),
    path("<int:pk>/apply/", views.application_new, name="policy-apply"),
    path("applications/", views.application_list, name="policy-applications"),
    path("applications/<int:pk>/", views.application_detail, name="policy-application"),
    path("applications/<int:pk>/act/<slug:action>/", views.application_act, name="policy-application-act"),
    path(
        "applications/<int:pk>/materials/<int:material_pk>/",
        views.application_material,
        name="policy-application-material",
    ),
]
