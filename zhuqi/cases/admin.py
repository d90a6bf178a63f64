from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin

from .models import Category


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "kind", "department", "deadline_workdays", "priority", "is_active"]
    list_filter = ["kind", "department", "is_active"]
