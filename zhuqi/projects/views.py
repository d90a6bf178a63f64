from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.attachments import attachment_response
from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .forms import AdvanceForm, LeadForm, LeadMoveForm, ProblemForm, ProjectForm
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
        "may_record": selectors.can_record_projects(request.user),
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
        "evidence": selectors.evidence_of(project),
        "years": project.years.order_by("year"), "timeline": selectors.timeline([project], today=today),
    })  # fmt: skip


@allowed_if(selectors.can_see_projects)
def project_detail(request, pk: int):
    return _detail(request, _project(request.user, pk))


@require_POST
@allowed_if(selectors.can_see_projects)
def project_advance(request, pk: int):
    project = _project(request.user, pk)
    form = AdvanceForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.project_advance(by=request.user, project=project, evidence=data["evidence"],
                                     reached_on=data["reached_on"], version=data["version"],
                                     files=data["files"])  # fmt: skip
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


def _years(project) -> list[int]:
    """The years the form offers: two back to three ahead of this one, and any year the project already has."""
    this = timezone.localdate().year
    have = set(project.years.values_list("year", flat=True)) if project is not None else set()
    return sorted(have | set(range(this - 2, this + 4)))


def _project_form_page(request, project, form):
    return render(request, "projects/form.html", {"project": project, "form": form})


def _project_form(request, project):
    reached = (
        set(project.milestones.filter(actual_on__isnull=False).values_list("stage", flat=True)) if project else set()
    )
    kwargs = {"choices": selectors.project_choices(request.user), "stage": project.stage if project else Stage.PLANNING,
              "reached": reached, "years": _years(project)}  # fmt: skip
    if request.method == "POST":
        return ProjectForm(request.POST, **kwargs)
    if project is None:
        return ProjectForm(initial={"department": getattr(request.user, "department_id", None),
                                    "park": getattr(request.user, "park_id", None), "officer": request.user.pk},
                           **kwargs)  # fmt: skip
    initial = {
        f: getattr(project, f"{f}_id", None) or getattr(project, f) for f in ("owner", "park", "department", "officer")
    }
    initial.update({f: getattr(project, f) for f in ("name", "investor", "industry", "total_investment", "land_mu",
                                                      "energy_tce", "is_key", "version")})  # fmt: skip
    initial.update({f"plan_{m.stage}": m.planned_on for m in project.milestones.all()})
    for row in project.years.all():
        initial[f"planned_{row.year}"], initial[f"actual_{row.year}"] = row.planned, row.actual
    return ProjectForm(initial=initial, **kwargs)


def _project_save(request, project):
    form = _project_form(request, project)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.project_save(by=request.user, project=project, data=form.particulars(),
                                          planned=form.planned(), years=form.years(),
                                          version=form.cleaned_data.get("version"))  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The project is saved"))
            return redirect("project-detail", saved.pk)
    return _project_form_page(request, project, form)


@allowed_if(selectors.can_record_projects)
def project_new(request):
    return _project_save(request, None)


@allowed_if(selectors.can_see_projects)
def project_edit(request, pk: int):
    project = _project(request.user, pk)
    if not selectors.can_move(request.user, project):
        raise PermissionDenied
    return _project_save(request, project)


@allowed_if(selectors.can_see_projects)
def project_evidence(request, pk: int):
    try:
        attachment = selectors.evidence_get_for_user(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return attachment_response(attachment)


@allowed_if(selectors.can_see_projects)
def lead_list(request):
    leads = list(selectors.leads(user=request.user))
    return render(request, "projects/leads.html", {
        "leads": [(lead, LEAD_NEXT.get(lead.status, [])) for lead in leads],
        "may_move": selectors.can_move_leads(request.user),
    })  # fmt: skip


def _lead(request, pk):
    try:
        return selectors.lead_get_for_user(user=request.user, pk=pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _lead_page(request, lead, move_form=None):
    nexts = LEAD_NEXT.get(lead.status, [])
    projects = selectors.projects_visible_to(request.user).order_by("name")
    return render(request, "projects/lead.html", {
        "lead": lead, "nexts": nexts, "may_move": selectors.can_move_leads(request.user),
        "move_form": move_form or LeadMoveForm(projects=projects, nexts=nexts),
        "events": lead.events.select_related("actor"),
    })  # fmt: skip


@allowed_if(selectors.can_see_projects)
def lead_detail(request, pk: int):
    return _lead_page(request, _lead(request, pk))


def _lead_save(request, lead):
    fields = ("name", "is_institute", "industry", "note")
    form = LeadForm(request.POST or None, initial={f: getattr(lead, f) for f in fields} if lead else None)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.lead_save(by=request.user, lead=lead, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The lead is saved"))
            return redirect("lead-detail", saved.pk)
    return render(request, "projects/lead_form.html", {"lead": lead, "form": form})


@allowed_if(selectors.can_move_leads)
def lead_new(request):
    return _lead_save(request, None)


@allowed_if(selectors.can_move_leads)
def lead_edit(request, pk: int):
    return _lead_save(request, _lead(request, pk))


@require_POST
@allowed_if(selectors.can_move_leads)
def lead_move(request, pk: int):
    lead = _lead(request, pk)
    form = LeadMoveForm(
        request.POST,
        projects=selectors.projects_visible_to(request.user).order_by("name"),
        nexts=LEAD_NEXT.get(lead.status, []),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.lead_move(by=request.user, lead=lead, status=data["status"], note=data["note"],
                               visited_on=data["visited_on"] or (timezone.localdate() if data["status"] == "visited" else None),
                               project=data["project"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The lead moved on"))
            return redirect("lead-detail", lead.pk)
    return _lead_page(request, lead, move_form=form)
