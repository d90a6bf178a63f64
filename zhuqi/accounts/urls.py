from django.urls import path

from . import manage_views, views

urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password-change"),
    path("second-factor/", views.second_factor, name="second-factor"),
    path("second-factor/setup/", views.second_factor_setup, name="second-factor-setup"),
    path("accounts/", manage_views.account_list, name="account-list"),
    path("accounts/new/", manage_views.account_new, name="account-new"),
    path("accounts/<int:pk>/", manage_views.account_detail, name="account-detail"),
    path("accounts/<int:pk>/<str:action>/", manage_views.account_act, name="account-act"),
]
