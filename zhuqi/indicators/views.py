"""The zone's rule pages: rule sets and their rules; writing a rule with rule_save's checks beside the fields, trying
it on its samples and on a firm's real values as it is typed (htmx), and bringing it into effect."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhuqi.core.errors import DomainError
from zhuqi.core.permissions import allowed_if

from . import selectors, services
from .engine import RuleSpec
from .forms import RuleForm, TrialForm
from .models import Rule, RuleSet


@allowed_if(selectors.can_write_rules)
def ruleset_list(request):
    return render(request, "indicators/ruleset_list.html", {"rulesets": selectors.rulesets_listed()})


@allowed_if(selectors.can_write_rules)
def ruleset_detail(request, pk: int):
    ruleset = get_object_or_404(RuleSet, pk=pk)
    return render(request, "indicators/ruleset_detail.html",
                  {"ruleset": ruleset, "rules": selectors.ruleset_rules(ruleset=ruleset)})  # fmt: skip


def _spec(form: RuleForm):
    """The rule as typed, for the checks and the trial (what is missing stays empty)."""
    data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    raw = form.data
    values = data.get("values")
    if values is None:
        values = {}
    return RuleSpec(
        code=data.get("code") or raw.get("code") or (form.initial.get("code") or "rule"),
        expression=raw.get("expression", ""), message=raw.get("message", ""), severity=raw.get("severity", "error"),
        name=raw.get("name", ""), values=tuple(values.items()), source_document=raw.get("source_document", ""),
    )  # fmt: skip


def _page(request, ruleset: RuleSet, rule: Rule | None):
    form = RuleForm(request.POST or None, rule=rule)
    trial_form = TrialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code = rule.code if rule else data.pop("code")
        data.pop("code", None)
        try:
            saved = services.rule_save(ruleset=ruleset, code=code, by=request.user,
                                       order=rule.order if rule else 0, **data)  # fmt: skip
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved as a draft: try it on its samples, then bring it into effect"))
            return redirect("rule-edit", pk=saved.pk)
    return render(request, "indicators/rule_form.html",
                  {"form": form, "trial_form": trial_form, "ruleset": ruleset, "rule": rule})  # fmt: skip


@allowed_if(selectors.can_write_rules)
def rule_new(request, pk: int):
    ruleset = get_object_or_404(RuleSet, pk=pk)
    if ruleset.frozen_at is not None:
        raise Http404
    return _page(request, ruleset, None)


@allowed_if(selectors.can_write_rules)
def rule_edit(request, pk: int):
    rule = get_object_or_404(Rule.objects.select_related("ruleset"), pk=pk)
    return _page(request, rule.ruleset, rule)


@require_POST
@allowed_if(selectors.can_write_rules)
def rule_try(request, pk: int):
    """htmx: the rule as typed so far — its checks beside the condition, its samples, a firm's real values."""
    ruleset = get_object_or_404(RuleSet, pk=pk)
    form = RuleForm(request.POST)
    form.is_valid()
    trial_form = TrialForm(request.POST)
    trial_form.is_valid()
    sample_problem = "; ".join(form.errors.get("samples", [])) + "; ".join(form.errors.get("values", []))
    samples = form.cleaned_data.get("samples") or []
    trial = selectors.rule_trial(
        user=request.user, spec=_spec(form), samples=samples if isinstance(samples, list) else [],
        firm_text=trial_form.cleaned_data.get("firm", "") if trial_form.is_valid() else "",
        period=trial_form.cleaned_data.get("period", "") if trial_form.is_valid() else "",
        industry=request.POST.get("industry", ""),
    )  # fmt: skip
    return render(request, "indicators/_rule_trial.html",
                  {"trial": trial, "sample_problem": sample_problem, "ruleset": ruleset})  # fmt: skip


@require_POST
@allowed_if(selectors.can_write_rules)
def rule_activate(request, pk: int):
    rule = get_object_or_404(Rule, pk=pk)
    try:
        services.rule_activate(rule=rule, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("In effect: %(rule)s") % {"rule": rule.name or rule.code})
    return redirect("rule-edit", pk=pk)
