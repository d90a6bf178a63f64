from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.return_list, name="return-list"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
]
