"""Excel in and out: a return's template (its fields as rows, prefilled, to fill offline and upload again, read
with the ledger import's helpers and every problem listed by row and column), and a campaign's tables."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
from django.db.models import Sum
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.excel import WorkbookProblem, column_letter, read_table, safe_cell
from zhuqi.core.models import AuditEvent
from zhuqi.enterprises.ledger import Problem, clean_name
from zhuqi.indicators.models import IndicatorValue, ValueKind
from zhuqi.indicators.units import from_base

from .models import Campaign, Return
from .selectors import campaign_returns, last_values, to_form_unit, values_clean, version_fields
from .services import ReturnError, return_act
from .workflow import FILLED, Action

HEADERS = ["分表", "代码", "指标名称", "计量单位", "本年数值", "上年数值", "填报说明"]
_BOLD, _FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")


def _cell_value(field, value):
    if field.indicator.value_kind == ValueKind.BOOLEAN and value is not None:
        return "是" if value else "否"
    if isinstance(value, str) and field.indicator.value_kind in (
        ValueKind.AMOUNT,
        ValueKind.INTEGER,
        ValueKind.DECIMAL,
    ):
        return float(value) if "." in value else int(value)
    return value


def return_template(*, ret: Return, by) -> bytes:
    """The return as a sheet of rows (one per field), with what is filled so far and last year's values."""
    fields = version_fields(ret.campaign.version)
    last = last_values(ret)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = ret.campaign.version.form.name[:31]
    sheet.append([f"{ret.campaign.title}：{ret.enterprise.name}"])
    sheet.append(
        [_("Period %(period)s; amounts in 千元; fill the column 本年数值 only") % {"period": ret.campaign.period}]
    )
    sheet.append(HEADERS)
    for cell in sheet[3]:
        cell.font, cell.fill, cell.alignment = _BOLD, _FILL, Alignment(horizontal="center")
    for f in fields:
        previous = to_form_unit(f, last.get(f.indicator.code))
        sheet.append([safe_cell(v) for v in [
            f.section.title, f.row, f.label, f.unit, _cell_value(f, ret.values.get(f.indicator.code)),
            _cell_value(f, previous if not isinstance(previous, Decimal) else f"{previous:f}"),
            "、".join(filter(None, [_("required") if f.required else "", f.help_text])),
        ]])  # fmt: skip
    for letter, width in zip("ABCDEFG", [12, 8, 34, 10, 16, 16, 40], strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(actor=by, event=AuditEvent.EXPORT, obj=ret, detail="填报模板")
    return buffer.getvalue()


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_name(str(value).strip())


def return_upload(*, ret: Return, fileobj, by) -> list[Problem]:
    """Read a filled template: every problem by row and column, or (none) the values saved on the return."""
    try:
        table = read_table(fileobj)
    except WorkbookProblem as exc:
        raise DomainError(ReturnError.INVALID, str(exc)) from None
    fields = version_fields(ret.campaign.version)
    by_row = {f.row: f for f in fields}
    rows = list(table.rows)
    header, columns = None, {}
    for number, row in enumerate(rows[:10], start=1):
        texts = [_text(v) for v in row]
        if "代码" in texts and "本年数值" in texts:
            header, columns = number, {t: i for i, t in enumerate(texts)}
            break
    if header is None:
        return [Problem(row=0, column="", value="", reason=_("No header with 代码 and 本年数值 in the first 10 rows"))]
    code_at, value_at = columns["代码"], columns["本年数值"]
    value_letter = column_letter(table.first_column + value_at)
    problems, raw, seen = [], {}, {}
    for number, row in enumerate(rows[header:], start=header + 1):
        code = _text(row[code_at]) if code_at < len(row) else ""
        value = row[value_at] if value_at < len(row) else None
        if not code and value in (None, ""):
            continue
        field = by_row.get(code)
        if field is None:
            problems.append(Problem(row=number, column=column_letter(table.first_column + code_at), value=code,
                                    reason=_("No such row code in this form")))  # fmt: skip
            continue
        if code in seen:
            problems.append(Problem(row=number, column=column_letter(table.first_column + code_at), value=code,
                                    reason=_("Row code repeated (first in row %(row)d)") % {"row": seen[code]}))  # fmt: skip
            continue
        seen[code] = number
        if (number, table.first_column + value_at) in table.formulas and value in (None, ""):
            problems.append(Problem(row=number, column=value_letter, value=table.formulas[(number, table.first_column + value_at)],
                                    reason=_("A formula without a saved result: open and save the file in Excel")))  # fmt: skip
            continue
        raw[field.indicator.code] = (number, _text(value))
    _cleaned, wrong = values_clean(fields, {code: text for code, (_n, text) in raw.items()})
    for code, message in wrong.items():
        problems.append(Problem(row=raw[code][0], column=value_letter, value=raw[code][1], reason=message))
    if problems:
        return sorted(problems, key=lambda p: p.row)
    return_act(ret=ret, action=Action.SAVE, by=by, values={**ret.values, **{c: t for c, (_n, t) in raw.items()}})
    audit_record(actor=by, event=AuditEvent.IMPORT, obj=ret, detail="填报模板")
    return []


def campaign_totals(*, campaign: Campaign, user) -> dict[tuple[str, str], Decimal]:
    """{(indicator code, park name): sum} over the submitted returns this user sees, in SQL; park "" is the zone."""
    firms = campaign_returns(campaign=campaign, user=user).filter(state__in=FILLED).values("enterprise_id")
    base = IndicatorValue.objects.filter(is_current=True, period=campaign.period, enterprise__in=firms)
    totals = {(r["indicator__code"], r["enterprise__park__name"] or "—"): r["total"]
              for r in base.values("indicator__code", "enterprise__park__name").annotate(total=Sum("number"))}  # fmt: skip
    totals.update(
        {(r["indicator__code"], ""): r["total"] for r in base.values("indicator__code").annotate(total=Sum("number"))}
    )
    return totals


def campaign_export(*, campaign: Campaign, user) -> bytes:
    """Two sheets: the zone's totals by park in the form's own rows, and every return as a row."""
    fields = version_fields(campaign.version)
    returns = list(campaign_returns(campaign=campaign, user=user))
    totals = campaign_totals(campaign=campaign, user=user)
    parks = sorted({park for _code, park in totals if park})
    workbook = openpyxl.Workbook(write_only=True)
    summary = workbook.create_sheet(_("Totals"))
    summary.append([campaign.title])
    summary.append(["分表", "代码", "指标名称", "计量单位", "全区合计", *parks])
    for f in fields:
        if f.indicator.value_kind not in (ValueKind.AMOUNT, ValueKind.INTEGER, ValueKind.DECIMAL):
            continue
        shown = [totals.get((f.indicator.code, p)) for p in ["", *parks]]
        shown = [None if v is None else float(from_base(v, f.unit) if f.indicator.value_kind == ValueKind.AMOUNT else v)
                 for v in shown]  # fmt: skip
        summary.append([f.section.title, f.row, f.label, f.unit, *shown])
    detail = workbook.create_sheet(_("Returns"))
    detail.append(["企业名称", "统一社会信用代码", "园区", "状态", *[f"{f.row} {f.label}（{f.unit}）" if f.unit else
                                                         f"{f.row} {f.label}" for f in fields]])  # fmt: skip
    for ret in returns:
        detail.append([safe_cell(v) for v in [
            ret.enterprise.name, ret.enterprise.credit_code, ret.enterprise.park.name if ret.enterprise.park else "",
            ret.get_state_display(), *[_cell_value(f, ret.values.get(f.indicator.code)) for f in fields],
        ]])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit_record(actor=user, event=AuditEvent.EXPORT, obj=campaign, detail=f"{len(returns)} 份")
    return buffer.getvalue()
