"""扫码反映: the public form behind each enterprise's printed QR board (no login), at a short address for the code."""

from django.urls import path

from . import board_views

urlpatterns = [
    path("<str:token>/", board_views.board_demand, name="board-demand"),
    path("<str:token>/confirm/", board_views.board_confirm, name="board-confirm"),
]
