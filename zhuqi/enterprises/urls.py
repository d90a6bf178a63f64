from django.urls import path

from . import account_views, views

urlpatterns = [
    path("", views.enterprise_list, name="enterprise-list"),
    path("export/", views.enterprise_export, name="enterprise-export"),
    path("accounts/", account_views.enterprise_accounts, name="enterprise-accounts"),
    path("new/", views.enterprise_create, name="enterprise-create"),
    path("coverage/", views.coverage, name="visit-coverage"),
    path("qualifications/expiring/", views.qualifications_expiring, name="qualifications-expiring"),
    path("import/", views.ledger_upload, name="ledger-upload"),
    path("import/template/", views.ledger_template, name="ledger-template"),
    path("import/<int:pk>/", views.ledger_import, name="ledger-import"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("<int:pk>/officer/", views.enterprise_assign_officer, name="enterprise-assign-officer"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact-add"),
    path("<int:pk>/qualifications/new/", views.qualification_add, name="qualification-add"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit-create"),
]
