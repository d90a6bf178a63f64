from django.urls import path

from . import views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password-change"),
    path("second-factor/", views.second_factor, name="second-factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second-factor-setup"),
]
