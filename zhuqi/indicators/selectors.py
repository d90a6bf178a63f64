"""Reads of indicators and rules: the shared API other modules call (policies' eligibility, the assessment's
scores, the forms' checks). Values come back in their kept unit (amounts in 元, as Decimal)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from .engine import Evaluation, IndicatorInfo, RuleBook, RuleSpec
from .models import Indicator, IndicatorValue, Rule, RuleSet, RuleStatus, ValueKind


def indicator_infos(codes: Iterable[str] | None = None) -> dict[str, IndicatorInfo]:
    qs = Indicator.objects.all()
    if codes is not None:
        qs = qs.filter(code__in=list(codes))
    return {
        code: IndicatorInfo(code, name, kind, unit)
        for code, name, kind, unit in qs.values_list("code", "name", "value_kind", "unit")
    }


def python_value(kind: str, number: Decimal | None, text: str) -> Any:
    if kind == ValueKind.TEXT:
        return text
    if number is None:
        return None
    if kind == ValueKind.INTEGER:
        return int(number)
    if kind == ValueKind.BOOLEAN:
        return bool(number)
    return number


def indicator_values_of(*, enterprises, period: str, codes: Iterable[str] | None = None) -> dict[int, dict[str, Any]]:
    """{enterprise id: {code: value}} of the current values for a period, in one query."""
    qs = IndicatorValue.objects.filter(is_current=True, period=period)
    if isinstance(enterprises, QuerySet):
        qs = qs.filter(enterprise__in=enterprises.values("pk"))
    else:
        qs = qs.filter(enterprise_id__in=[getattr(e, "pk", e) for e in enterprises])
    if codes is not None:
        qs = qs.filter(indicator__code__in=list(codes))
    found: dict[int, dict[str, Any]] = {}
    for enterprise_id, code, kind, number, text in qs.values_list(
        "enterprise_id", "indicator__code", "indicator__value_kind", "number", "text"
    ):
        found.setdefault(enterprise_id, {})[code] = python_value(kind, number, text)
    return found


def indicator_values(*, enterprise, period: str, codes: Iterable[str] | None = None) -> dict[str, Any]:
    return indicator_values_of(enterprises=[enterprise], period=period, codes=codes).get(
        getattr(enterprise, "pk", enterprise), {}
    )


def indicator_value_history(*, enterprise, code: str, period: str) -> QuerySet:
    """Every version of one value, newest first, with who recorded it, when and from what."""
    return (
        IndicatorValue.objects.filter(enterprise=enterprise, indicator__code=code, period=period)
        .select_related("recorded_by", "indicator")
        .order_by("-version")
    )


COUNTED_PREFIX = "indicators.counted."


def counted_codes() -> set[str] | None:
    """Every code the modules count live (each declares its own when it registers), or None when a module counts
    without saying which (any code may then be one)."""
    from zhuqi.core import registry

    found: set[str] = set()
    for name in registry.selectors():
        if name.startswith(COUNTED_PREFIX):
            codes = registry.counted_codes(name)
            if codes is None:
                return None
            found |= codes
    return found


def facts_of(*, enterprises, period: str, codes: Iterable[str] | None = None) -> dict[int, dict[str, Any]]:
    """What the platform knows of each firm for a period, by indicator code: the recorded values, overlaid with the
    facts counted live from modules' own records (an open major hazard, a certificate in force, a grade). A module
    provides counted facts by registering a selector named ``indicators.counted.<module>`` taking
    ``enterprise_ids`` and ``period`` and returning {enterprise id: {code: value}}; it declares each code as an
    Indicator (obtained: counted). Eligibility, measures and scores read firms through this one call."""
    from zhuqi.core import registry

    ids = (
        list(enterprises.values_list("pk", flat=True))
        if isinstance(enterprises, QuerySet)
        else [getattr(e, "pk", e) for e in enterprises]
    )
    wanted = set(codes) if codes is not None else None
    # a queryset goes in as a subquery: no list of 10^5 ids sent to the database and parsed back
    found = indicator_values_of(enterprises=enterprises if isinstance(enterprises, QuerySet) else ids, period=period,
                                codes=codes)  # fmt: skip
    for name, provide in sorted(registry.selectors().items()):
        if not name.startswith(COUNTED_PREFIX):
            continue
        gives = registry.counted_codes(name)
        if wanted is not None and gives is not None and not gives & wanted:
            continue  # none of its codes asked for: a module asked would read every firm for nothing
        for enterprise_id, values in provide(enterprise_ids=ids, period=period).items():
            if wanted is not None:
                values = {code: value for code, value in values.items() if code in wanted}
            if values:
                found.setdefault(enterprise_id, {}).update(values)
    return found


# -- rules -------------------------------------------------------------------------------------------------------

_books: dict[tuple, RuleBook] = {}


def rule_spec(rule: Rule) -> RuleSpec:
    return RuleSpec(
        code=rule.code, expression=rule.expression, message=rule.message, severity=rule.severity, name=rule.name,
        values=tuple((k, v) for k, v in (rule.values or {}).items()), source_document=rule.source_document,
    )  # fmt: skip


def rules_in_effect(*, ruleset: RuleSet | str, on: datetime.date | None = None, industry: str | None = None) -> list:
    """The rules of a set in effect on a day for a firm of an industry: those for every industry, and those for its
    own, each in place of the rule for every industry it replaces. Without an industry (not known): only the rules
    for every industry."""
    qs = Rule.objects.filter(status=RuleStatus.ACTIVE)
    qs = qs.filter(ruleset__code=ruleset) if isinstance(ruleset, str) else qs.filter(ruleset=ruleset)
    if on is not None:
        qs = qs.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    qs = qs.filter(industry__in=["", industry]) if industry else qs.filter(industry="")
    rules = list(qs.order_by("order", "code"))
    replaced = {r.replaces for r in rules if r.industry and r.replaces}
    return [r for r in rules if r.industry or r.code not in replaced]


def rule_book(*, ruleset: RuleSet | str, on: datetime.date | None = None, industry: str | None = None) -> RuleBook:
    """The rules of a set in effect on a day (for a firm of an industry), compiled once and kept while none of them
    changes."""
    rules = rules_in_effect(ruleset=ruleset, on=on, industry=industry)
    key = tuple((r.pk, r.updated_at) for r in rules)
    book = _books.get(key)
    if book is None:
        specs = [rule_spec(r) for r in rules]
        book = RuleBook(specs, indicator_infos({code for r in rules for code in r.reads}))
        if len(_books) > 256:
            _books.clear()
        _books[key] = book
    return book


def rules_evaluate(*, ruleset: RuleSet | str, current: Mapping[str, Any], last: Mapping[str, Any] | None = None,
                   on: datetime.date | None = None, industry: str | None = None) -> Evaluation:  # fmt: skip
    """Evaluate a set's rules on one set of values (each outcome true / false / unknown, with its explanation); with
    the firm's industry, its industry's rules in place of the general ones they replace."""
    return rule_book(ruleset=ruleset, on=on, industry=industry).evaluate(current, last)


def rules_evaluate_for(*, ruleset: RuleSet | str, enterprise, period: str, previous: str | None = None,
                       on: datetime.date | None = None) -> Evaluation:  # fmt: skip
    """The same over what the platform holds for an enterprise in a period (and the one before), with the rules of
    its industry."""
    current = indicator_values(enterprise=enterprise, period=period)
    last = indicator_values(enterprise=enterprise, period=previous) if previous else {}
    return rules_evaluate(ruleset=ruleset, current=current, last=last, on=on,
                          industry=getattr(enterprise, "industry", None) or None)  # fmt: skip


def indicator_values_visible_to(user) -> QuerySet:
    """A firm its own values, a park its firms', the zone and departments all (as for the enterprises)."""
    from zhuqi.core.scopes import enterprises_visible_to

    return IndicatorValue.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


