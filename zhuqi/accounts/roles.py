"""三员分立: what each of the three administrators may do in the admin, as a permission backend.

- the system administrator keeps accounts (not their roles), settings and reference data;
- the security administrator gives roles and keeps the login policy (lockouts, sessions);
- the audit administrator reads the audit trail (its own pages, not the admin) and nothing else.
No account is a superuser (a database constraint), so nobody holds all three."""

from zhuqi.org.models import Role

SECURITY_ADMIN_PERMISSIONS = {
    "org.view_user",
    "org.change_user",  # its role only: the user admin makes every other field read-only for them
    "axes.view_accessattempt",
    "axes.delete_accessattempt",  # unlock an account before its lock runs out
    "axes.view_accesslog",
    "accounts.view_loginsession",
}
# the system administrator's admin covers everything except what is the security administrator's or the trail
NOT_SYSTEM_ADMIN_APPS = {"axes", "accounts", "otp_totp", "otp_static", "sessions"}
NOT_SYSTEM_ADMIN_MODELS = {"auditrecord", "idempotentrequest"}


def role_allows(user, perm: str) -> bool:
    if not user.is_active:
        return False
    app_label, _dot, codename = perm.partition(".")
    if user.role == Role.SECURITY_ADMIN:
        return perm in SECURITY_ADMIN_PERMISSIONS
    if user.role == Role.SYSTEM_ADMIN:
        model = codename.split("_", 1)[-1]
        return app_label not in NOT_SYSTEM_ADMIN_APPS and model not in NOT_SYSTEM_ADMIN_MODELS
    return False


class RolePermissionBackend:
    """Grants the administrators' permissions by role; authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return role_allows(user_obj, perm)

    def has_module_perms(self, user_obj, app_label):
        if not user_obj.is_active:
            return False
        if user_obj.role == Role.SECURITY_ADMIN:
            return any(p.startswith(f"{app_label}.") for p in SECURITY_ADMIN_PERMISSIONS)
        return user_obj.role == Role.SYSTEM_ADMIN and app_label not in NOT_SYSTEM_ADMIN_APPS
