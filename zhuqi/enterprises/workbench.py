"""The enterprises' card on the 工作台 (registered in apps.py)."""

from zhuqi.core import scopes

from . import selectors


def card(user) -> dict:
    mine = selectors.my_enterprises(user=user)
    return {
        "mine": mine[:50],
        "mine_count": mine.count(),
        "overdue_count": mine.filter(visit_overdue=True).count(),
        "expiring": selectors.qualifications_expiring(user=user, within_days=90)[:10],
        "coverage": selectors.visit_coverage(user=user) if scopes.can_see_coverage(user) else None,
        "visible_count": scopes.enterprises_visible_to(user).count(),
    }
