"""Writes of indicators and rules: recording a value (with where it came from), correcting it (the old version
kept), and saving, testing and bringing rules into effect."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.background import run_in_background
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent
from zhuqi.enterprises.models import Industry

from .engine import RuleBook, RuleProblem, Verdict, check_rule
from .models import Indicator, IndicatorValue, Origin, Rule, RuleSet, RuleStatus, Severity, ValueKind
from .periods import period_valid
from .selectors import indicator_infos, rule_spec
from .units import convertible, to_base


class IndicatorError(Enum):
    UNKNOWN = "unknown_indicator"
    INVALID = "invalid_value"
    PERIOD = "invalid_period"
    REASON = "reason_required"
    RULE = "invalid_rule"
    FROZEN = "frozen"
    UNTESTED = "untested"


def value_clean(indicator: Indicator, raw: Any, *, unit: str | None = None) -> tuple[Decimal | None, str]:
    """(number in the kept unit, text) from what a person or a file gave, or a DomainError in Chinese."""
    name = indicator.name
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    kind = indicator.value_kind
    if kind == ValueKind.TEXT:
        text = str(raw).strip()
        if indicator.choices and text not in indicator.choices:
            raise DomainError(IndicatorError.INVALID, _("%(name)s: choose one of %(choices)s")
                              % {"name": name, "choices": "、".join(indicator.choices)}, field=indicator.code)  # fmt: skip
        return None, text[:500]
    if kind == ValueKind.BOOLEAN:
        if isinstance(raw, str):
            raw = raw.strip()
            if raw in ("是", "1", "true", "True", "yes"):
                return Decimal(1), ""
            if raw in ("否", "0", "false", "False", "no"):
                return Decimal(0), ""
            raise DomainError(
                IndicatorError.INVALID, _("%(name)s: answer 是 or 否") % {"name": name}, field=indicator.code
            )
        return Decimal(1 if raw else 0), ""
    try:
        number = Decimal(str(raw).strip().replace(",", "").replace("，", "")) if not isinstance(raw, Decimal) else raw
    except InvalidOperation:
        raise DomainError(IndicatorError.INVALID, _("%(name)s: %(value)s is not a number")
                          % {"name": name, "value": raw}, field=indicator.code) from None  # fmt: skip
    if not number.is_finite() or abs(number) >= Decimal(10) ** 17:
        raise DomainError(IndicatorError.INVALID, _("%(name)s: the number is out of range") % {"name": name},
                          field=indicator.code)  # fmt: skip
    if kind == ValueKind.INTEGER and number != number.to_integral_value():
        raise DomainError(IndicatorError.INVALID, _("%(name)s: a whole number, please") % {"name": name},
                          field=indicator.code)  # fmt: skip
    given = unit or indicator.unit
    if not convertible(given, indicator.unit):
        raise DomainError(IndicatorError.INVALID, _("%(name)s: %(unit)s is not a unit of this indicator")
                          % {"name": name, "unit": given}, field=indicator.code)  # fmt: skip
    return to_base(number, given).quantize(Decimal("0.0001")), ""


def _indicators(codes) -> dict[str, Indicator]:
    found = {i.code: i for i in Indicator.objects.filter(code__in=list(codes))}
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise DomainError(IndicatorError.UNKNOWN, _("Unknown indicators: %(codes)s") % {"codes": "、".join(unknown)})
    return found


@transaction.atomic
def indicator_values_record(*, enterprise, period: str, values: Mapping[str, Any], by, origin: str = Origin.RETURN,
                            origin_ref: str = "", origin_version: str = "", units: Mapping[str, str] | None = None,
                            reason: str = "") -> int:  # fmt: skip
    """Record values for (enterprise, indicator, period) with their provenance: a value that differs from the
    current one becomes a new version and the old one stays; an equal one is left as it is; an empty one is not
    recorded (a value once reported is corrected, never blanked). Returns how many versions were added."""
    if origin == Origin.CORRECTION and not reason.strip():
        raise DomainError(IndicatorError.REASON, _("A correction needs a reason"), field="reason")
    indicators = _indicators(values)
    for indicator in indicators.values():
        if not period_valid(indicator.period_kind, period):
            raise DomainError(IndicatorError.PERIOD, _("%(period)s is not a period of %(name)s")
                              % {"period": period, "name": indicator.name})  # fmt: skip
    cleaned = {}
    for code, raw in values.items():
        number, text = value_clean(indicators[code], raw, unit=(units or {}).get(code))
        if number is not None or text:
            cleaned[code] = (number, text)
    current = {
        v.indicator_id: v
        for v in IndicatorValue.objects.select_for_update().filter(
            enterprise=enterprise, period=period, is_current=True, indicator__in=[indicators[c] for c in cleaned]
        )
    }
    # a value with no current version may have had one (withdrawn): its next number, in one query for all of them
    last = dict(
        IndicatorValue.objects.filter(
            enterprise=enterprise, period=period,
            indicator__in=[indicators[c] for c in cleaned if indicators[c].pk not in current],
        ).values_list("indicator_id").annotate(Max("version"))
    ) if len(current) < len(cleaned) else {}  # fmt: skip
    now, added, superseded = timezone.now(), [], []
    actor = by if getattr(by, "is_authenticated", False) else None
    for code, (number, text) in cleaned.items():
        indicator = indicators[code]
        old = current.get(indicator.pk)
        if old is not None and old.number == number and old.text == text:
            continue
        if old is not None:
            old.is_current = False
            superseded.append(old)
        added.append(IndicatorValue(
            enterprise=enterprise, indicator=indicator, period=period, number=number, text=text,
            version=(old.version if old else last.get(indicator.pk, 0)) + 1, is_current=True,
            origin=origin, origin_ref=origin_ref[:60], origin_version=origin_version[:60], reason=reason[:300],
            recorded_by=actor, recorded_at=now,
        ))  # fmt: skip
    if superseded:
        IndicatorValue.objects.bulk_update(superseded, ["is_current"])
    IndicatorValue.objects.bulk_create(added)
    if added and origin != Origin.COMPUTED:
        _computed_refresh_later(enterprise.pk, period, [v.indicator.code for v in added])
    if origin == Origin.CORRECTION and added:
        audit_record(actor=by, event=AuditEvent.UPDATE, obj=added[0], detail=reason[:500],
                     changes={v.indicator.code: [str(current[v.indicator_id].number) if v.indicator_id in current
                                                 else None, str(v.number) if v.number is not None else v.text]
                              for v in added})  # fmt: skip
    return len(added)


def _computed_refresh_later(enterprise_id: int, period: str, codes: list[str]) -> None:
    """The computed indicators reading what changed are recomputed by the task queue once this commits."""
    from . import tasks
    from .computed import computed_reading

    dependent = computed_reading(codes, period)
    if dependent:
        run_in_background(tasks.computed_refresh, [enterprise_id], period, dependent)


def indicator_value_record(*, enterprise, code: str, period: str, value: Any, by, origin: str = Origin.RETURN,
                           origin_ref: str = "", origin_version: str = "", unit: str | None = None,
                           reason: str = "") -> int:  # fmt: skip
    """One value with its provenance (the daily dispatch records its figures this way)."""
    return indicator_values_record(
        enterprise=enterprise, period=period, values={code: value}, by=by, origin=origin, origin_ref=origin_ref,
        origin_version=origin_version, units={code: unit} if unit else None, reason=reason,
    )  # fmt: skip


def indicator_value_correct(*, enterprise, code: str, period: str, value: Any, by, reason: str,
                            unit: str | None = None) -> int:  # fmt: skip
    return indicator_value_record(enterprise=enterprise, code=code, period=period, value=value, by=by,
                                  origin=Origin.CORRECTION, unit=unit, reason=reason)  # fmt: skip


# -- rules -------------------------------------------------------------------------------------------------------


def ruleset_ensure(*, code: str, name: str) -> RuleSet:
    ruleset, _created = RuleSet.objects.get_or_create(code=code, defaults={"name": name})
    return ruleset


def ruleset_freeze(*, ruleset: RuleSet) -> None:
    """Once a form version is in use its rules no longer change; a new version brings a new set."""
    if ruleset.frozen_at is None:
        RuleSet.objects.filter(pk=ruleset.pk, frozen_at__isnull=True).update(frozen_at=timezone.now())
        ruleset.refresh_from_db(fields=["frozen_at"])


@transaction.atomic
def rule_save(*, ruleset: RuleSet, code: str, name: str, expression: str, message: str, by,
              severity: str = Severity.ERROR, values: Mapping[str, str] | None = None,
              valid_from: datetime.date | None = None, valid_to: datetime.date | None = None,
              source_document: str = "", samples: list | None = None, order: int = 0, industry: str = "",
              replaces: str = "") -> Rule:  # fmt: skip
    """Create or change a rule. It is checked (syntax, names, types) and goes back to draft: it takes effect only
    once its samples pass (rule_activate). A rule for one industry may replace, for firms of that industry, the
    set's rule for every industry (a different ratio range)."""
    ruleset = RuleSet.objects.select_for_update().get(pk=ruleset.pk)
    if ruleset.frozen_at is not None:
        raise DomainError(IndicatorError.FROZEN, _("These rules belong to a form version in use; make a new version"))
    if valid_from and valid_to and valid_to < valid_from:
        raise DomainError(IndicatorError.RULE, _("The end of validity is before its start"), field="valid_to")
    if severity not in Severity.values:
        raise DomainError(IndicatorError.RULE, _("Unknown severity"), field="severity")
    if industry and industry not in Industry.values:
        raise DomainError(IndicatorError.RULE, _("Unknown industry"), field="industry")
    if replaces:
        if not industry:
            raise DomainError(IndicatorError.RULE, _("Only a rule for one industry replaces another"), field="replaces")
        if replaces == code or not Rule.objects.filter(ruleset=ruleset, code=replaces, industry="").exists():
            raise DomainError(IndicatorError.RULE, _("%(code)s is not a rule of this set for every industry")
                              % {"code": replaces}, field="replaces")  # fmt: skip
    values = dict(values or {})
    spec = rule_spec(Rule(code=code, name=name, expression=expression, message=message, severity=severity,
                          values=values, source_document=source_document))  # fmt: skip
    reads, problems = check_rule(spec, indicator_infos())
    if problems:
        raise DomainError(IndicatorError.RULE, "；".join(problems), field="expression")
    rule = Rule.objects.filter(ruleset=ruleset, code=code).first() or Rule(ruleset=ruleset, code=code)
    rule.name, rule.expression, rule.message, rule.severity, rule.values = name, expression, message, severity, values
    rule.valid_from, rule.valid_to, rule.source_document = valid_from, valid_to, source_document
    rule.samples, rule.reads, rule.order, rule.status = list(samples or []), reads, order, RuleStatus.DRAFT
    rule.industry, rule.replaces = industry, replaces
    created = rule.pk is None
    rule.save()
    audit_record(actor=by, event=AuditEvent.CREATE if created else AuditEvent.UPDATE, obj=rule,
                 changes={"expression": [None, expression]})  # fmt: skip
    return rule


