from django.urls import path

from . import views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("read-all/", views.mark_all_read, name="notifications-read-all"),
]
