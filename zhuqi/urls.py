from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from zhuqi.accounts import manage_views as account_views
from zhuqi.api.urls import api
from zhuqi.core import registry
from zhuqi.core import views as core_views

urlpatterns = [
    path("", core_views.workbench, name="workbench"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("zhuqi.accounts.urls")),
    path("a/<str:token>/", account_views.account_invite, name="account-invite"),  # the one-time password link
    path("audit/", core_views.audit_list, name="audit-list"),
    path("audit/export/", core_views.audit_export, name="audit-export"),
    path("deleted/", core_views.recycle_bin, name="recycle-bin"),
    path("personal/<str:kind>/<int:pk>/phone/", core_views.phone_unmask, name="phone-unmask"),
    path("deleted/<str:kind>/<int:pk>/delete/", core_views.record_delete, name="record-delete"),
    path("deleted/<str:kind>/<int:pk>/restore/", core_views.record_restore, name="record-restore"),
    # each module's pages, as registered from its AppConfig.ready() (core.registry.urls_register)
    *(path(mount.prefix, include(mount.target)) for mount in registry.url_includes()),
    path("i18n/", include("django.conf.urls.i18n")),
    # browsers ask for it on pages that name no icon (the admin's): the platform's icon, not a 404 in the console
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("zhuqi/favicon.svg"), permanent=True)),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "zhuqi.core.error_pages.bad_request"
handler403 = "zhuqi.core.error_pages.permission_denied"
handler404 = "zhuqi.core.error_pages.page_not_found"
handler500 = "zhuqi.core.error_pages.server_error"
