from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services

ACTIONS = {
    "acknowledge": gettext_lazy("Acknowledged"),
    "handle": gettext_lazy("Recorded"),
    "clear": gettext_lazy("Alarm cleared"),
}
HOURS = [1, 6, 24, 72]


@allowed_if(selectors.can_see_monitoring)
def monitoring_overview(request):
    """实时监测: refreshed in place every ten seconds (htmx)."""
    context = selectors.overview(user=request.user, state=request.GET.get("state", ""))
    template = "monitoring/overview.html#live" if request.htmx else "monitoring/overview.html"
    return render(request, template, context)


@allowed_if(selectors.can_see_monitoring)
def point_detail(request, pk: int):
    point = selectors.point_get_for_user(user=request.user, pk=pk)
    try:
        hours = int(request.GET.get("hours", 24))
    except ValueError:
        hours = 24
    hours = hours if hours in HOURS else 24
    chart = {
        "series": selectors.point_trend(point=point, hours=hours),
        "limits": {
            "low": point.low_limit,
            "high": point.high_limit,
            "high_high": point.high_high_limit,
        },
        "unit": point.unit,
        "labels": {
            "low": _("Low limit"),
            "high": _("High limit"),
            "high_high": _("High-high limit"),
            "value": point.name,
        },
    }
    alarms = point.alarms.order_by("-triggered_at")[:20]
    context = {"point": point, "chart": chart, "hours": hours, "choices": HOURS, "alarms": alarms}
    return render(request, "monitoring/point_detail.html", context)


@allowed_if(selectors.can_see_monitoring)
def alarm_detail(request, pk: int):
    alarm = selectors.alarm_get_for_user(user=request.user, pk=pk)
    context = {
        "alarm": alarm,
        "events": alarm.events.select_related("actor"),
        "may_act": services.may_act(request.user, alarm),
    }
    return render(request, "monitoring/alarm_detail.html", context)


@require_POST
@allowed_if(selectors.can_see_monitoring)
def alarm_action(request, pk: int, action: str):
    alarm = selectors.alarm_get_for_user(user=request.user, pk=pk)
    try:
        services.alarm_act(alarm=alarm, action=action, by=request.user, comment=request.POST.get("comment", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ACTIONS.get(action, _("Done")))
    return redirect("alarm-detail", pk=pk)
