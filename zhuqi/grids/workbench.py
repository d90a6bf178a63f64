"""The grid member's card on the 工作台 (registered in apps.py): 开始巡查 and 上报事件 first, as on the phone."""

from .models import Patrol
from .selectors import grids_of


def actions(user) -> dict:
    grids = list(grids_of(member=user).order_by("code")[:2])
    return {
        "patrol": Patrol.objects.filter(member=user, ended_at__isnull=True).select_related("grid").first(),
        # one grid: the button starts its patrol at once; several: the patrol page asks which
        "only_grid": grids[0] if len(grids) == 1 else None,
        "has_grid": bool(grids),
    }
