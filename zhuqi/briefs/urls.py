from django.urls import path

from . import views

urlpatterns = [
    path("", views.brief_list, name="brief-list"),
    path("new/", views.brief_new, name="brief-new"),
    path("<int:pk>/", views.brief_detail, name="brief-detail"),
    path("<int:pk>/issue/", views.brief_issue, name="brief-issue"),
    path("<int:pk>/redraft/", views.brief_redraft, name="brief-redraft"),
    path("<int:pk>/draft.docx", views.brief_download, name="brief-docx"),
    path("<int:pk>/v<int:number>.docx", views.version_download, name="brief-version-docx"),
]