# -- the rule-writing pages (zone staff and the system administrator) --------------------------------------------


def can_write_rules(user) -> bool:
    return getattr(user, "role", None) in ("zone_coordinator", "system_admin")


def rulesets_listed() -> QuerySet:
    from django.db.models import Count

    return RuleSet.objects.annotate(
        rule_count=Count("rules"), active_count=Count("rules", filter=Q(rules__status=RuleStatus.ACTIVE))
    ).order_by("code")


def ruleset_rules(*, ruleset: RuleSet) -> QuerySet:
    return ruleset.rules.order_by("order", "code")


def firm_find(*, user, text: str):
    """The firm this user may see whose name or credit code is the one typed (else one whose name contains it)."""
    from zhuqi.core.scopes import enterprises_visible_to

    text = (text or "").strip()
    if not text:
        return None
    seen = enterprises_visible_to(user)
    return (
        seen.filter(Q(name=text) | Q(credit_code=text.upper())).first()
        or seen.filter(name__icontains=text).order_by("name").first()
    )


def rule_trial(*, user, spec: RuleSpec, samples: list, firm_text: str = "", period: str = "",
               industry: str = "") -> dict:  # fmt: skip
    """What the page shows beside a rule as it is written: the checks rule_save makes (Chinese messages), the rule
    run on each of its samples, and on a chosen firm's real values for a period (recorded and counted)."""
    from .engine import RuleBook, RuleProblem, check_rule, format_value
    from .periods import period_kind_of, period_previous

    infos = indicator_infos()
    reads, problems = check_rule(spec, infos)
    result: dict = {"problems": problems, "samples": [], "firm": None, "firm_problem": ""}
    if problems:
        return result
    try:
        book = RuleBook([spec], {c: infos[c] for c in reads})
    except RuleProblem as exc:
        result["problems"] = [str(exc)]
        return result
    for sample in samples:
        outcome = book.evaluate(sample.get("values") or {}, sample.get("last") or {}).outcomes[0]
        result["samples"].append({"sample": sample, "expect": sample.get("expect"), "verdict": outcome.verdict,
                                  "explanation": outcome.explanation, "ok": outcome.verdict == sample.get("expect")})  # fmt: skip
    if firm_text.strip():
        kind = period_kind_of(period)
        firm = firm_find(user=user, text=firm_text)
        if firm is None:
            result["firm_problem"] = _("No enterprise you may see has that name or credit code")
        elif kind is None:
            result["firm_problem"] = _("Give the period, e.g. 2024")
        else:
            current = facts_of(enterprises=[firm], period=period, codes=reads).get(firm.pk, {})
            last = facts_of(enterprises=[firm], period=period_previous(kind, period), codes=reads).get(firm.pk, {})
            outcome = book.evaluate(current, last).outcomes[0]
            shown = [(infos[c].name, format_value(current[c], infos[c]) if c in current else "—") for c in reads]
            note = ""
            if industry and firm.industry != industry:
                note = _("This rule applies to another industry than this firm's: the firm's checks would not use it")
            result["firm"] = {"name": firm.name, "period": period, "verdict": outcome.verdict,
                              "explanation": outcome.explanation, "values": shown, "note": note}  # fmt: skip
    return result