def rule_test(*, rule: Rule) -> list[dict]:
    """Each sample with what the rule says of it: [{"sample", "expect", "verdict", "explanation", "ok"}]."""
    try:
        book = RuleBook([rule_spec(rule)], indicator_infos(rule.reads))
    except RuleProblem as exc:
        raise DomainError(IndicatorError.RULE, str(exc)) from None
    results = []
    for sample in rule.samples or []:
        outcome = book.evaluate(sample.get("values") or {}, sample.get("last") or {}).outcomes[0]
        expect = str(sample.get("expect", ""))
        results.append({"sample": sample, "expect": expect, "verdict": outcome.verdict,
                        "explanation": outcome.explanation, "ok": outcome.verdict == expect})  # fmt: skip
    return results


@transaction.atomic
def rule_activate(*, rule: Rule, by) -> Rule:
    """Bring a rule into effect: only when it has samples, one at least where it fails, and every one gives what
    it expects."""
    rule = Rule.objects.select_for_update().select_related("ruleset").get(pk=rule.pk)
    if rule.ruleset.frozen_at is not None and rule.status != RuleStatus.ACTIVE:
        raise DomainError(IndicatorError.FROZEN, _("These rules belong to a form version in use; make a new version"))
    results = rule_test(rule=rule)
    if not results or not any(r["expect"] == Verdict.FALSE for r in results):
        raise DomainError(IndicatorError.UNTESTED, _("Give sample data, at least one on which the rule fails"))
    wrong = [r for r in results if not r["ok"]]
    if wrong:
        raise DomainError(IndicatorError.UNTESTED, _("%(count)d samples do not give what they expect: %(first)s")
                          % {"count": len(wrong), "first": wrong[0]["explanation"]})  # fmt: skip
    rule.status = RuleStatus.ACTIVE
    rule.save(update_fields=["status", "updated_at"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=rule, changes={"status": [RuleStatus.DRAFT, RuleStatus.ACTIVE]})
    return rule
