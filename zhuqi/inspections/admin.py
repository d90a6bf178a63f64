from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from zhuqi.core.admin import AuditedAdmin
from zhuqi.core.errors import DomainError

from .models import Checklist, ChecklistItem, ChecklistVersion
from .services import checklist_publish


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 0
    fields = ["position", "section", "text", "legal_basis", "severity"]

    def _in_use(self, obj) -> bool:
        return obj is not None and obj.inspections.exists()

    # a version an inspection has used never changes; publish a new one instead
    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj)


@admin.register(ChecklistVersion)
class ChecklistVersionAdmin(AuditedAdmin):
    list_display = ["checklist", "number", "note", "published_at"]
    list_filter = ["checklist"]
    inlines = [ChecklistItemInline]
    actions = ["publish_copy"]

    def get_readonly_fields(self, request, obj=None):
        return ["checklist", "number"] if obj else []

    @admin.action(description=_("Publish a new version from the chosen one (to revise it)"))
    def publish_copy(self, request, queryset):
        for version in queryset:
            items = list(version.items.values("section", "text", "legal_basis", "severity"))
            try:
                copy = checklist_publish(by=request.user, checklist=version.checklist, items=items,
                                         note=str(_("Copied from v%(n)d")) % {"n": version.number})  # fmt: skip
            except DomainError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("Published %(version)s; edit its items") % {"version": copy})


@admin.register(Checklist)
class ChecklistAdmin(AuditedAdmin):
    list_display = ["name", "inspection_type", "department", "hazard_category", "is_active"]
    list_filter = ["inspection_type", "department", "is_active"]


# Risk points, responsible officials (names and phone numbers) and inspection records are enterprises' data, which
# the system administrator — the admin's user — does not see (docs/security.md).
