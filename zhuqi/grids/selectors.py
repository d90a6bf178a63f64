"""Reads for the grid map: the outlines as one GeoJSON FeatureCollection, open incidents per grid, and the
incidents with a position, drawn by ECharts without any online map tiles."""

from django.db.models import Count, Q, QuerySet

from zhuqi.cases.models import Case
from zhuqi.core import scopes
from zhuqi.org.models import Grid, Role

from .models import INCIDENT_KIND


def can_see_grid_map(user) -> bool:
    return getattr(user, "role", None) in (
        Role.ZONE_COORDINATOR,
        Role.DEPARTMENT_HANDLER,
        Role.PARK_OFFICER,
        Role.GRID_MEMBER,
    )


def grid_map_data(*, user) -> dict:
    incidents = scopes.cases_visible_to(user).filter(kind=INCIDENT_KIND)
    open_incidents = incidents.filter(is_counted=True, is_finished=False)
    grids = (
        Grid.objects.select_related("community__town", "member")
        .annotate(open_incidents=Count("cases", filter=Q(cases__in=open_incidents.values("pk"))))
        .order_by("code")
    )
    features, table = [], []
    for grid in grids:
        table.append(grid)
        if not grid.outline:
            continue
        geometry = grid.outline.get("geometry", grid.outline) if grid.outline.get("type") == "Feature" else grid.outline
        features.append({"type": "Feature", "properties": {"name": grid.name}, "geometry": geometry})
    points = [
        {"name": c["number"], "value": [float(c["longitude"]), float(c["latitude"])], "category": c["category__name"]}
        for c in open_incidents.filter(latitude__isnull=False).values(
            "number", "longitude", "latitude", "category__name"
        )[:2000]
    ]
    return {
        "geojson": {"type": "FeatureCollection", "features": features},
        "counts": [{"name": g.name, "value": g.open_incidents} for g in table if g.outline],
        "points": points,
        "grids": table,
    }


def grids_of(*, member) -> QuerySet:
    """The grids this grid member is responsible for."""
    return Grid.objects.filter(member=member)


def _geometry(outline: dict) -> dict:
    return outline.get("geometry", outline) if outline.get("type") == "Feature" else outline


def cockpit_map(*, points: int = 500) -> dict:
    """Registered as `cockpit.grids`: the zone's grids (outline, town, open incidents) and the open incidents with a
    position, for the leaders' cockpit; the grid map's figures over the whole zone, in three queries."""
    open_incidents = Case.objects.filter(kind=INCIDENT_KIND, is_counted=True, is_finished=False)
    grids = (
        Grid.objects.annotate(open_incidents=Count("cases", filter=Q(cases__in=open_incidents.values("pk"))))
        .values("name", "code", "outline", "open_incidents", "community__town__name")
        .order_by("code")
    )
    rows = [
        {"name": g["name"], "code": g["code"], "town": g["community__town__name"], "value": g["open_incidents"],
         "geometry": _geometry(g["outline"]) if g["outline"] else None}
        for g in grids
    ]  # fmt: skip
    positions = [
        {"name": c["number"], "value": [float(c["longitude"]), float(c["latitude"])]}
        for c in open_incidents.filter(latitude__isnull=False)
        .order_by("-created_at")
        .values("number", "longitude", "latitude")[:points]
    ]
    # incidents reported outside any grid count in the zone's total though no grid shows them
    return {"grids": rows, "points": positions, "open": open_incidents.count()}
