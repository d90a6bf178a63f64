from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhuqi.accounts.services import role_change, role_change_refusal
from zhuqi.core.admin import AuditedAdmin

from .models import ADMIN_ROLES, Community, Department, Grid, Park, Role, Town, User


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["name", "short_name", "sort_order"]
    search_fields = ["name"]


@admin.register(Park)
class ParkAdmin(AuditedAdmin):
    list_display = ["name", "also_known_as", "sort_order"]
    search_fields = ["name"]


@admin.register(Town)
class TownAdmin(AuditedAdmin):
    list_display = ["name", "kind"]


@admin.register(Community)
class CommunityAdmin(AuditedAdmin):
    list_display = ["name", "town", "kind"]
    list_filter = ["town"]


@admin.register(Grid)
class GridAdmin(AuditedAdmin):
    list_display = ["code", "name", "community", "member"]
    list_filter = ["community__town"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["member"]


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """三员分立 in the account admin: the system administrator keeps accounts but gives no admin role and
    changes no role; the security administrator changes roles only, never their own."""

    list_display = ["username", "full_name", "role", "department", "park", "enterprise", "is_active", "last_login"]
    list_filter = ["role", "is_active", "department", "park"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["enterprise"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Post"), {"fields": ["full_name", "role", "department", "park", "enterprise", "phone", "email"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined", "password_changed_at"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Post"), {"fields": ["full_name", "role", "department", "park", "enterprise"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]

    def get_readonly_fields(self, request, obj=None):
        fixed = list(self.readonly_fields)
        if obj is None:
            return fixed
        if request.user.role == Role.SECURITY_ADMIN:
            every = [f for _name, options in self.fieldsets for f in options["fields"] if f != "password"]
            return [f for f in every if f != "role" or obj.pk == request.user.pk]
        return [*fixed, "role"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None and "role" in form.base_fields:  # a new account: the admin roles are the security admin's
            form.base_fields["role"].choices = [(v, label) for v, label in Role.choices if v not in ADMIN_ROLES]
        if obj is not None and request.user.role == Role.SECURITY_ADMIN:

            class RoleChecked(form):  # the refusal beside the field, not after a save that did not happen
                def clean_role(self):
                    role = self.cleaned_data["role"]
                    refusal = role != obj.role and role_change_refusal(obj, role=role, by=request.user)
                    if refusal:
                        raise ValidationError(refusal[1])
                    return role

            return RoleChecked
        return form

    def save_model(self, request, obj, form, change):
        if change and request.user.role == Role.SECURITY_ADMIN:
            role_change(obj, role=form.cleaned_data["role"], by=request.user)  # audited there
            return
        super().save_model(request, obj, form, change)
