import datetime

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.attachments import attachment_response
from zhuqi.core.background import run_in_background
from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if
from zhuqi.indicators.engine import RuleSpec
from zhuqi.indicators.forms import TrialForm
from zhuqi.indicators.selectors import indicator_infos, rule_trial

from . import applications, exports, matching, selectors, services
from .forms import BenefitForm, ConditionForm, PolicyForm, RevisionForm
from .models import Category, GrantStatus, Mode

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get(fn, **kwargs):
    try:
        return fn(**kwargs)
    except (ObjectDoesNotExist, ValueError):
        raise Http404 from None


def _int(value) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _year(request) -> int:
    year = _int(request.GET.get("year"))
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


@allowed_if(selectors.can_read_catalogue)
def policy_list(request):
    q = request.GET
    category = q.get("category", "") if q.get("category", "") in Category.values else ""
    mode = q.get("mode", "") if q.get("mode", "") in Mode.values else ""
    policies = selectors.policy_search(words=q.get("q", "")[:60], category=category, mode=mode, tag=q.get("tag", ""),
                                       department=_int(q.get("department")))  # fmt: skip
    return render(request, "policies/policy_list.html", {
        "policies": policies, "categories": Category.choices, "modes": Mode.choices, "tags": selectors.policy_tags(),
        "q": q.get("q", ""), "category": category, "mode": mode, "tag": q.get("tag", ""),
        "rounds": selectors.rounds_recent(user=request.user),
        "may_publish": services.can_manage_catalogue(request.user),
    })  # fmt: skip


@allowed_if(selectors.can_read_catalogue)
def policy_detail(request, pk):
    policy = _get(selectors.policy_get, pk=pk)
    versions = selectors.policy_versions(policy=policy)
    may_edit = services.can_edit_policy(request.user, policy)
    context = {"policy": policy, "versions": versions, "version": versions[0] if versions else None,
               "may_edit": may_edit, "may_change_rules": may_edit and versions and not services.version_in_use(versions[0]),
               "may_apply": applications.can_apply(request.user, policy),
               "applications": selectors.applications_list(user=request.user, policy_id=policy.pk)[:20]}  # fmt: skip
    if selectors.can_see_matches(request.user):
        context["groups"] = selectors.policy_matches(user=request.user, policy=policy)
        context["rounds"] = selectors.rounds_of(user=request.user, policy=policy)
        context["may_run"] = services.can_run_rounds(request.user, policy)
        if selectors.can_request_data(request.user) and context["groups"]["unknown"]:
            context["missing"] = selectors.missing_data(user=request.user, policy=policy)
    elif request.user.enterprise_id:
        context["mine"] = selectors.match_for(user=request.user, enterprise_id=request.user.enterprise_id,
                                              policy_id=policy.pk)  # fmt: skip
    return render(request, "policies/policy_detail.html", context)


@allowed_if(selectors.can_see_own_matches)
def policy_mine(request):
    groups = selectors.firm_matches(user=request.user, enterprise_id=request.user.enterprise_id)
    # a policy the firm qualifies for and applies for online: 申报 from the list, unless an application is under way
    applied = set(selectors.applications_list(user=request.user).values_list("policy_id", flat=True))
    for match in groups["qualifies"]:
        match.may_apply = match.policy_id not in applied and applications.can_apply(request.user, match.policy)
    return render(request, "policies/policy_mine.html", {
        "groups": groups, "grants": selectors.grants_waiting(user=request.user),
    })  # fmt: skip


@allowed_if(selectors.can_read_catalogue)
def match_detail(request, pk, enterprise_pk):
    match = selectors.match_for(user=request.user, enterprise_id=enterprise_pk, policy_id=pk)
    if match is None:
        raise Http404
    return render(request, "policies/match_detail.html", {"match": match, "conditions": match.conditions})


@require_POST
@allowed_if(selectors.can_see_matches)
def policy_rematch(request, pk):
    policy = _get(selectors.policy_get, pk=pk)
    run_in_background(matching.policy_rematch, policy.pk)
    messages.success(request, _("Matching started: the lists are refreshed in a moment"))
    return redirect("policy-detail", pk=policy.pk)


@allowed_if(selectors.can_read_catalogue)
def handbook(request):
    return render(request, "policies/handbook.html", {"groups": selectors.handbook()})


