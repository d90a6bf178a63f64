from django.urls import path

from . import views

urlpatterns = [
    path("", views.period_list, name="dispatch-list"),
    path("new/", views.period_new, name="dispatch-period-new"),
    path("<int:pk>/", views.period_detail, name="dispatch-period"),
    path("<int:pk>/open/", views.period_open, name="dispatch-period-open"),
    path("<int:pk>/close/", views.period_close, name="dispatch-period-close"),
    path("<int:pk>/export.xlsx", views.period_export, name="dispatch-export"),
    path("<int:pk>/report/", views.report, name="dispatch-report"),
    path("<int:pk>/reports/<int:report_pk>/case/", views.report_raise_case, name="dispatch-report-case"),
]
