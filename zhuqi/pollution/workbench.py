"""The 工作台 card: a firm's open alert task; a service officer's and grid member's firms not confirmed within two
hours, and a grid member's spot checks of the day; the bureau's active alerts."""

from . import selectors
from .models import Alert, AlertStatus


def card(user) -> dict | None:
    mine = list(selectors.open_tasks_of_firm(user=user))
    if mine:
        return {"pollution_card": {"mine": mine}}
    late = list(selectors.unconfirmed_for(user=user)[:20])
    spots = list(selectors.spot_checks_for(user=user).filter(assignee=user)[:20])
    active = list(Alert.objects.filter(status=AlertStatus.ACTIVE)) if selectors.can_manage(user) else []
    if not (late or spots or active):
        return None
    return {"pollution_card": {"late": late, "spots": spots, "active": active}}
