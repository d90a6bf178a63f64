from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .forms import AdvanceForm, LeadMoveForm, ProblemForm
from .models import BATCHES, LEAD_NEXT, Stage
from .workflow import STEP_FROM


def _project(user, pk):
    try:
        return selectors.project_get_for_user(user=user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@allowed_if(selectors.can_see_projects)
def project_list(request):
    """The board: counts and amounts per stage, batch and year (each a drill-down), the list with stall colours,
    the portfolio timeline."""
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    batch = request.GET.get("batch", "")
    try:
        year = int(request.GET.get("year") or 0) or None
    except ValueError:
        year = None
    rows = selectors.project_list(user=request.user, stage=stage, batch=batch, year=year, today=today)
    return render(request, "projects/list.html", {
        "board": selectors.project_board(user=request.user), "rows": rows, "stage": stage, "batch": batch,
        "year": year, "stage_label": dict(Stage.choices).get(stage, ""),
        "batch_label": BATCHES[batch][0] if batch in BATCHES else "",
        "timeline": selectors.timeline([p for p, _c, _l in rows], today=today),
    })  # fmt: skip


def _detail(request, project, advance_form=None, problem_form=None):
    today = timezone.localdate()
    colour, late = selectors.stall_colours([project], today=today)[project.pk]
    step = STEP_FROM.get(project.stage)
    may = selectors.can_move(request.user, project)
    return render(request, "projects/detail.html", {
        "project": project, "milestones": selectors.milestones_of(project), "colour": colour, "late": late,
        "step": step, "next_label": dict(Stage.choices).get(step.target) if step else "", "may_move": may,
        "advance_form": advance_form or AdvanceForm(initial={"version": project.version, "reached_on": today}),
        "problem_form": problem_form or ProblemForm(), "events": project.events.select_related("actor"),
        "years": project.years.order_by("year"), "timeline": selectors.timeline([project], today=today),
    })  # fmt: skip


@allowed_if(selectors.can_see_projects)
def project_detail(request, pk: int):
    return _detail(request, _project(request.user, pk))


@require_POST
@allowed_if(selectors.can_see_projects)
def project_advance(request, pk: int):
    project = _project(request.user, pk)
    form = AdvanceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_advance(by=request.user, project=project, evidence=data["evidence"],
                                     reached_on=data["reached_on"], version=data["version"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The project moved to its next stage"))
            return redirect("project-detail", project.pk)
    return _detail(request, project, advance_form=form)


@require_POST
@allowed_if(selectors.can_see_projects)
def project_problem(request, pk: int):
    project = _project(request.user, pk)
    form = ProblemForm(request.POST)
    if form.is_valid():
        try:
            case = services.project_problem_raise(by=request.user, project=project,
                                                  description=form.cleaned_data["description"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The problem is case %(number)s now") % {"number": case.number})
            return redirect("project-detail", project.pk)
    return _detail(request, project, problem_form=form)


@allowed_if(selectors.can_see_projects)
def lead_list(request):
    leads = list(selectors.leads(user=request.user))
    return render(request, "projects/leads.html", {
        "leads": [(lead, LEAD_NEXT.get(lead.status, [])) for lead in leads],
        "may_move": selectors.can_move_leads(request.user), "form": LeadMoveForm(),
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_move_leads)
def lead_move(request, pk: int):
    try:
        lead = selectors.leads(user=request.user).get(pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    form = LeadMoveForm(request.POST)
    if form.is_valid():
        try:
            services.lead_move(by=request.user, lead=lead, status=form.cleaned_data["status"],
                               note=form.cleaned_data["note"],
                               visited_on=timezone.localdate() if form.cleaned_data["status"] == "visited" else None)  # fmt: skip
        except DomainError as error:
            messages.error(request, error.message)
    return redirect("lead-list")
