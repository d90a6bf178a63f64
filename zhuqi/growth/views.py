from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .forms import StageForm
from .models import StageKind


def _year(request) -> int:
    default = selectors.data_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= default + 1 else default


def _firm(user, pk):
    try:
        return selectors.enterprise_for_growth(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@allowed_if(selectors.can_see_pipeline)
def pool(request):
    """后备培育库: each firm's standing against the 高企 conditions, its gaps nearest first, sortable."""
    year = _year(request)
    sort = request.GET.get("sort") if request.GET.get("sort") in selectors.SORTS else "nearest"
    scope = "all" if request.GET.get("scope") == "all" else "pool"
    today = timezone.localdate()
    return render(request, "growth/pool.html", {
        "rows": selectors.pool_board(user=request.user, year=year, sort=sort, scope=scope), "year": year,
        "sort": sort, "scope": scope, "counts": selectors.stage_counts(user=request.user, on=today),
        "kinds": StageKind, "years": range(selectors.data_year(today), selectors.data_year(today) - 4, -1),
    })  # fmt: skip


@allowed_if(selectors.can_see_pipeline)
def funnel(request):
    """The recognition funnel by year, the pool's forecast against the results; certificates to re-examine and
    annual reports not yet filed."""
    today = timezone.localdate()
    years = selectors.funnel(user=request.user)
    year = _year(request) if request.GET.get("year") else (years[0]["year"] if years else today.year)
    chart = {"years": [str(y["year"]) for y in reversed(years)],
             "series": {k: [y[k] for y in reversed(years)] for k in ("pool", "applied", "passed_new", "passed_re",
                                                                    "failed", "forecast_ok")},
             "labels": {"pool": _("Pool at the start of the year"), "applied": _("Applied"),
                        "passed_new": _("Recognised (new)"), "passed_re": _("Recognised (re-examined)"),
                        "failed": _("Not recognised"), "forecast_ok": _("Forecast to pass")}}  # fmt: skip
    return render(request, "growth/funnel.html", {
        "years": years, "year": year, "entries": selectors.round_entries(user=request.user, year=year),
        "chart": chart, "expiring": selectors.certificates_expiring(today=today, within_days=365, user=request.user),
        "reports_missing": selectors.annual_reports_missing(year=today.year - 1, user=request.user),
        "report_year": today.year - 1,
    })  # fmt: skip


def _firm_page(request, enterprise, form=None):
    year = _year(request)
    today = timezone.localdate()
    held = [s.kind for s in selectors.stage_counts_of(enterprise=enterprise, on=today)]
    return render(request, "growth/firm.html", {
        "next": selectors.next_stage_policies(held=held, on=today),
        "enterprise": enterprise, "standing": selectors.standing_of(enterprise=enterprise, year=year), "year": year,
        "stages": selectors.stages_of(enterprise=enterprise),
        "form": form if form is not None else (StageForm() if selectors.can_record_stages(request.user) and
                                               selectors.enterprises_for_stages(request.user).filter(
                                                   pk=enterprise.pk).exists() else None),
    })  # fmt: skip


@allowed_if(selectors.can_see_own_standing)
def standing(request):
    return _firm_page(request, _firm(request.user, request.user.enterprise_id))


@allowed_if(selectors.can_see_pipeline)
def firm(request, pk: int):
    return _firm_page(request, _firm(request.user, pk))


@require_POST
@allowed_if(selectors.can_record_stages)
def stage_new(request, pk: int):
    enterprise = _firm(request.user, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.stage_grant(by=request.user, enterprise=enterprise, kind=data["kind"], number=data["number"],
                                 granted_on=data["granted_on"], plan=data["plan"], target_year=data["target_year"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("growth-firm", enterprise.pk)
    return _firm_page(request, enterprise, form)
