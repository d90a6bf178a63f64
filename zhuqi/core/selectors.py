import datetime

from django.db.models import QuerySet

from .models import AuditRecord


def audit_list(
    *,
    event: str = "",
    username: str = "",
    object_type: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet:
    qs = AuditRecord.objects.all()
    if event:
        qs = qs.filter(event=event)
    if username:
        qs = qs.filter(actor_username__icontains=username)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    return qs.order_by("-at", "-id")
