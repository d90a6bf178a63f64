"""A return's life as data: which action starts from which states, where it leads, who takes it, whether it
needs a comment and whether it is the firm's (only inside the window, unless the zone reopened the return)."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import ReturnState as S


class Action(models.TextChoices):
    SAVE = "save", _("Save")
    SUBMIT = "submit", _("Submit")
    PARK_APPROVE = "park_approve", _("Approve (park)")
    PARK_RETURN = "park_return", _("Send back (park)")
    ZONE_APPROVE = "zone_approve", _("Approve (zone)")
    ZONE_RETURN = "zone_return", _("Send back (zone)")
    REOPEN = "reopen", _("Reopen the return")


class Part(models.TextChoices):
    FIRM = "firm", _("The enterprise")
    PARK = "park", _("The enterprise's park")
    ZONE = "zone", _("The zone office")


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str
    part: str
    comment_required: bool = False
    in_window: bool = False


TRANSITIONS: dict[str, Transition] = {
    Action.SAVE: Transition(frozenset({S.NOT_STARTED, S.SAVED}), S.SAVED, Part.FIRM, in_window=True),
    Action.SUBMIT: Transition(frozenset({S.NOT_STARTED, S.SAVED}), S.SUBMITTED, Part.FIRM, in_window=True),
    Action.PARK_APPROVE: Transition(frozenset({S.SUBMITTED}), S.PARK_APPROVED, Part.PARK),
    Action.PARK_RETURN: Transition(frozenset({S.SUBMITTED}), S.SAVED, Part.PARK, comment_required=True),
    Action.ZONE_APPROVE: Transition(frozenset({S.PARK_APPROVED}), S.ZONE_APPROVED, Part.ZONE),
    Action.ZONE_RETURN: Transition(frozenset({S.PARK_APPROVED}), S.SAVED, Part.ZONE, comment_required=True),
    Action.REOPEN: Transition(
        frozenset({S.NOT_STARTED, S.SAVED, S.SUBMITTED, S.PARK_APPROVED, S.ZONE_APPROVED}),
        S.SAVED,
        Part.ZONE,
        comment_required=True,
    ),  # fmt: skip
}

# whom to tell after each action
NEXT: dict[str, str | None] = {
    Action.SAVE: None,
    Action.SUBMIT: Part.PARK,
    Action.PARK_APPROVE: Part.ZONE,
    Action.PARK_RETURN: Part.FIRM,
    Action.ZONE_APPROVE: Part.FIRM,
    Action.ZONE_RETURN: Part.FIRM,
    Action.REOPEN: Part.FIRM,
}

FILLED = (S.SUBMITTED, S.PARK_APPROVED, S.ZONE_APPROVED)  # 已报送
REVIEWED = (S.ZONE_APPROVED,)  # 已审核 (at the zone, the last level)
