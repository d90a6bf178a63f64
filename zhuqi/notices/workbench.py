"""The notices' 工作台 cards: a firm's notices waiting for it; a service officer's firms that let a date pass."""

from .models import Requirement
from .selectors import officer_follow_up, receipts_for_enterprise


def firm_card(user) -> dict | None:
    receipts = receipts_for_enterprise(user=user)
    waiting = [r for r in receipts[:50] if r.read_at is None or
               (r.notice.requirement == Requirement.CONFIRM and r.confirmed_at is None)]  # fmt: skip
    return {"notices_waiting": waiting[:8], "notices_waiting_count": len(waiting)}


def follow_up_card(user) -> dict | None:
    missing = officer_follow_up(user=user)
    count = missing.count()
    return {"follow_up": missing[:5], "follow_up_count": count} if count else None
