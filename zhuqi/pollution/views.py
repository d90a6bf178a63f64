from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if
from zhuqi.core.roles import Role

from . import lists, measures, report, selectors, services
from .forms import AlertForm, CheckInForm, FirmForm, GradeForm, NewFirmForm, OverrideForm, SourceForm, SpotCheckForm
from .lists import FIRM_FIELDS
from .models import Compliance, Level


def _get(fn, **kwargs):
    try:
        return fn(**kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None


@allowed_if(selectors.can_use)
def index(request):
    user = request.user
    if user.role == Role.ENTERPRISE_CONTACT:
        return render(request, "pollution/firm_home.html", {
            "tasks": selectors.tasks_visible_to(user).select_related("alert").order_by("-from_at")[:50],
            "listed": selectors.is_listed(user),
        })  # fmt: skip
    form = AlertForm(request.POST or None) if selectors.can_manage(user) else None
    if form is not None and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            alert = services.alert_issue(by=user, level=d["level"], document=d["document"], region=d["region"],
                                         starts_at=d["starts_at"], ends_at=d["ends_at"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("pollution-alert", alert.pk)
    return render(request, "pollution/index.html", {
        "alerts": selectors.alert_list(user=user), "form": form, "grades": selectors.grade_counts(),
        "thresholds": measures.thresholds_in_force(timezone.localdate()),
        "late": selectors.unconfirmed_for(user=user)[:50],
        "spots": selectors.spot_checks_for(user=user)[:100],
    })  # fmt: skip


@allowed_if(selectors.can_see_figures)
def alert_detail(request, pk: int):
    user = request.user
    alert = _get(selectors.alert_get_for_user, user=user, pk=pk)
    group = "industry" if request.GET.get("by") == "industry" else "park"
    figures = selectors.alert_figures(user=user, alert=alert, group=group)
    names = {"so2": "SO₂", "nox": "NOx", "pm": _("Particulate"), "vocs": "VOCs"}
    chart = {
        "pollutants": [str(names[p]) for p in names],
        "required": [figures["zone"][p]["required_pct"] for p in names],
        "achieved": [figures["zone"][p]["achieved_pct"] for p in names],
        "target": figures["target"],
        "groups": [g["name"] for g in figures["groups"]],
        "group_achieved": [[g["pollutants"][p]["achieved_pct"] for g in figures["groups"]] for p in names],
        "labels": {"required": _("Required by the measures"), "achieved": _("Achieved"), "target": _("Target share"),
                   "confirmed": pgettext("pollution", "Confirmed"), "complying": _("Complying"), "firms": _("Firms")},
        "hourly": selectors.alert_hourly(user=user, alert=alert),
    }  # fmt: skip
    compliance = request.GET.get("compliance", "")
    return render(request, "pollution/alert_detail.html", {
        "alert": alert, "figures": figures, "chart": chart, "group": group, "names": names,
        "steps": services.steps_allowed(alert, user), "levels": Level.choices,
        "tasks": selectors.tasks_of_alert(user=user, alert=alert, compliance=compliance)[:500],
        "compliance": compliance, "compliances": Compliance.choices,
        "events": alert.events.select_related("by"), "may_manage": selectors.can_manage(user),
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_manage)
def alert_act(request, pk: int):
    alert = _get(selectors.alert_get_for_user, user=request.user, pk=pk)
    version = request.POST.get("version", "")
    try:
        alert = services.alert_act(alert=alert, action=request.POST.get("action", ""), by=request.user,
                                   level=request.POST.get("level", ""), note=request.POST.get("note", ""),
                                   version=int(version) if version.isdigit() and len(version) < 10 else None)  # fmt: skip
        messages.success(request, _("Done: the alert is %(status)s") % {"status": alert.get_status_display()})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("pollution-alert", pk)


@require_POST
@allowed_if(selectors.can_manage)
def alert_proof(request, pk: int):
    alert = _get(selectors.alert_get_for_user, user=request.user, pk=pk)
    try:
        result = services.readings_compare(alert=alert)
        raised = services.mismatches_to_cases(alert=alert, by=request.user) if request.POST.get("cases") else 0
        messages.success(request, _("%(n)d firms compared with their readings, %(m)d mismatches, %(c)d cases raised")
                         % {"n": result["compared"], "m": result["mismatches"], "c": raised})  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("pollution-alert", pk)


@allowed_if(selectors.can_see_figures)
def alert_report(request, pk: int):
    alert = _get(selectors.alert_get_for_user, user=request.user, pk=pk)
    body = report.alert_report_docx(user=request.user, alert=alert)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="pollution-alert-{alert.pk}.docx"'
    return response


@allowed_if(selectors.can_use)
def firm_list(request):
    grade = request.GET.get("grade", "")
    return render(request, "pollution/firm_list.html", {
        "firms": selectors.firm_list(user=request.user, grade=grade, q=request.GET.get("q", "")),
        "grade": grade, "grades": selectors.grade_counts(), "may_manage": selectors.can_manage(request.user),
    })  # fmt: skip


@allowed_if(selectors.can_use)
def firm_detail(request, enterprise_id: int):
    user = request.user
    firm = _get(selectors.firm_get_for_user, user=user, enterprise_id=enterprise_id)
    form = GradeForm(request.POST or None) if selectors.can_manage(user) else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            lists.grade_set(enterprise=firm.enterprise, by=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Grade recorded"))
            return redirect("pollution-firm", enterprise_id)
    table = measures.MeasureTable(on=timezone.localdate(), enterprise_ids=[firm.enterprise_id])
    base = measures.baseline(
        approval=firm.approval_capacity, permit=firm.permit_capacity, last_year=firm.last_year_daily
    )
    levels = []
    for level in Level:
        m = table.resolve(enterprise_id=firm.enterprise_id, sector=firm.sector, grade=firm.grade, level=level,
                          livelihood=firm.livelihood)  # fmt: skip
        levels.append({"level": level, "measure": m,
                       "allowed": measures.allowed_output(base, m.cut_percent) if m else None})  # fmt: skip
    may_manage = selectors.can_manage(user)
    return render(request, "pollution/firm_detail.html", {
        "firm": firm, "sources": firm.sources.all(), "history": selectors.grade_history(enterprise_id=enterprise_id),
        "levels": levels, "baseline": base, "form": form, "may_manage": may_manage,
        "tasks": selectors.tasks_visible_to(user).filter(enterprise_id=enterprise_id).select_related("alert")[:50],
    })  # fmt: skip


@allowed_if(selectors.can_use)
def task_detail(request, pk: int):
    user = request.user
    task = _get(selectors.task_get_for_user, user=user, pk=pk)
    today = timezone.localdate()
    current = task.checkins.filter(day=today, submitted_at__isnull=False).first()
    initial = {"output": current.output, "lines_stopped": current.lines_stopped, "lines_cut": current.lines_cut,
               "old_trucks_used": current.old_trucks_used, "note": current.note} if current else {"old_trucks_used": 0}  # fmt: skip
    may_report = task.closed_at is None and (user.role == Role.ENTERPRISE_CONTACT or selectors.can_manage(user))
    form = CheckInForm(request.POST or None, request.FILES or None, initial=initial) if may_report else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.checkin_submit(task=task, by=user, values=form.cleaned_data, photo=form.cleaned_data.get("photo"))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Today's check-in is in. Thank you!"))
            return redirect("pollution-task", pk)
    return render(request, "pollution/task_detail.html", {
        "task": task, "form": form, "current": current, "today": today,
        "checkins": task.checkins.filter(submitted_at__isnull=False).order_by("-day"),
        "findings": task.findings.all()[:50], "spots": task.spot_checks.select_related("assignee"),
        "lines_required": services.lines_required(task), "case_id": selectors.case_of_task(task),
        "may_manage": selectors.can_manage(user),
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_use)
def task_confirm(request, pk: int):
    task = _get(selectors.task_get_for_user, user=request.user, pk=pk)
    try:
        services.task_confirm(task=task, by=request.user)
        messages.success(request, _("Confirmed: thank you. Please check in every day until the alert is lifted."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("pollution-task", pk)


@require_POST
@allowed_if(selectors.can_manage)
def task_case(request, pk: int):
    task = _get(selectors.task_get_for_user, user=request.user, pk=pk)
    try:
        case = services.finding_raise_case(task=task, by=request.user, evidence=request.POST.get("evidence", "")[:300])
        messages.success(request, pgettext("pollution", "Raised as case %(number)s") % {"number": case.number})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("pollution-task", pk)


@allowed_if(selectors.can_use)
def spot_check(request, pk: int):
    user = request.user
    spot = (
        selectors.spot_checks_visible_to(user).select_related("task__enterprise", "task__alert").filter(pk=pk).first()
    )
    if spot is None:
        raise Http404
    form = SpotCheckForm(request.POST or None, initial={"result": spot.result if spot.result != "open" else None,
                                                        "note": spot.note})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.spot_check_record(spot=spot, by=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Spot check recorded"))
            return redirect("pollution-index")
    return render(request, "pollution/spot_check.html", {"spot": spot, "form": form})


@allowed_if(selectors.can_see_figures)
def record(request):
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else timezone.localdate().year
    rows = selectors.year_record(user=request.user, year=year)
    return render(request, "pollution/record.html", {"rows": rows, "year": year,
                                                      "years": range(timezone.localdate().year, 2019, -1)})  # fmt: skip


def _form_errors(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@allowed_if(selectors.can_manage)
def firm_new(request):
    """The bureau puts a firm on the reduction list, with its figures and first grading."""
    user = request.user
    form = NewFirmForm(request.POST or None, enterprises=selectors.firms_not_listed(user=user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            firm = lists.firm_save(enterprise=d["enterprise"], by=user, values={n: d[n] for n in FIRM_FIELDS},
                                   grade=d["grade"], graded_on=d["graded_on"], document=d["document"])  # fmt: skip
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Put on the reduction list"))
            return redirect("pollution-firm", firm.enterprise_id)
    return render(request, "pollution/firm_form.html", {"form": form, "firm": None})


@allowed_if(selectors.can_manage)
def firm_edit(request, enterprise_id: int):
    user = request.user
    firm = _get(selectors.firm_get_for_user, user=user, enterprise_id=enterprise_id)
    form = FirmForm(request.POST or None, initial={n: getattr(firm, n) for n in FIRM_FIELDS})
    if request.method == "POST" and form.is_valid():
        try:
            lists.firm_save(enterprise=firm.enterprise, by=user, values=form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved"))
            return redirect("pollution-firm", enterprise_id)
    return render(request, "pollution/firm_form.html", {"form": form, "firm": firm})


@allowed_if(selectors.can_manage)
def source_edit(request, enterprise_id: int, pk: int | None = None):
    """A production line or emission source of the firm, new or changed; or deleted."""
    user = request.user
    firm = _get(selectors.firm_get_for_user, user=user, enterprise_id=enterprise_id)
    source = None
    if pk is not None:
        source = firm.sources.filter(pk=pk).first()
        if source is None:
            raise Http404
    if request.method == "POST" and request.POST.get("delete") and source is not None:
        lists.source_delete(source=source, by=user)
        messages.success(request, _("Deleted"))
        return redirect("pollution-firm", enterprise_id)
    initial = {n: getattr(source, n) for n in lists.SOURCE_FIELDS} if source else {}
    form = SourceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lists.source_save(firm=firm, by=user, values=form.cleaned_data, source=source)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Saved"))
            return redirect("pollution-firm", enterprise_id)
    return render(request, "pollution/source_form.html", {"form": form, "firm": firm, "source": source})


@allowed_if(selectors.can_manage)
def override_edit(request, enterprise_id: int, level: str):
    """The firm's own measure at a level (its list's lines and numbers) in place of the guide's, or back to it."""
    user = request.user
    firm = _get(selectors.firm_get_for_user, user=user, enterprise_id=enterprise_id)
    if level not in Level.values:
        raise Http404
    table = measures.MeasureTable(on=timezone.localdate(), enterprise_ids=[firm.enterprise_id])
    current = table.resolve(enterprise_id=firm.enterprise_id, sector=firm.sector, grade=firm.grade, level=level,
                            livelihood=firm.livelihood)  # fmt: skip
    own = table.overrides.get((firm.enterprise_id, level))
    if request.method == "POST" and request.POST.get("remove"):
        lists.override_remove(enterprise=firm.enterprise, level=level, by=user)
        messages.success(request, _("The guide's measure applies again"))
        return redirect("pollution-firm", enterprise_id)
    fields = ["action", "cut_percent", "lines_stop_percent", "transport_ban", "road_transport_stopped", "text"]
    initial = {n: getattr(current, n) for n in fields} if current else {}
    if own is not None:
        initial["reason"] = own.reason
    form = OverrideForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            lists.override_set(enterprise=firm.enterprise, level=level, by=user, **form.cleaned_data)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The firm's own measure is saved"))
            return redirect("pollution-firm", enterprise_id)
    return render(request, "pollution/override_form.html", {
        "form": form, "firm": firm, "level": Level(level), "current": current, "own": own})  # fmt: skip
