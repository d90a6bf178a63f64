"""问题办理台账: the problem ledger in the columns the offices keep in Excel."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.excel import write_sheet
from zhuqi.core.models import AuditEvent

from .models import Rating, Result, Source


def ledger_columns() -> list[str]:
    return [
        _("No."),
        _("Enterprise name"),
        _("Problem description"),
        _("Category"),
        _("Source"),
        _("Department assigned"),
        _("Time assigned"),
        _("Deadline"),
        _("Result"),
        _("Closed on"),
        _("Closed on time?"),
        _("Enterprise rating"),
    ]


def ledger_export(*, cases: QuerySet, by) -> bytes:
    rows_source = cases.order_by("created_at", "id").values_list(
        "number",
        "enterprise__name",
        "description",
        "category__name",
        "source",
        "lead_department__name",
        "assigned_on",
        "deadline",
        "result",
        "result_text",
        "closed_at",
        "closed_on_time",
        "rating",
        "rating_comment",
    )
    sources, results, ratings = dict(Source.choices), dict(Result.choices), dict(Rating.choices)
    yes, no = _("Yes"), _("No")

    def rows():
        for n, r in enumerate(rows_source.iterator(chunk_size=2000), start=1):
            (number, name, text, category, source, dept, assigned, deadline, result, result_text, closed, on_time,
             rating, rating_comment) = r  # fmt: skip
            outcome = f"{results[result]}：{result_text}" if result else ""
            verdict = f"{ratings[rating]}{('：' + rating_comment) if rating_comment else ''}" if rating else ""
            yield [
                n,
                name or "",
                f"[{number}] {text}",
                category,
                str(sources.get(source, source)),
                dept or "",
                assigned,
                deadline,
                outcome,
                timezone.localtime(closed).date() if closed else None,
                "" if on_time is None else (yes if on_time else no),
                verdict,
            ]

    content = write_sheet(_("Problem ledger"), ledger_columns(), rows(), [6, 28, 50, 12, 10, 16, 12, 12, 40, 12, 8, 20])
    audit_record(actor=by, event=AuditEvent.EXPORT, object_type="cases.case", detail=_("Problem ledger"))
    return content
