from enum import Enum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.cases.models import Category, Source
from zhuqi.cases.services import case_raise
from zhuqi.core.errors import DomainError
from zhuqi.org.models import Role

from .models import INCIDENT_KIND, Patrol


class GridError(Enum):
    NOT_ALLOWED = "not_allowed"
    INVALID = "invalid"


def _own_grid(by, grid):
    if by.role != Role.GRID_MEMBER or grid.member_id != by.pk:
        raise DomainError(GridError.NOT_ALLOWED, _("Only the grid's own member patrols and reports in it"))


@transaction.atomic
def patrol_start(*, by, grid) -> Patrol:
    _own_grid(by, grid)
    try:
        with transaction.atomic():
            return Patrol.objects.create(grid=grid, member=by)
    except IntegrityError:
        raise DomainError(GridError.INVALID, _("A patrol is already under way; end it first")) from None


@transaction.atomic
def patrol_end(*, by, notes: str = "") -> Patrol:
    patrol = Patrol.objects.select_for_update().filter(member=by, ended_at__isnull=True).first()
    if patrol is None:
        raise DomainError(GridError.INVALID, _("No patrol is under way"))
    patrol.ended_at, patrol.notes = timezone.now(), notes.strip()
    patrol.save(update_fields=["ended_at", "notes"])
    return patrol


def incident_report(*, by, grid, category: Category, description: str, latitude=None, longitude=None, location="",
                    files=()):  # fmt: skip
    """网格事件: reported from the grid member's phone; its category routes it to the owning department."""
    if grid is None:
        raise DomainError(GridError.INVALID, _("A grid incident is reported in its grid"), field="grid")
    _own_grid(by, grid)
    if category.kind != INCIDENT_KIND:
        raise DomainError(GridError.INVALID, _("Choose a grid incident category"), field="category")
    return case_raise(
        by=by, category=category, description=description, source=Source.PATROL, grid=grid, latitude=latitude,
        longitude=longitude, location=location, files=files,
    )  # fmt: skip
