"""The daily dispatch's figures as indicator values and as the offices' Excel workbook.

Each report is recorded, for its firm and day (period kind day), as indicator values through
indicators.services.indicator_values_record, so the assessment and the rules read a firm's days as they read any
other indicator: whether it was working (复工), its staff at work and planned (返岗率), its output and normal output
(产能恢复率), both rates, and whether it reported after the cut-off. The zone's and the parks' 复工率, 返岗率 and
产能恢复率 are the sums of these over the target firms (selectors.period_figures)."""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from zhuqi.core.excel import safe_cell
from zhuqi.indicators.models import Origin
from zhuqi.indicators.services import indicator_values_record

from . import selectors
from .models import WORKING, DailyReport, DispatchPeriod

# code, name, kind of value, unit (declared by migration 0002 of this app)
FIGURES = [
    ("dispatch_working", "调度日已复工（正常或部分开工）", "boolean", ""),
    ("dispatch_staff_on_duty", "调度日在岗人数", "integer", "人"),
    ("dispatch_staff_planned", "调度日计划人数", "integer", "人"),
    ("dispatch_staff_return_rate", "调度日返岗率", "decimal", "%"),
    ("dispatch_output", "调度日当日产值", "amount", "万元"),
    ("dispatch_normal_output", "调度日正常日产值", "amount", "万元"),
    ("dispatch_capacity_recovery_rate", "调度日产能恢复率", "decimal", "%"),
    ("dispatch_reported_late", "调度日逾时报送", "boolean", ""),
]


def _rate(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def report_values(report: DailyReport) -> dict:
    """A report's figures by indicator code (amounts in 万元, as the form takes them)."""
    return {
        "dispatch_working": report.operating_status in WORKING,
        "dispatch_staff_on_duty": report.staff_on_duty,
        "dispatch_staff_planned": report.staff_planned,
        "dispatch_staff_return_rate": _rate(report.staff_on_duty, report.staff_planned),
        "dispatch_output": report.output_value,
        "dispatch_normal_output": report.normal_output,
        "dispatch_capacity_recovery_rate": _rate(report.output_value, report.normal_output),
        "dispatch_reported_late": report.is_late,
    }


def report_figures_record(*, report: DailyReport, by) -> int:
    """Record a report's figures as the firm's indicator values for its day; a correction the same day adds
    versions of those that changed (the old ones kept). Returns the versions added."""
    values = {code: value for code, value in report_values(report).items() if value is not None}
    return indicator_values_record(
        enterprise=report.enterprise, period=report.day.isoformat(), values=values, by=by, origin=Origin.RETURN,
        origin_ref=f"dispatch.report:{report.pk}", origin_version=f"dispatch.period:{report.target.period_id}",
        units={"dispatch_output": "万元", "dispatch_normal_output": "万元"},
    )  # fmt: skip


# -- the offices' workbook ---------------------------------------------------------------------------------------

FIGURE_HEADERS = ["调度企业数", "已报送", "报送率(%)", "已复工", "复工率(%)", "在岗人数", "计划人数", "返岗率(%)",
                  "当日产值(万元)", "产能恢复率(%)"]  # fmt: skip
_BOLD, _FILL = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")


def _figure_cells(f: dict) -> list:
    def number(value):
        return float(value) if value is not None else "—"

    return [f["targets"], f["reported"], number(f["report_rate"]), f["working"], number(f["resumption_rate"]),
            f["on_duty"], f["planned"], number(f["staff_return_rate"]), float(f["output"]),
            number(f["capacity_recovery_rate"])]  # fmt: skip


def _sheet(workbook, title: str, heading: str, headers: list[str], rows: list[list], widths: list[int]):
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font, cell.fill = _BOLD, _FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    return sheet


def dispatch_export(*, user, period: DispatchPeriod, day: datetime.date) -> bytes:
    """The offices' workbook: the day's figures by park (with the zone's total), the period's figures day by day for
    the zone and by park, and the firms that had not reported that day with their service officer."""
    figures = selectors.period_figures(user=user, period=period, group="park", day=day)
    day = figures["day"]
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    wide = [6, 24, *[11] * len(FIGURE_HEADERS)]
    day_text = f"{day.year}年{day.month}月{day.day}日"

    rows = [[n, str(g["name"]), *_figure_cells(g["figures"])] for n, g in enumerate(figures["groups"], start=1)]
    rows.append(["", "合计", *_figure_cells(figures["zone"])])
    _sheet(workbook, "当日分园区", f"{period.name} 复工复产情况（{day_text}）", ["序号", "园区", *FIGURE_HEADERS],
           rows, wide)  # fmt: skip

    rows = [[d.isoformat(), *_figure_cells(f)] for d, f in zip(figures["days"], figures["series"], strict=True)]
    _sheet(workbook, "逐日汇总", f"{period.name} 逐日复工复产情况", ["日期", *FIGURE_HEADERS], rows,
           [12, *[11] * len(FIGURE_HEADERS)])  # fmt: skip

    rows = []
    for shown in figures["days"]:
        on_day = selectors.period_figures(user=user, period=period, group="park", day=shown)
        rows += [[shown.isoformat(), str(g["name"]), *_figure_cells(g["figures"])] for g in on_day["groups"]]
    _sheet(workbook, "逐日分园区", f"{period.name} 分园区逐日复工复产情况", ["日期", "园区", *FIGURE_HEADERS], rows,
           [12, 24, *[11] * len(FIGURE_HEADERS)])  # fmt: skip

    missing = selectors.targets_not_reported(user=user, period=period, day=day)
    rows = [
        [n, t.park.name if t.park else "—", t.enterprise.name, t.enterprise.credit_code,
         t.enterprise.service_officer.full_name if t.enterprise.service_officer else "—", day.isoformat()]
        for n, t in enumerate(missing, start=1)
    ]  # fmt: skip
    _sheet(workbook, "未报送企业", f"{period.name} 截至{day_text}未报送企业",
           ["序号", "园区", "企业名称", "统一社会信用代码", "首席服务官", "未报送日期"], rows, [6, 24, 36, 22, 12, 12])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_name(period: DispatchPeriod, day: datetime.date) -> str:
    return _("%(period)s dispatch figures %(day)s.xlsx") % {"period": period.name, "day": day.isoformat()}
