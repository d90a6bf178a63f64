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
    """Not a page of the admin: the system administrator sees no enterprise's data. Registered only so that an
    account's or a monitoring point's enterprise can be chosen by name or credit code, which answers with the
    name alone; the list, the record and its history are refused."""

    search_fields = ["name", "credit_code"]

    def has_module_permission(self, request):
        return False

    def has_view_permission(self, request, obj=None):
        match = request.resolver_match
        return match is not None and match.url_name == "autocomplete" and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
