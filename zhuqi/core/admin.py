from django.contrib import admin

from .audit import audit_record, field_changes
from .masking import mask_phone
from .models import AuditEvent, WorkdayOverride


class AuditedAdmin(admin.ModelAdmin):
    """Every change a system administrator makes in the admin lands in the audit trail too."""

    def save_model(self, request, obj, form, change):
        before = {name: form.initial.get(name) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        after = {name: form.cleaned_data.get(name) for name in form.changed_data}
        changed = {k: v for k, v in field_changes(before, after).items() if "password" not in k}
        for name in [k for k in changed if "phone" in k]:  # the trail keeps no number whole
            changed[name] = [mask_phone(value or "") for value in changed[name]]
        audit_record(
            actor=request.user,
            event=AuditEvent.UPDATE if change else AuditEvent.CREATE,
            obj=obj,
            changes=changed,
            detail="admin",
        )

    def delete_model(self, request, obj):
        audit_record(actor=request.user, event=AuditEvent.DELETE, obj=obj, detail="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, event=AuditEvent.DELETE, obj=obj, detail="admin")
        super().delete_queryset(request, queryset)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records kept through their own pages and services (which write the history); the admin only lists."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdmin):
    list_display = ["date", "is_workday", "note"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


# the task queue's schedules are configuration: their changes go to the audit trail like the rest
from django_q.admin import ScheduleAdmin  # noqa: E402
from django_q.models import Schedule  # noqa: E402

admin.site.unregister(Schedule)


@admin.register(Schedule)
class AuditedScheduleAdmin(AuditedAdmin, ScheduleAdmin):
    pass
