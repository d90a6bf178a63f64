from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Enterprise, Tag, VisitRule


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ["name", "sort_order"]


@admin.register(VisitRule)
class VisitRuleAdmin(AuditedAdmin):
    list_display = ["__str__", "tag", "scale", "frequency"]


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    """Read-only here: the registry is kept through its pages, whose services keep the timeline."""

    search_fields = ["name", "credit_code"]
    list_display = ["name", "credit_code", "park"]
