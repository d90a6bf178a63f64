from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.return_list, name="return-list"),
    path("returns/<int:pk>/", views.return_page, name="return-page"),
    path("returns/<int:pk>/check/", views.return_check, name="return-check"),
    path("returns/<int:pk>/act/", views.return_act, name="return-act"),
    path("returns/<int:pk>/template.xlsx", views.return_template, name="return-template"),
    path("returns/<int:pk>/upload/", views.return_upload, name="return-upload"),
    path("campaigns/", views.campaign_list, name="stats-campaign-list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="stats-campaign-detail"),
    path("campaigns/<int:pk>/remind/", views.campaign_remind, name="stats-campaign-remind"),
    path("campaigns/<int:pk>/export.xlsx", views.campaign_export, name="stats-campaign-export"),
]