@allowed_if(selectors.can_read_catalogue)
def handbook_docx(request):
    response = HttpResponse(exports.handbook_docx(selectors.handbook()), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="handbook-{timezone.localdate():%Y%m%d}.docx"'
    return response


# -- 免申即享 -------------------------------------------------------------------------------------------------------


@require_POST
@allowed_if(selectors.can_see_matches)
def round_draw(request, pk):
    policy = _get(selectors.policy_get, pk=pk)
    try:
        rnd = services.round_draw(policy=policy, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("policy-detail", pk=policy.pk)
    return redirect("policy-round", pk=rnd.pk)


@allowed_if(selectors.can_see_matches)
def round_detail(request, pk):
    rnd = _get(selectors.round_get, user=request.user, pk=pk)
    return render(request, "policies/round_detail.html", {
        "round": rnd, "grants": selectors.round_grants(user=request.user, round=rnd),
        "summary": selectors.round_summary(rnd), "may_run": services.can_run_rounds(request.user, rnd.policy),
        "today": timezone.localdate(), "statuses": GrantStatus,
    })  # fmt: skip


@require_POST
@allowed_if(selectors.can_see_matches)
def round_approve(request, pk):
    rnd = _get(selectors.round_get, user=request.user, pk=pk)
    try:
        services.round_approve(round=rnd, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("List confirmed: the firms are asked to confirm"))
    return redirect("policy-round", pk=rnd.pk)


@require_POST
@allowed_if(selectors.can_see_matches)
def round_pay(request, pk):
    rnd = _get(selectors.round_get, user=request.user, pk=pk)
    try:
        paid_on = datetime.date.fromisoformat(request.POST.get("paid_on", ""))
    except ValueError:
        messages.error(request, _("Give the payment date"))
        return redirect("policy-round", pk=rnd.pk)
    try:
        batch = services.batch_pay(round=rnd, by=request.user, paid_on=paid_on)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Payment batch of %(day)s recorded") % {"day": batch.paid_on.isoformat()})
    return redirect("policy-round", pk=rnd.pk)


@allowed_if(selectors.can_see_matches)
def round_ledger(request, pk):
    rnd = _get(selectors.round_get, user=request.user, pk=pk)
    response = HttpResponse(exports.ledger_export(user=request.user, round=rnd), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="payment-ledger-{rnd.pk}.xlsx"'
    return response


@allowed_if(selectors.can_read_catalogue)
def grant_detail(request, pk):
    grant = _get(selectors.grant_get, user=request.user, pk=pk)
    error, values = None, {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "")[:60] for k in ("bank_name", "bank_account", "reason")}
        try:
            services.grant_answer(grant=grant, by=request.user, accept=request.POST.get("answer") == "accept",
                                  bank_name=values["bank_name"], bank_account=values["bank_account"],
                                  reason=values["reason"])  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            return redirect("policy-grant", pk=grant.pk)
    return render(request, "policies/grant_detail.html", {"grant": grant, "error": error, "values": values},
                  status=422 if error else 200)  # fmt: skip


# -- figures --------------------------------------------------------------------------------------------------------


@allowed_if(selectors.can_see_figures)
def figures(request):
    year = _year(request)
    rows = selectors.figures(user=request.user, year=year)
    return render(request, "policies/figures.html", {
        "year": year, "rows": rows, "departments": selectors.figures_by_department(rows),
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })  # fmt: skip


@allowed_if(selectors.can_see_figures)
def figures_payments(request):
    year = _year(request)
    policy_id = _int(request.GET.get("policy"))
    declined = request.GET.get("declined") == "1"
    automatic = {"1": True, "0": None}.get(request.GET.get("automatic", "0"))
    context = {"year": year, "declined": declined}
    if declined:
        context["grants"] = selectors.declined_list(user=request.user, year=year, policy_id=policy_id)
    else:
        context["payments"] = selectors.payments_list(user=request.user, year=year, policy_id=policy_id,
                                                      automatic=automatic)  # fmt: skip
    return render(request, "policies/payments.html", context)


# -- 申报 -------------------------------------------------------------------------------------------------------------


def _materials_from(request, names) -> dict:
    return {name: request.FILES.get(f"material-{i}") for i, name in enumerate(names)}


@allowed_if(selectors.can_read_catalogue)
def application_new(request, pk):
    """申报 on the firm's phone: the amount asked and each material of the checklist."""
    policy = _get(selectors.policy_get, pk=pk)
    if not applications.can_apply(request.user, policy):
        raise Http404
    error, values = None, {}
    if request.method == "POST":
        values = {"amount": request.POST.get("amount", "")[:20], "note": request.POST.get("note", "")[:1000]}
        try:
            application = applications.application_submit(
                by=request.user, policy=policy, amount=values["amount"], note=values["note"],
                materials=_materials_from(request, policy.materials),
            )  # fmt: skip
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Application submitted: the park reviews it first"))
            return redirect("policy-application", pk=application.pk)
    return render(request, "policies/application_new.html", {
        "policy": policy, "error": error, "values": values, "materials": list(enumerate(policy.materials)),
    }, status=422 if error else 200)  # fmt: skip


@allowed_if(selectors.can_read_catalogue)
def application_list(request):
    step = request.GET.get("step", "")
    step = step if step in applications.STEPS or step == "closed" else ""
    items = list(selectors.applications_list(user=request.user, policy_id=_int(request.GET.get("policy")), step=step))
    for item in items:
        item.step = applications.step_label(item)
    return render(request, "policies/application_list.html", {
        "applications": items, "step": step, "today": timezone.localdate(),
        "steps": [(value, label) for value, label in applications.STEPS.items() if value != "pending"],
    })  # fmt: skip


def _application_page(request, application, *, refused=None, status=200):
    actions = selectors.application_actions(user=request.user, application=application)
    return render(request, "policies/application_detail.html", {
        "application": application, "case": application.case, "step": applications.step_label(application),
        "materials": selectors.application_materials(application),
        "events": selectors.application_events(user=request.user, application=application),
        "actions": actions, "refused": refused, "today": timezone.localdate(),
        "policy_materials": list(enumerate(application.policy.materials)),
    }, status=status)  # fmt: skip


@allowed_if(selectors.can_read_catalogue)
def application_detail(request, pk):
    return _application_page(request, _get(selectors.application_get, user=request.user, pk=pk))


@require_POST
@allowed_if(selectors.can_read_catalogue)
def application_act(request, pk, action):
    application = _get(selectors.application_get, user=request.user, pk=pk)
    if action not in selectors.application_actions(user=request.user, application=application):
        raise Http404
    try:
        applications.application_act(
            application=application, action=action, by=request.user, comment=request.POST.get("comment", "")[:2000],
            amount=request.POST.get("amount", "")[:20] or None, expected_version=_int(request.POST.get("version")),
            materials=_materials_from(request, application.policy.materials),
        )  # fmt: skip
    except DomainError as exc:
        return _application_page(request, application, refused=(action, exc), status=422)
    messages.success(request, _("Done: %(action)s") % {"action": applications.ApplicationAction(action).label
                                                         if action in applications.ApplicationAction.values
                                                         else _("Withdrawn")})  # fmt: skip
    return redirect("policy-application", pk=application.pk)


@allowed_if(selectors.can_read_catalogue)
def application_material(request, pk, material_pk):
    material = _get(selectors.application_material_get, user=request.user, application_pk=pk, pk=material_pk)
    return attachment_response(material.attachment)


@require_POST
@allowed_if(selectors.can_request_data)
def data_request(request, pk):
    """The firms whose data are missing, chosen on the policy's page, asked for the figures with a form."""
    policy = _get(selectors.policy_get, pk=pk)
    chosen = [pk for pk in (_int(v) for v in request.POST.getlist("enterprise")) if pk]
    try:
        campaign = services.data_request_send(by=request.user, policy=policy, enterprise_ids=chosen)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Form request sent to %(n)d firms: %(title)s")
                         % {"n": len(chosen), "title": campaign.title})  # fmt: skip
    return redirect("policy-detail", pk=policy.pk)


# -- the catalogue written by its officers -------------------------------------------------------------------------


def _editable(request, pk):
    policy = _get(selectors.policy_get, pk=pk)
    if not services.can_edit_policy(request.user, policy):
        raise Http404
    return policy


def _refused(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@allowed_if(services.can_manage_catalogue)
def policy_new(request):
    """A policy, its benefit and its first condition in one go: a policy without a condition would match every
    firm in the zone."""
    data = request.POST or None
    form, benefit, condition = PolicyForm(data), BenefitForm(data), ConditionForm(data, prefix="c")
    if request.method == "POST" and all([form.is_valid(), benefit.is_valid(), condition.is_valid()]):
        c = condition.cleaned_data
        first = {"code": "c1", "name": c["name"], "expression": c["expression"], "message": c["message"],
                 "values": c["values"], "clause": c["source_document"], "samples": c["samples"]}  # fmt: skip
        try:
            policy = services.policy_create(by=request.user, conditions=[first], **benefit.cleaned_data,
                                            **form.catalogue())  # fmt: skip
        except DomainError as exc:
            _refused(benefit if exc.field in benefit.fields else condition, exc)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Published: %(title)s") % {"title": policy.title})
            return redirect("policy-detail", pk=policy.pk)
    return render(request, "policies/policy_form.html",
                  {"form": form, "benefit": benefit, "condition": condition, "policy": None})  # fmt: skip


@allowed_if(services.can_manage_catalogue)
def policy_edit(request, pk):
    policy = _editable(request, pk)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(policy=policy, by=request.user, **form.catalogue())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved"))
            return redirect("policy-detail", pk=policy.pk)
    return render(request, "policies/policy_form.html", {"form": form, "policy": policy})


def _condition_page(request, policy, rule):
    form = ConditionForm(request.POST or None, rule=rule)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.policy_condition_save(
                policy=policy, by=request.user, code=rule.code if rule else "", name=c["name"],
                expression=c["expression"], message=c["message"], values=c["values"], samples=c["samples"],
                source_document=c["source_document"],
            )  # fmt: skip
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The condition is in effect; the firms are being matched again"))
            return redirect("policy-detail", pk=policy.pk)
    return render(request, "policies/condition_form.html", {
        "form": form, "policy": policy, "rule": rule, "trial_form": TrialForm(),
        "version": services.version_current(policy), "indicators": sorted(indicator_infos().values(), key=lambda i: i.code),
    })  # fmt: skip


@allowed_if(services.can_manage_catalogue)
def policy_condition_new(request, pk):
    return _condition_page(request, _editable(request, pk), None)


@allowed_if(services.can_manage_catalogue)
def policy_condition_edit(request, pk, code):
    policy = _editable(request, pk)
    rule = selectors.condition_get(policy=policy, code=code)
    if rule is None:
        raise Http404
    return _condition_page(request, policy, rule)


@require_POST
@allowed_if(services.can_manage_catalogue)
def policy_condition_try(request, pk):
    """htmx: the condition as typed so far, checked and run on its samples and on a firm's real values."""
    _editable(request, pk)
    form = ConditionForm(request.POST)
    form.is_valid()
    trial_form = TrialForm(request.POST)
    tried = trial_form.is_valid()
    data = getattr(form, "cleaned_data", {})
    spec = RuleSpec(code="condition", expression=request.POST.get("expression", ""),
                    message=request.POST.get("message", ""), name=request.POST.get("name", ""),
                    values=tuple((data.get("values") or {}).items()))  # fmt: skip
    samples = data.get("samples") if isinstance(data.get("samples"), list) else []
    trial = rule_trial(user=request.user, spec=spec, samples=samples,
                       firm_text=trial_form.cleaned_data.get("firm", "") if tried else "",
                       period=trial_form.cleaned_data.get("period", "") if tried else "")  # fmt: skip
    return render(request, "indicators/_rule_trial.html", {
        "trial": trial, "sample_problem": "; ".join(form.errors.get("samples", []) + form.errors.get("values", [])),
    })  # fmt: skip


@require_POST
@allowed_if(services.can_manage_catalogue)
def policy_condition_retire(request, pk, code):
    policy = _editable(request, pk)
    try:
        services.policy_condition_retire(policy=policy, by=request.user, code=code)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The condition no longer applies; the firms are being matched again"))
    return redirect("policy-detail", pk=policy.pk)


@allowed_if(services.can_manage_catalogue)
def policy_revise(request, pk):
    """A new version from a date: the conditions in effect carried over (then written on its own page), the
    benefit as given here; the version before keeps its firms' applications and grants."""
    policy = _editable(request, pk)
    current = services.version_current(policy)
    initial = {"benefit_kind": current.benefit_kind, "benefit": current.benefit, "benefit_text": current.benefit_text,
               "source_document": current.source_document}  # fmt: skip
    form = RevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_revise(policy=policy, by=request.user, **form.cleaned_data,
                                             conditions=services.conditions_of(current))  # fmt: skip
        except DomainError as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("Version %(n)d applies from %(date)s; change its conditions below")
                             % {"n": version.number, "date": version.valid_from.isoformat()})  # fmt: skip
            return redirect("policy-detail", pk=policy.pk)
    return render(request, "policies/revise_form.html", {"form": form, "policy": policy, "current": current})
