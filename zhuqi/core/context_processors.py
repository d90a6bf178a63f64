from django.conf import settings


def zone(request):
    return {"zone_name": settings.ZHUQI_ZONE_NAME, "lockout_minutes": settings.ZHUQI_LOCKOUT_MINUTES}


def permissions(request):
    """What the page's chrome offers this person (the views check again): the recycle bin, and the navigation
    entries the modules register for this role (core.registry.nav_register)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.urls import reverse

    from . import registry
    from .scopes import can_delete_records

    nav = [
        {"label": e.label, "url": reverse(e.url_name, args=e.args(user) if e.args else None), "area": e.area}
        for e in registry.nav_entries(user)
    ]
    return {"may_delete_records": can_delete_records(user), "nav_entries": nav}
