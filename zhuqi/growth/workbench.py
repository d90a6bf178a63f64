"""The firm's 工作台 card: where it stands against the next stage, and its nearest gaps."""

from django.utils import timezone

from .selectors import can_see_own_standing, data_year, next_stage_policies, stage_counts_of, standing_of


def firm_card(user) -> dict | None:
    if not can_see_own_standing(user):
        return None
    enterprise = user.enterprise
    year = data_year(timezone.localdate())
    standing = standing_of(enterprise=enterprise, year=year)
    today = timezone.localdate()
    stages = stage_counts_of(enterprise=enterprise, on=today)
    return {"growth": {"standing": standing, "gaps": standing.gaps[:3], "year": year, "stages": stages,
                       "next": next_stage_policies(held=[s.kind for s in stages], on=today)}}  # fmt: skip
