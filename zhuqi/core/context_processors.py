from django.conf import settings


def zone(request):
    return {"zone_name": settings.ZHUQI_ZONE_NAME, "lockout_minutes": settings.ZHUQI_LOCKOUT_MINUTES}


def inbox(request):
    """The unread count in the header: one indexed count, only for signed-in people."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from zhuqi.notifications.selectors import unread_count

    return {"unread_count": unread_count(user=user)}


def permissions(request):
    """What the page's chrome offers this person (the views check again)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .scopes import can_delete_records

    return {"may_delete_records": can_delete_records(user)}
