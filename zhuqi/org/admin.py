from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from zhuqi.core.admin import AuditedAdmin

from .models import Community, Department, Grid, Park, Town, User


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
    list_display = ["username", "full_name", "role", "department", "park", "enterprise", "is_active"]
    list_filter = ["role", "is_active", "department", "park"]
    search_fields = ["username", "full_name"]
    autocomplete_fields = ["enterprise"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Post"), {"fields": ["full_name", "role", "department", "park", "enterprise", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Post"), {"fields": ["full_name", "role", "department", "park", "enterprise"]}),
    ]
