from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from zhuqi.accounts import manage_views as account_views
from zhuqi.api.urls import api
from zhuqi.cases import board_views
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
    path("enterprises/", include("zhuqi.enterprises.urls")),
    path("cases/", include("zhuqi.cases.urls")),
    # 扫码反映: the public form behind each enterprise's printed QR board (no login)
    path("q/<str:token>/", board_views.board_demand, name="board-demand"),
    path("q/<str:token>/confirm/", board_views.board_confirm, name="board-confirm"),
    path("inbox/", include("zhuqi.notifications.urls")),
    path("grids/", include("zhuqi.grids.urls")),
    path("inspections/", include("zhuqi.inspections.urls")),
    path("monitoring/", include("zhuqi.monitoring.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "zhuqi.core.error_pages.bad_request"
handler403 = "zhuqi.core.error_pages.permission_denied"
handler404 = "zhuqi.core.error_pages.page_not_found"
handler500 = "zhuqi.core.error_pages.server_error"
