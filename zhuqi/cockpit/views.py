from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from zhuqi.core.permissions import allowed_if

from . import selectors

# the charts' words (cockpit.js), given once with the page
LABELS = {
    "open": _("Open incidents"),
    "incident": _("Incident"),
    "on_time": _("On-time rate"),
    "satisfaction": _("Satisfaction"),
    "firms": _("Enterprises"),
    "new": _("New this year"),
}


def _wall(request) -> bool:
    return request.GET.get("wall") == "1"


@never_cache
@allowed_if(selectors.can_see_cockpit)
def cockpit(request):
    """驾驶舱: every tile at once; `?wall=1` is the wall screen's (full screen, dark, no navigation)."""
    context = selectors.cockpit_tiles(user=request.user)
    return render(request, "cockpit/cockpit.html", {**context, "wall": _wall(request), "labels": LABELS})


@never_cache
@allowed_if(selectors.can_see_cockpit)
def cockpit_tile(request, name: str):
    """One tile again, for the page's polling (htmx): the same figures as the page's."""
    if name not in selectors.TILES:
        raise Http404
    context = selectors.cockpit_tiles(user=request.user, only=name)
    return render(request, f"cockpit/cockpit.html#tile_{name}", {**context, "wall": _wall(request)})
