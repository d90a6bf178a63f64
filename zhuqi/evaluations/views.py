import datetime

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import exports, selectors, services
from .forms import (
    DecisionForm,
    ExclusionFormSet,
    ItemForm,
    ItemFormSet,
    MethodForm,
    MethodNewForm,
    ObjectionForm,
    StartRunForm,
    WorkedFirmForm,
    WorkedFormSet,
    ZoneFigureForm,
    grades_text,
    method_spec_from,
)


@allowed_if(selectors.can_use_evaluations)
def run_list(request):
    return render(request, "evaluations/run_list.html", {
        "runs": selectors.runs_visible_to(request.user).distinct().order_by("-year", "park__name"),
        "methods": selectors.methods_visible_to(request.user),
        "may_create": selectors.can_create_methods(request.user),
    })  # fmt: skip


@allowed_if(selectors.can_use_evaluations)
def run_detail(request, pk: int):
    run = selectors.run_get_for_user(request.user, pk)
    rows = list(selectors.run_list(run))
    before = selectors.previous_grades(run)
    for row in rows:
        row.move = selectors.movement(row.grade, before.get(row.enterprise_id))
    may_manage = selectors.can_manage_runs(request.user, run.park)
    own = [r for r in rows if r.enterprise_id == getattr(request.user, "enterprise_id", None)]
    return render(request, "evaluations/run_detail.html", {
        "run": run, "rows": rows, "figures": selectors.run_figures(run), "may_manage": may_manage,
        "own": own[0] if own else None, "is_firm": selectors.can_object(request.user),
        "objections": selectors.objections_of(run) if may_manage else [],
        "decision_form": DecisionForm(), "changes": selectors.changes_of(run) if may_manage else [],
        "default_until": timezone.localdate() + datetime.timedelta(days=10),
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_use_evaluations)
def run_act(request, pk: int):
    run = selectors.run_get_for_user(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "score":
            n = services.run_score(run=run, by=request.user)
            messages.success(request, _("%(n)d firms scored") % {"n": n})
        elif action == "publish_draft":
            try:
                until = datetime.date.fromisoformat(request.POST.get("objections_until", ""))
            except ValueError:
                raise DomainError(services.EvaluationError.INVALID, _("Give the last day for objections")) from None
            services.run_publish_draft(run=run, by=request.user, objections_until=until)
            messages.success(request, _("The draft list is published to the firms"))
        elif action == "finalise":
            services.run_finalise(run=run, by=request.user)
            messages.success(request, _("The final list is published and frozen"))
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("evaluation-run-detail", run.pk)


@allowed_if(selectors.can_use_evaluations)
def score_detail(request, pk: int):
    score = selectors.score_get_for_user(request.user, pk)
    now = selectors.score_now(score) if score.run.status == "final" else None
    objection = selectors.objections_of(score.run).filter(enterprise_id=score.enterprise_id).first()
    may_object = selectors.can_object(request.user) and score.run.status == "objections" and objection is None
    return render(request, "evaluations/score_detail.html", {
        "score": score, "run": score.run, "lines": selectors.score_lines(score), "now": now,
        "objection": objection, "may_object": may_object,
        "changes": selectors.changes_of(score.run, score.enterprise_id),
    })  # fmt: skip


@allowed_if(selectors.can_use_evaluations)
def score_docx(request, pk: int):
    score = selectors.score_get_for_user(request.user, pk)
    data = exports.score_sheet_docx(score, selectors.score_lines(score))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''evaluation-{score.run.year}-{score.pk}.docx"
    return response


@allowed_if(selectors.can_object)
def objection_new(request, pk: int):
    score = selectors.score_get_for_user(request.user, pk)
    items = [(i.code, i.name) for i in score.run.method.items.all()]
    form = ObjectionForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_file(run=score.run, by=request.user, text=form.cleaned_data["text"],
                                    evidence=form.cleaned_data["evidence"],
                                    item_code=form.cleaned_data["item_code"])  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Your objection is filed; the park will decide it with a reason"))
            return redirect("evaluation-score-detail", score.pk)
    return render(request, "evaluations/objection_form.html", {"score": score, "form": form})


@require_POST
@allowed_if(selectors.can_use_evaluations)
def objection_decide(request, pk: int):
    objection = selectors.objection_get_for_manager(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.objection_decide(objection=objection, by=request.user, upheld=form.cleaned_data["upheld"] == "yes",
                                      reason=form.cleaned_data["reason"],
                                      corrected_value=form.cleaned_data["corrected_value"])  # fmt: skip
            messages.success(request, _("The objection is decided"))
        except DomainError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("evaluation-run-detail", objection.run_id)


@allowed_if(selectors.can_use_evaluations)
def objection_evidence(request, pk: int):
    objection = selectors.objection_get_for_user(request.user, pk)
    return FileResponse(objection.evidence.open("rb"), as_attachment=True,
                        filename=objection.evidence.name.rsplit("/", 1)[-1])  # fmt: skip


@allowed_if(selectors.can_see_index)
def index_page(request):
    years = selectors.index_years()
    try:
        year = int(request.GET.get("year") or (years[-1] if years else timezone.localdate().year))
    except ValueError:
        year = years[-1] if years else timezone.localdate().year
    result = selectors.index_of_year(year)
    history = selectors.index_history()
    chart = None
    if result:
        for line in result["indicators"]:
            line["firms"] = (
                selectors.contributors(code=line["contributor"], year=year, limit=3) if line["contributor"] else []
            )
        chart = {
            "groups": [{"name": g["name"], "max": float(g["weight"]), "value": float(g["points"])} for g in result["groups"]],
            "years": [h["year"] for h in history], "totals": [float(h["total"]) for h in history],
            "ranks": [h["rank"] for h in history],
            "labels": {"points": pgettext("evaluation", "Points"), "rank": _("Estimated rank"), "index": _("Index")},
        }  # fmt: skip
    return render(request, "evaluations/index.html", {
        "year": year, "years": years, "result": result, "history": history, "chart": chart,
        "what_if": selectors.index_what_if(year=year) if result else None,
        "worst": sorted(result["indicators"], key=lambda i: -i["lost"])[:5] if result else [],
    })  # fmt: skip


# -- methods: a park's versions, edited as drafts, published once they reproduce their hand-worked firms -----------


@allowed_if(selectors.can_use_evaluations)
def method_detail(request, pk: int):
    method = selectors.method_get_for_user(request.user, pk)
    may_manage = selectors.can_manage_runs(request.user, method.park)
    return render(request, "evaluations/method_detail.html", {
        "method": method, "items": method.items.all(), "worked": method.worked.all(), "may_manage": may_manage,
        "problems": services.method_check(method=method) if may_manage and method.status == "draft" else [],
        "runs": selectors.runs_of_method(method) if may_manage else [],
        "draft": selectors.method_draft_of(method) if may_manage else None,
        "start_form": StartRunForm(initial={"year": timezone.localdate().year - 1}),
    })  # fmt: skip


@allowed_if(selectors.can_create_methods)
def method_new(request):
    form = MethodNewForm(request.POST or None, parks=selectors.parks_managed_by(request.user),
                         initial={"grades": "A 85；B 70；C 55；D 0"})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            method = services.method_create(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The method is a draft: add its items and hand-worked firms"))
            return redirect("evaluation-method-edit", method.pk)
    return render(request, "evaluations/method_new.html", {"form": form})


@allowed_if(selectors.can_use_evaluations)
def method_edit(request, pk: int):
    method = selectors.method_get_for_user(request.user, pk)
    if not selectors.can_manage_runs(request.user, method.park):
        raise Http404
    if method.status != "draft":
        messages.error(request, _("A published method is not edited: make a new version"))
        return redirect("evaluation-method-detail", method.pk)
    data = request.POST or None
    if data is None:
        spec = selectors.method_spec_of(method)
        head = MethodForm(initial={**spec["method"], "grades": grades_text(spec["method"]["grades"])})
        items = ItemFormSet(prefix="items", initial=[ItemForm.initial_of(i) for i in spec["items"]])
        exclusions = ExclusionFormSet(prefix="exclusions", initial=spec["exclusions"])
        worked = WorkedFormSet(prefix="worked", initial=[WorkedFirmForm.initial_of(w) for w in spec["worked"]])
    else:
        head, items = MethodForm(data), ItemFormSet(data, prefix="items")
        exclusions, worked = ExclusionFormSet(data, prefix="exclusions"), WorkedFormSet(data, prefix="worked")
        if all(f.is_valid() for f in (head, items, exclusions, worked)):
            spec = method_spec_from(head, items, exclusions, worked, code=method.code)
            try:
                services.method_update(method=method, spec=spec, by=request.user)
            except DomainError as error:
                if error.field in head.fields:
                    head.add_error(error.field, error.message)
                else:
                    head.add_error(None, error.message)
            else:
                messages.success(request, _("The draft is saved"))
                return redirect("evaluation-method-detail", method.pk)
    return render(request, "evaluations/method_form.html", {
        "method": method, "head": head, "items": items, "exclusions": exclusions, "worked": worked,
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_use_evaluations)
def method_act(request, pk: int):
    method = selectors.method_get_for_user(request.user, pk)
    action = request.POST.get("action")
    try:
        if action == "new_version":
            draft = services.method_new_version(method=method, by=request.user)
            messages.success(request, _("Version %(version)s is a draft: edit it, then publish it") % {
                "version": draft.version})  # fmt: skip
            return redirect("evaluation-method-edit", draft.pk)
        if action == "publish":
            services.method_publish(method=method, by=request.user)
            messages.success(request, _("The method is published; the version before it is retired"))
        elif action == "start_run":
            form = StartRunForm(request.POST)
            if not form.is_valid():
                raise DomainError(services.EvaluationError.INVALID, _("Give the year to evaluate"))
            run = services.run_create(method=method, year=form.cleaned_data["year"], by=request.user)
            return redirect("evaluation-run-detail", run.pk)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("evaluation-method-detail", method.pk)


@allowed_if(selectors.can_see_index)
def zone_figures(request):
    """The zone office's hand-entered figures for the national index (the city's GDP, the zone's land …)."""
    may_enter = selectors.can_enter_zone_figures(request.user)
    try:
        year = int(request.POST.get("year") or request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        year = timezone.localdate().year - 1
    codes = selectors.zone_figure_codes(year)
    initial = {"year": year, "code": request.GET.get("code", ""), "value": request.GET.get("value"),
               "source": request.GET.get("source", "")}  # fmt: skip
    form = ZoneFigureForm(request.POST or None, initial=initial, codes=codes)
    if request.method == "POST" and may_enter and form.is_valid():
        try:
            services.zone_figure_enter(by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The figure is saved"))
            return redirect(f"{reverse('evaluation-zone-figures')}?year={form.cleaned_data['year']}")
    names = dict(codes)
    figures = [(f, names.get(f.code, f.code)) for f in selectors.zone_figures()]
    return render(request, "evaluations/zone_figures.html", {
        "form": form if may_enter else None, "figures": figures, "year": year})  # fmt: skip
