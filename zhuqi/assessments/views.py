"""Pages: the month's ranking (通报 view), a unit's scores with the drill-down to formula, inputs and records, the
year's targets (entered by the zone office) and a unit's progress against them."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .models import ZONE, Kind, Phasing


def _month(request) -> tuple[int, int]:
    """?month=2024-05, else last month."""
    text = request.GET.get("month", "")
    try:
        day = datetime.datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 -- a month, no time
        if 2000 <= day.year <= 2100:
            return day.year, day.month
    except ValueError:
        pass
    today = timezone.localdate()
    return selectors.previous_month(today.year, today.month)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _valid(year: int, month: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404


@allowed_if(selectors.can_see_assessment)
def ranking_page(request):
    year, month = _month(request)
    rows = selectors.ranking(year=year, month=month)
    own = selectors.own_unit(request.user)
    for row in rows:
        row["may_open"] = selectors.may_see_unit(request.user, row["unit_key"])
    return render(request, "assessments/ranking.html", {
        "rows": rows, "year": year, "month": month, "own": own, "months": selectors.months_listed(),
        "closed": selectors.closed_month(year, month), "may_manage": selectors.can_manage(request.user),
        "month_over": (year, month) < (timezone.localdate().year, timezone.localdate().month),
    })  # fmt: skip


@allowed_if(selectors.can_see_assessment)
def unit_page(request, unit_key: str, year: int, month: int):
    _valid(year, month)
    selectors.unit_get_for_user(request.user, unit_key)
    if unit_key == ZONE:
        raise Http404
    sheet = selectors.unit_score_sheet(year=year, month=month, unit_key=unit_key)
    rank = next((r for r in selectors.ranking(year=year, month=month) if r["unit_key"] == unit_key), None)
    return render(request, "assessments/unit.html", {
        "sheet": sheet, "unit_key": unit_key, "unit_name": selectors.unit_name(unit_key), "year": year,
        "month": month, "rank": rank, "may_manage": selectors.can_manage(request.user),
        "history": selectors.adjustment_history(year=year, month=month, unit_key=unit_key),
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_manage)
def adjust(request, unit_key: str, year: int, month: int):
    _valid(year, month)
    selectors.unit_get_for_user(request.user, unit_key)
    try:
        services.adjustment_record(year=year, month=month, unit_key=unit_key,
                                   indicator_code=request.POST.get("indicator_code", ""),
                                   points=request.POST.get("points", ""), reason=request.POST.get("reason", ""),
                                   by=request.user)  # fmt: skip
        messages.success(request, _("The adjustment is recorded"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assessment-unit", unit_key, year, month)


@require_POST
@allowed_if(selectors.can_manage)
def month_close(request, year: int, month: int):
    _valid(year, month)
    try:
        services.month_close(year=year, month=month, by=request.user)
        messages.success(request, _("The month is closed: its scores are frozen"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(f"{reverse('assessment-ranking')}?month={year}-{month:02d}")


@allowed_if(selectors.can_see_assessment)
def targets_page(request):
    year = _year(request)
    may_manage = selectors.can_manage(request.user)
    if request.method == "POST":
        if not may_manage:
            raise Http404
        phases = [p for p in request.POST.get("phases", "").replace("，", ",").split(",") if p.strip()]
        try:
            services.target_set(year=year, unit_key=request.POST.get("unit_key", ""),
                                indicator_code=request.POST.get("indicator_code", ""),
                                value=request.POST.get("value", ""), phasing=request.POST.get("phasing", ""),
                                phases=phases, by=request.user)  # fmt: skip
            messages.success(request, _("The target is saved"))
            return redirect(f"{request.path}?year={year}")
        except DomainError as error:
            messages.error(request, error.message)
    units = {ZONE: selectors.unit_name(ZONE)} | {k: v[0] for k, v in selectors.units().items()}
    own = selectors.own_unit(request.user)
    return render(request, "assessments/targets.html", {
        "year": year, "groups": selectors.targets_of_year(user=request.user, year=year), "may_manage": may_manage,
        "units": units, "indicators": selectors.indicators_in_effect(on=datetime.date(year, 12, 31)),
        "phasings": Phasing.choices, "years": range(timezone.localdate().year + 1, 2019, -1),
        "progress_units": [ZONE, own] if own else ([ZONE] if may_manage else []),
    })  # fmt: skip


@allowed_if(selectors.can_see_assessment)
def progress_page(request, unit_key: str, year: int):
    _valid(year, 1)
    if unit_key != ZONE:
        selectors.unit_get_for_user(request.user, unit_key)
    rows = selectors.progress(year=year, unit_key=unit_key)
    for row in rows:
        row["sentence"] = selectors.progress_sentence(row)
    may_report = selectors.can_manage(request.user) or selectors.own_unit(request.user) == unit_key
    return render(request, "assessments/progress.html", {
        "rows": rows, "year": year, "unit_key": unit_key, "unit_name": selectors.unit_name(unit_key),
        "may_report": may_report, "months": range(1, 13),
        "expected": selectors.indicators_in_effect(on=datetime.date(year, 12, 31), kind=Kind.EXPECTED),
        "history": selectors.reported_history(year=year, unit_key=unit_key)[:50] if may_report else [],
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_see_assessment)
def report_value(request, unit_key: str, year: int):
    _valid(year, 1)
    if unit_key != ZONE:
        selectors.unit_get_for_user(request.user, unit_key)
    try:
        month = int(request.POST.get("month", "0"))
    except ValueError:
        month = 0
    try:
        services.reported_value_record(year=year, month=month, unit_key=unit_key,
                                       indicator_code=request.POST.get("indicator_code", ""),
                                       value=request.POST.get("value", ""), note=request.POST.get("note", ""),
                                       by=request.user)  # fmt: skip
        messages.success(request, _("The value is recorded"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("assessment-progress", unit_key, year)
