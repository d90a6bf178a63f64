"""隐患排查治理台账: the hazard ledger in the columns the safety offices keep in Excel."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.cases.workflow import Status
from zhuqi.core.audit import audit_record
from zhuqi.core.excel import write_sheet
from zhuqi.core.models import AuditEvent

from .models import HazardGrade, RiskColour


def hazard_ledger_columns() -> list[str]:
    return [
        _("No."),
        _("Hazard number"),
        _("Enterprise name"),
        _("Park"),
        _("Found on"),
        _("Found by"),
        _("Where"),
        _("Hazard description"),
        _("Hazard grade"),
        _("Risk colour"),
        _("Rectification measures"),
        _("Person responsible for rectification"),
        _("Funds (10,000 yuan)"),
        _("Rectification deadline"),
        _("Rectification reported on"),
        _("Re-inspected by"),
        _("Re-inspected on"),
        _("Status"),
        _("Rectified on time?"),
    ]


def hazard_ledger_export(*, hazards: QuerySet, by) -> bytes:
    grades, colours, statuses = dict(HazardGrade.choices), dict(RiskColour.choices), dict(Status.choices)
    yes, no = _("Yes"), _("No")

    def rows():
        for n, case in enumerate(hazards.order_by("created_at", "id").iterator(chunk_size=1000), start=1):
            hazard = getattr(case, "hazard", None)
            if hazard is None:
                continue
            yield [
                n,
                case.number,
                case.enterprise.name if case.enterprise else "",
                case.enterprise.park.name if case.enterprise and case.enterprise.park else "",
                timezone.localtime(case.created_at).date(),
                str(case.reporter),
                hazard.place,
                case.description,
                str(grades[hazard.grade]),
                str(colours[hazard.colour]),
                hazard.measures,
                hazard.responsible,
                hazard.funds,
                case.deadline,
                hazard.rectified_on,
                str(hazard.rechecked_by) if hazard.rechecked_by else "",
                hazard.rechecked_on,
                str(statuses[case.status]),
                "" if case.closed_on_time is None else (yes if case.closed_on_time else no),
            ]

    widths = [6, 14, 28, 16, 12, 10, 16, 40, 10, 14, 36, 12, 10, 12, 12, 10, 12, 10, 8]
    content = write_sheet(_("Hazard ledger"), hazard_ledger_columns(), rows(), widths)
    audit_record(actor=by, event=AuditEvent.EXPORT, object_type="cases.hazard", detail=_("Hazard ledger"))
    return content
