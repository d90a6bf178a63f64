from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspection_list, name="inspection-list"),
    path("new/", views.inspection_new, name="inspection-new"),
    path("<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("<int:pk>/signature/<str:who>/", views.inspection_signature, name="inspection-signature"),
    path("photos/<int:pk>/", views.inspection_photo, name="inspection-photo"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/targets/<int:pk>/team/", views.campaign_assign, name="campaign-assign"),
    path("hazards/ledger/", views.hazard_ledger, name="hazard-ledger"),
]
