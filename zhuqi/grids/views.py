from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.cases import selectors as case_selectors
from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if
from zhuqi.core.roles import Role

from . import selectors, services
from .basemap import basemap, tile_hosts
from .forms import IncidentForm, PatrolEndForm
from .models import Patrol


def is_grid_member(user) -> bool:
    return user.is_authenticated and user.role == Role.GRID_MEMBER


@allowed_if(is_grid_member)
def grid_home(request):
    user = request.user
    context = {
        "grids": selectors.grids_of(member=user).select_related("community__town"),
        "patrol": Patrol.objects.filter(member=user, ended_at__isnull=True).select_related("grid").first(),
        "patrols": Patrol.objects.filter(member=user).select_related("grid")[:10],
        "incidents": case_selectors.with_time_left(case_selectors.case_list(user=user).filter(source="patrol")[:20]),
        "end_form": PatrolEndForm(),
    }
    return render(request, "grids/home.html", context)


@require_POST
@allowed_if(is_grid_member)
def patrol_start(request, grid_pk: int):
    grid = get_object_or_404(selectors.grids_of(member=request.user), pk=grid_pk)
    try:
        services.patrol_start(by=request.user, grid=grid)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("grid-home")


@require_POST
@allowed_if(is_grid_member)
def patrol_end(request):
    form = PatrolEndForm(request.POST)
    if form.is_valid():
        try:
            services.patrol_end(by=request.user, notes=form.cleaned_data["notes"])
            messages.success(request, _("Patrol ended and logged"))
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("grid-home")


@allowed_if(is_grid_member)
def incident_report(request):
    grids = selectors.grids_of(member=request.user)
    form = IncidentForm(request.POST or None, grids=grids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.incident_report(
                by=request.user, grid=data["grid"], category=data["category"], description=data["description"],
                latitude=data["latitude"], longitude=data["longitude"], location=data["location"],
                files=request.FILES.getlist("attachments"),
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Reported as %(number)s and sent to %(department)s")
                % {"number": case.number, "department": case.lead_department.name if case.lead_department else "—"},
            )
            return redirect("grid-home")
    return render(request, "grids/incident_form.html", {"form": form})


@allowed_if(selectors.can_see_grid_map)
def grid_map(request):
    """网格地图: each grid's outline shaded by its open incidents, and the incidents where they were reported, over
    the configured base map if there is one (grids.basemap)."""
    data = selectors.grid_map_data(user=request.user)
    chart = {
        "geojson": data["geojson"],
        "counts": data["counts"],
        "points": data["points"],
        "labels": {
            "open": _("Open incidents"),
            "incident": _("Incident"),
            "legend": _("Open incidents in the grid"),
            "dot": _("An open incident where it was reported"),
            "none": _("No grid has an outline yet: the table below lists them."),
        },
    }
    base = basemap()
    if base:
        chart["basemap"] = base
    response = render(request, "grids/map.html", {"chart": chart, "grids": data["grids"]})
    if base:
        response._csp_update = {"img-src": tile_hosts()}  # read by django-csp's middleware: this page only
    return response
