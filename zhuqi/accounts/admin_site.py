from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class ZhuqiAdminSite(AdminSite):
    """The admin is the system and security administrators' workplace, entered with both factors."""

    site_header = site_title = "助企平台管理"

    def has_permission(self, request):
        from zhuqi.org.models import Role  # this module is loaded with the app registry, before the models

        user = request.user
        return (
            user.is_active
            and user.role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
            and getattr(user, "is_verified", lambda: False)()
        )


class ZhuqiAdminConfig(AdminConfig):
    default_site = "zhuqi.accounts.admin_site.ZhuqiAdminSite"
