"""The enterprises' card on the 工作台 (registered in apps.py)."""

from zhuqi.core import scopes
from zhuqi.core.roles import Role

from . import selectors


def card(user) -> dict:
    mine = selectors.my_enterprises(user=user)
    mine_count = mine.count()
    return {
        # 我分包的企业 only for whoever has firms assigned, or whose job it is (a park officer not yet assigned any)
        "assigned": bool(mine_count) or user.role == Role.PARK_OFFICER,
        "mine": mine[:50],
        "mine_count": mine_count,
        "overdue_count": mine.filter(visit_overdue=True).count() if mine_count else 0,
        "expiring": selectors.qualifications_expiring(user=user, within_days=90)[:10],
        "coverage": selectors.visit_coverage(user=user) if scopes.can_see_coverage(user) else None,
        "visible_count": scopes.enterprises_visible_to(user).count(),
    }
