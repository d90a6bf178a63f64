from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Case, Category


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "kind", "department", "deadline_workdays", "priority", "routes_directly", "is_active"]
    list_filter = ["kind", "department", "is_active"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """Read-only: a case changes only through case_act(), which keeps its history and tells the next person."""

    list_display = ["number", "enterprise", "category", "status", "lead_department", "deadline", "created_at"]
    list_filter = ["status", "category", "lead_department", "park"]
    list_select_related = ["enterprise", "category", "lead_department"]
    search_fields = ["number"]
    date_hierarchy = "created_at"
