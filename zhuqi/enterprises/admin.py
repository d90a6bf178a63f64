from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin

from .models import Enterprise, Tag, VisitRule


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ["name", "sort_order"]


@admin.register(VisitRule)
class VisitRuleAdmin(AuditedAdmin):
    list_display = ["__str__", "tag", "scale", "frequency"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    """Read-only here: the registry is kept through its pages, whose services keep the timeline."""

    search_fields = ["name", "credit_code"]
    list_display = ["name", "credit_code", "park"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
