"""The cockpit's tiles, each read from the module it shows through the selectors the modules register (modules never
import each other): `cockpit.grids`, `cockpit.monitoring`, `cockpit.cases`, `cockpit.growth`, `cockpit.dispatch`,
`cockpit.pollution`, the policies' `policies.figures` and the assessment's `assessments.progress` (with
`assessments.ranking` where there is one). Each is a few aggregate queries over the whole zone, so the page's cost
does not grow with the records. A selector that is not registered (the assessment not installed yet) leaves its
tile saying so instead of failing the page."""

import datetime
from decimal import Decimal

from django.utils import timezone

from zhuqi.core import registry
from zhuqi.core.roles import Role

# the zone office and the departments' heads (read only: the cockpit changes nothing); a park, a grid member or a
# firm sees its own part of the zone on its own pages, not the zone's figures
READERS = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER}
TILES = ("targets", "grid_map", "alarms", "cases", "policies", "growth", "dispatch", "pollution")


def can_see_cockpit(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in READERS)


def _registered(name: str):
    return registry.selectors().get(name)


def _previous_month(today: datetime.date) -> tuple[int, int]:
    return (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)


def targets_tile(*, user, today: datetime.date) -> dict:
    """The zone's key figures against their targets (the assessment's progress); the latest month's ranking."""
    progress = _registered("assessments.progress")
    if progress is None:
        return {"set_up": False, "year": today.year}
    rows = list(progress(year=today.year, unit_key="zone"))
    for row in rows:
        percent = row.get("percent")
        row["bar"] = max(0, min(100, int(percent))) if percent is not None else 0
    ranking, month = None, None
    rank = _registered("assessments.ranking")
    if rank is not None:
        year, month = _previous_month(today)
        ranking = list(rank(year=year, month=month))[:5]
        # a unit's drill-down opens for those who may see it (a department its own); the others read the line only
        may_see = _registered("assessments.may_see_unit")
        for row in ranking:
            if may_see is None or not may_see(user, row["unit_key"]):
                row["url"] = None
    # the assessment's own page, as its navigation entry names it for this user
    page = next((e for e in registry.nav_entries(user) if e.name.startswith("assessments")), None)
    return {"set_up": True, "year": today.year, "rows": rows, "ranking": ranking, "ranking_month": month,
            "page": page.url_name if page else None}  # fmt: skip


def grid_map_tile(*, user, today: datetime.date) -> dict:
    data = registry.selector("cockpit.grids")()
    grids = data["grids"]
    drawn = [g for g in grids if g["geometry"]]
    most = max([g["value"] for g in grids] + [0])
    chart = {
        "kind": "map" if drawn else "bars",
        "features": [{"type": "Feature", "properties": {"name": g["code"]}, "geometry": g["geometry"]} for g in drawn],
        "grids": [{"name": g["code"], "label": g["name"], "value": g["value"]} for g in grids],
        "points": data["points"],
        "most": most,
    }
    busiest = sorted((g for g in grids if g["value"]), key=lambda g: -g["value"])[:3]
    return {"open": data["open"], "grids": len(grids), "with_incidents": sum(1 for g in grids if g["value"]),
            "busiest": busiest, "chart": chart}  # fmt: skip


def alarms_tile(*, user, today: datetime.date) -> dict:
    data = registry.selector("cockpit.monitoring")()
    data["chart"] = {"levels": [{"name": str(label), "value": n, "level": level} for level, label, n in data["levels"]]}
    return data


def cases_tile(*, user, today: datetime.date) -> dict:
    data = registry.selector("cockpit.cases")(year=today.year, today=today)
    data["chart"] = {"on_time_rate": data["on_time_rate"], "satisfaction_rate": data["satisfaction_rate"]}
    return data


def policies_tile(*, user, today: datetime.date) -> dict:
    data = registry.selector("policies.figures")(year=today.year)
    total, automatic = data["total"], data["automatic"]
    return {**data, "year": today.year, "total_wan": (total / 10000).quantize(Decimal("0.01")),
            "automatic_share": (100 * automatic / total).quantize(Decimal("0.1")) if total else None}  # fmt: skip


def growth_tile(*, user, today: datetime.date) -> dict:
    data = registry.selector("cockpit.growth")(year=today.year, on=today)
    data["chart"] = {"stages": [{"name": str(s["label"]), "firms": s["firms"], "new": s["new"]}
                                for s in data["stages"]]}  # fmt: skip
    return data


def dispatch_tile(*, user, today: datetime.date) -> dict | None:
    return registry.selector("cockpit.dispatch")(today=today)


def pollution_tile(*, user, today: datetime.date) -> dict | None:
    return registry.selector("cockpit.pollution")()


READS = {"targets": targets_tile, "grid_map": grid_map_tile, "alarms": alarms_tile, "cases": cases_tile,
         "policies": policies_tile, "growth": growth_tile, "dispatch": dispatch_tile, "pollution": pollution_tile}  # fmt: skip


def cockpit_tiles(*, user, only: str | None = None, today: datetime.date | None = None) -> dict:
    """Every tile's figures (or one tile's), by the tile's name."""
    today = today or timezone.localdate()
    names = [only] if only else TILES
    return {"today": today, **{name: READS[name](user=user, today=today) for name in names}}
