from django.urls import path

from . import views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password-change"),
]
