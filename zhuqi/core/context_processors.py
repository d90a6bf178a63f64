from django.conf import settings


def zone(request):
    return {"zone_name": settings.ZHUQI_ZONE_NAME, "lockout_minutes": settings.ZHUQI_LOCKOUT_MINUTES}


def permissions(request):
    """What the page's chrome offers this person (the views check again): the recycle bin, and the navigation
    entries the modules register for this role (core.registry.nav_register), by area, the current page's marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from django.urls import reverse

    from . import registry
    from .scopes import can_delete_records

    groups, path = [], request.path
    for area, entries in registry.nav_groups(user):
        links = []
        for e in entries:
            url = reverse(e.url_name, args=e.args(user) if e.args else None)
            active = path == url or (url != "/" and path.startswith(url))
            links.append({"label": e.label, "url": url, "icon": e.icon, "active": active})
        groups.append({"label": area and area.label, "entries": links})
    return {"may_delete_records": can_delete_records(user), "nav_groups": groups}
