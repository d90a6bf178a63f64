import datetime
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .figures import dispatch_export, export_name
from .forms import PeriodForm, RaiseCaseForm, ReportForm


def _period(user, pk):
    try:
        return selectors.period_get_for_user(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@allowed_if(selectors.can_use_dispatch)
def period_list(request):
    return render(request, "dispatch/period_list.html", {
        "periods": selectors.period_list(user=request.user),
        "may_manage": selectors.can_manage_periods(request.user),
        "today": timezone.localdate(),
    })  # fmt: skip


@allowed_if(selectors.can_manage_periods)
def period_new(request):
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            period = services.period_create(
                by=request.user, name=data["name"], kind=data["kind"], starts_on=data["starts_on"],
                ends_on=data["ends_on"], cutoff=data["cutoff"], tags=data["target_tags"], parks=data["target_parks"],
                scale=data["target_scale"], enterprises=data["target_list"],
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("dispatch-period", period.pk)
    return render(request, "dispatch/period_form.html", {"form": form})


@allowed_if(selectors.can_use_dispatch)
def period_detail(request, pk: int):
    """The day's figures by park or industry, day by day; the cut-off list; the reports of the day."""
    user = request.user
    period = _period(user, pk)
    if not selectors.can_see_figures(user):
        return redirect("dispatch-report", period.pk)
    group = request.GET.get("by") if request.GET.get("by") in selectors.GROUPS else "park"
    figures = selectors.period_figures(user=user, period=period, group=group, day=_day(request.GET.get("day")))
    day = figures["day"]
    show_all = request.GET.get("all") == "1"
    chart = {
        "days": [f"{d.month}-{d.day}" for d in figures["days"]],
        "resumption": [f["resumption_rate"] for f in figures["series"]],
        "staff": [f["staff_return_rate"] for f in figures["series"]],
        "capacity": [f["capacity_recovery_rate"] for f in figures["series"]],
        "groups": [{"name": str(g["name"]), "data": g["series"]} for g in figures["groups"]],
        "labels": {"resumption": _("Resumption rate"), "staff": _("Staff return rate"),
                   "capacity": _("Capacity recovery rate")},
    }  # fmt: skip
    now = timezone.localtime()
    past_cutoff = day < now.date() or (day == now.date() and now.time() > period.cutoff)
    return render(request, "dispatch/period_detail.html", {
        "period": period, "figures": figures, "group": group, "day": day, "chart": chart,
        "missing": selectors.targets_not_reported(user=user, period=period, day=day),
        "past_cutoff": past_cutoff,
        "reports": selectors.reports_of_day(user=user, period=period, day=day, notable_only=not show_all),
        "show_all": show_all,
        "may_manage": selectors.can_manage_periods(user),
        "may_report": selectors.enterprises_reportable_by(user).exists(),
        "raise_form": RaiseCaseForm(),
    })  # fmt: skip


@allowed_if(selectors.can_see_figures)
def period_export(request, pk: int):
    """The offices' workbook of the day chosen: figures by park, day by day, and the firms not reported."""
    period = _period(request.user, pk)
    day = _day(request.GET.get("day")) or timezone.localdate()
    day = min(max(day, period.starts_on), period.ends_on)
    content = dispatch_export(user=request.user, period=period, day=day)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(export_name(period, day))}"
    return response


@require_POST
@allowed_if(selectors.can_manage_periods)
def period_open(request, pk: int):
    try:
        period = services.period_open(by=request.user, period=_period(request.user, pk))
        messages.success(request, _("Opened: %(n)d enterprises are asked to report") % {"n": period.targets.count()})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("dispatch-period", pk)


@require_POST
@allowed_if(selectors.can_manage_periods)
def period_close(request, pk: int):
    try:
        services.period_close(by=request.user, period=_period(request.user, pk))
        messages.success(request, _("The dispatch period is closed"))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("dispatch-period", pk)


@allowed_if(selectors.can_use_dispatch)
def report(request, pk: int):
    """The firm's daily report, one short form on a phone (staff may fill it for a firm: ?enterprise=)."""
    user = request.user
    period = _period(user, pk)
    firms = selectors.enterprises_reportable_by(user)
    asked = request.GET.get("enterprise", "")
    enterprise = firms.filter(pk=int(asked) if asked.isdigit() and len(asked) < 19 else user.enterprise_id or 0).first()
    if enterprise is None:
        raise Http404
    try:
        target = services.target_for_report(by=user, period=period, enterprise=enterprise)
    except DomainError:
        raise Http404 from None
    today = timezone.localdate()
    current = selectors.report_of(target=target, day=today)
    previous = current or selectors.last_report(target=target)
    initial = {"staff_planned": target.usual_staff}
    if previous is not None:
        initial = {"operating_status": previous.operating_status, "staff_on_duty": previous.staff_on_duty,
                   "staff_planned": previous.staff_planned, "normal_output": previous.normal_output}  # fmt: skip
        if current is not None:
            initial.update(output_value=current.output_value if current.output_given else None,
                           capacity_utilisation=None if current.output_given else current.capacity_utilisation,
                           problems=current.problems)  # fmt: skip
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and request.htmx and "check" in request.GET:
        # as it is typed: the problems of the fields filled so far, each beside its field (nothing is saved)
        form.is_valid()
        filled = {name for name in form.fields if (request.POST.get(name) or "").strip()}
        shown = {name: form.errors.get(name, []) if name in filled else [] for name in form.fields}
        return render(request, "dispatch/report_errors.html", {"shown": shown})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.report_submit(by=user, period=period, enterprise=enterprise, values=form.values(),
                                           case_category=form.cleaned_data["case_category"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            if saved.case_id:
                text = _("Today's report is in and the problem is case %(number)s. Thank you!")
                messages.success(request, text % {"number": saved.case.number})
            else:
                messages.success(request, _("Today's report is in. Thank you!"))
            return redirect(request.get_full_path())
    return render(request, "dispatch/report_form.html", {
        "period": period, "enterprise": enterprise, "form": form, "current": current, "today": today,
        "open": period.status == "open" and period.starts_on <= today <= period.ends_on,
        "on_behalf": user.enterprise_id != enterprise.pk,
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_see_figures)
def report_raise_case(request, pk: int, report_pk: int):
    period = _period(request.user, pk)
    report = selectors.reports_visible_to(request.user).filter(target__period=period, pk=report_pk).first()
    if report is None:
        raise Http404
    form = RaiseCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the category of the case"))
    else:
        try:
            case = services.report_problem_raise(by=request.user, report=report, category=form.cleaned_data["category"])
            messages.success(request, _("Raised as case %(number)s") % {"number": case.number})
        except DomainError as error:
            messages.error(request, error.message)
    return redirect(f"{reverse('dispatch-period', args=[period.pk])}?day={report.day.isoformat()}")
