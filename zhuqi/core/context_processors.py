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

    groups = []
    for area, entries in registry.nav_groups(user):
        links = [
            {"label": e.label, "url": reverse(e.url_name, args=e.args(user) if e.args else None), "icon": e.icon}
            for e in entries
        ]
        groups.append({"label": area and area.label, "entries": links})
    # the current page is the entry whose address is the longest start of this one (指标统计 under 诉求办理's /cases/)
    path, links = request.path, [link for group in groups for link in group["entries"]]
    under = [link for link in links if path == link["url"] or (link["url"] != "/" and path.startswith(link["url"]))]
    if under:
        max(under, key=lambda link: len(link["url"]))["active"] = True
    return {"may_delete_records": can_delete_records(user), "nav_groups": groups}
