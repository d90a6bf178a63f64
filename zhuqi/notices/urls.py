from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("new/", views.notice_create, name="notice-create"),
    path("warnings/import/", views.warning_import, name="warning-import"),
    path("<int:pk>/", views.notice_detail, name="notice-detail"),
    path("<int:pk>/audience/", views.notice_edit_audience, name="notice-edit-audience"),
    path("<int:pk>/send/", views.notice_send, name="notice-send"),
    path("<int:pk>/withdraw/", views.notice_withdraw, name="notice-withdraw"),
    path("<int:pk>/correct/", views.notice_correct, name="notice-correct"),
    path("<int:pk>/confirm/", views.receipt_confirm, name="notice-confirm"),
    path("receipts/", views.receipt_list, name="notice-receipts"),
    path("follow-up/", views.follow_up, name="notice-follow-up"),
    path("figures/", views.figures, name="notice-figures"),
    path("files/<int:pk>/", views.file_download, name="notice-file"),
    path("training/", views.training_list, name="training-list"),
    path("training/new/", views.training_create, name="training-create"),
    path("training/attendance/", views.attendance_list, name="training-attendance"),
    path("training/<int:pk>/", views.training_detail, name="training-detail"),
    path("training/<int:pk>/invite/", views.training_invite, name="training-invite"),
    path("training/<int:pk>/materials/", views.training_materials, name="training-materials"),
    path("training/<int:pk>/follow-up/", views.training_follow_up, name="training-follow-up"),
]
