from django.urls import path

from . import views

urlpatterns = [
    path("", views.ranking_page, name="assessment-ranking"),
    path("<int:year>/<int:month>/close/", views.month_close, name="assessment-month-close"),
    path("units/<str:unit_key>/<int:year>/<int:month>/", views.unit_page, name="assessment-unit"),
    path("units/<str:unit_key>/<int:year>/<int:month>/adjust/", views.adjust, name="assessment-adjust"),
    path("targets/", views.targets_page, name="assessment-targets"),
    path("progress/<str:unit_key>/<int:year>/", views.progress_page, name="assessment-progress"),
    path("progress/<str:unit_key>/<int:year>/report/", views.report_value, name="assessment-report"),
]
