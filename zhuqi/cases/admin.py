from django.contrib import admin

from zhuqi.core.admin import AuditedAdmin

from .models import Category

# Cases are not in the admin: it is the system administrator's, who sees no enterprise's data (docs/security.md);
# a case changes only through case_act(), on pages that check who may see it.


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ["name", "kind", "department", "deadline_workdays", "priority", "routes_directly", "is_active"]
    list_filter = ["kind", "department", "is_active"]
