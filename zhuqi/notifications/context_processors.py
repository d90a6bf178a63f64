from . import selectors


def inbox(request):
    """The unread count in the header: one indexed count, only for signed-in people."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": selectors.unread_count(user=user)}
