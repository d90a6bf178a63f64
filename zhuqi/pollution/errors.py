from enum import Enum

from django.utils.translation import gettext as _

from zhuqi.core.errors import DomainError

from .selectors import can_manage


class PollutionError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"
    WRONG_STATUS = "wrong_status"
    STALE = "stale"


def must_manage(by) -> None:
    if not can_manage(by):
        raise DomainError(
            PollutionError.NOT_ALLOWED, _("Only the ecology and environment bureau and the zone office may do this")
        )
