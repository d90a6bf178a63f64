"""The sign-in pages a session's QR code opens on a person's phone: no account needed, the token is the key."""

from django.urls import path

from . import views

urlpatterns = [
    path("<str:token>/", views.sign_in, name="training-sign-in"),
    path("<str:token>/done/", views.signed_in, name="training-signed-in"),
]
