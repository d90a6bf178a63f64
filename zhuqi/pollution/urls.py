from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="pollution-index"),
    path("alerts/<int:pk>/", views.alert_detail, name="pollution-alert"),
    path("alerts/<int:pk>/act/", views.alert_act, name="pollution-alert-act"),
    path("alerts/<int:pk>/proof/", views.alert_proof, name="pollution-alert-proof"),
    path("alerts/<int:pk>/report.docx", views.alert_report, name="pollution-alert-report"),
    path("firms/", views.firm_list, name="pollution-firms"),
    path("firms/new/", views.firm_new, name="pollution-firm-new"),
    path("firms/<int:enterprise_id>/", views.firm_detail, name="pollution-firm"),
    path("firms/<int:enterprise_id>/edit/", views.firm_edit, name="pollution-firm-edit"),
    path("firms/<int:enterprise_id>/sources/new/", views.source_edit, name="pollution-source-new"),
    path("firms/<int:enterprise_id>/sources/<int:pk>/", views.source_edit, name="pollution-source"),
    path("firms/<int:enterprise_id>/measures/<str:level>/", views.override_edit, name="pollution-override"),
    path("tasks/<int:pk>/", views.task_detail, name="pollution-task"),
    path("tasks/<int:pk>/confirm/", views.task_confirm, name="pollution-task-confirm"),
    path("tasks/<int:pk>/case/", views.task_case, name="pollution-task-case"),
    path("spot-checks/<int:pk>/", views.spot_check, name="pollution-spot"),
    path("record/", views.record, name="pollution-record"),
]
