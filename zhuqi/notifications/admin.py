from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zhuqi.core.admin import ReadOnlyAdmin
from zhuqi.core.audit import audit_record
from zhuqi.core.models import AuditEvent

from .models import OutboxMessage
from .outbox import outbox_retry, recipient_masked


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """The system administrator sees whether messages go out and why not, without their text (it tells about
    enterprises and cases) and with the recipient masked."""

    list_display = ["pk", "channel", "recipient_shown", "status", "attempts", "next_attempt_at", "created_at",
                    "sent_at", "last_error"]  # fmt: skip
    list_filter = ["status", "channel"]
    fields = ["channel", "recipient_shown", "status", "attempts", "next_attempt_at", "created_at", "sent_at",
              "last_error"]  # fmt: skip
    readonly_fields = fields
    actions = ["send_again"]

    @admin.display(description=_("Recipient"))
    def recipient_shown(self, message):
        return recipient_masked(message)

    @admin.action(description=_("Send the failed messages again"))
    def send_again(self, request, queryset):
        chosen = list(queryset.values_list("pk", flat=True))
        count = outbox_retry(messages=OutboxMessage.objects.filter(pk__in=chosen))
        audit_record(
            actor=request.user,
            event=AuditEvent.UPDATE,
            object_type="notifications.outboxmessage",
            object_repr=",".join(map(str, chosen))[:200],
            detail="admin: send again",
        )
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )
