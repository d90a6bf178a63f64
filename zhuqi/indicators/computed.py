"""Computed indicators (obtained: computed): a CEL formula over other indicators of the same firm and period
(研发投入强度 = rd_expense * 100.0 / revenue). A formula is checked when saved — its syntax, every name a known
indicator, no indicator computed from itself through others, a number or yes/no as its result — and the values
are computed and recorded (origin: computed, the formula as their origin) when their inputs change, and on
demand. A missing input or a division by zero records nothing: a computed value is never a guess."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

import cel
from django.db import transaction
from django.utils.translation import gettext as _

from zhuqi.core.audit import audit_record
from zhuqi.core.errors import DomainError
from zhuqi.core.models import AuditEvent

from .engine import _INTO_CEL, _SAMPLE, CEL_ERRORS, _compile, _rewrite, _variable, is_missing, names_in
from .models import Indicator, Obtained, ValueKind
from .periods import period_kind_of


def formula_reads(formula: str) -> list[str]:
    """The indicator codes a formula reads, in order (a formula reads this period only: no last.)."""
    return list(dict.fromkeys(code for (_last, code), _s, _e in names_in(formula)))


def _graph(overrides: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    formulas = dict(
        Indicator.objects.filter(obtained=Obtained.COMPUTED).exclude(formula="").values_list("code", "formula")
    )
    formulas.update(overrides or {})
    return {code: formula_reads(formula) for code, formula in formulas.items() if formula.strip()}


def _cycle(graph: Mapping[str, list[str]], start: str) -> list[str] | None:
    """A path from start back to itself through the formulas, or None."""
    path: list[str] = []
    seen: set[str] = set()

    def walk(code: str) -> list[str] | None:
        for read in graph.get(code, []):
            if read == start:
                return [*path, code, read]
            if read in seen:
                continue
            seen.add(read)
            path.append(code)
            found = walk(read)
            path.pop()
            if found:
                return found
        return None

    return walk(start)


def formula_check(*, code: str, formula: str, value_kind: str) -> tuple[list[str], list[str]]:
    """(codes read, problems in Chinese) of a formula for the computed indicator `code`."""
    if not formula.strip():
        return [], [_("A computed indicator needs its formula")]
    try:
        cel.compile(formula)
    except ValueError as exc:
        where = re.search(r"<input>:(\d+):(\d+): (?:Syntax error: )?(.*)", str(exc))
        detail = (
            {"line": where[1], "column": where[2], "error": where[3]}
            if where
            else {"line": 1, "column": 1, "error": str(exc).split("\n")[0]}
        )
        return [], [_("Syntax error at line %(line)s, column %(column)s: %(error)s") % detail]
    if any(is_last for (is_last, _c), _s, _e in names_in(formula)):
        return [], [_("A formula reads the same period only: last. cannot be used")]
    reads = formula_reads(formula)
    known = dict(Indicator.objects.filter(code__in=reads).values_list("code", "value_kind"))
    unknown = [c for c in reads if c not in known and c != code]
    if unknown:
        return reads, [_("Unknown indicators: %(codes)s") % {"codes": "、".join(unknown)}]
    cycle = _cycle(_graph({code: formula}), code)
    if cycle:
        return reads, [_("The formula depends on itself: %(path)s") % {"path": " → ".join(cycle)}]
    sample = {c: _SAMPLE[known[c]] for c in reads}
    try:
        result = cel.compile(formula).execute(sample)
    except TypeError:
        return reads, [_(
            "Whole numbers (amounts, counts) and decimals cannot be mixed in arithmetic: compare by "
            "multiplying (rd_expense * 100 >= revenue * 3) or convert with double()"
        )]  # fmt: skip
    except CEL_ERRORS:
        return reads, []  # a division by the sample's value, say
    if value_kind == ValueKind.BOOLEAN and not isinstance(result, bool):
        return reads, [_("The formula of a yes / no indicator must give yes or no")]
    if value_kind == ValueKind.TEXT and not isinstance(result, str):
        return reads, [_("The formula of a text indicator must give text")]
    if value_kind not in (ValueKind.BOOLEAN, ValueKind.TEXT) and (
        isinstance(result, bool) or not isinstance(result, int | float)
    ):
        return reads, [_("The formula must give a number")]
    return reads, []


@transaction.atomic
def indicator_formula_save(*, indicator: Indicator, formula: str, by) -> Indicator:
    """Make an indicator computed by a formula, checked first (problems in Chinese, nothing saved)."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    _reads, problems = formula_check(code=indicator.code, formula=formula, value_kind=indicator.value_kind)
    if problems:
        from .services import IndicatorError

        raise DomainError(IndicatorError.RULE, "；".join(problems), field="formula")
    before = indicator.formula
    indicator.formula, indicator.obtained = formula.strip(), Obtained.COMPUTED
    indicator.save(update_fields=["formula", "obtained"])
    audit_record(actor=by, event=AuditEvent.UPDATE, obj=indicator, changes={"formula": [before, indicator.formula]})
    return indicator


def _ordered(computed: dict[str, str]) -> list[str]:
    """Computed codes so that each comes after the computed ones it reads."""
    done: list[str] = []

    def visit(code: str, trail: frozenset = frozenset()) -> None:
        if code in done or code in trail:
            return
        for read in formula_reads(computed[code]):
            if read in computed:
                visit(read, trail | {code})
        done.append(code)

    for code in sorted(computed):
        visit(code)
    return done


def formula_version(formula: str) -> str:
    return "formula " + hashlib.sha256(formula.encode()).hexdigest()[:12]


def _result(value: Any, kind: str) -> Any:
    if isinstance(value, bool):
        return value if kind == ValueKind.BOOLEAN else None
    if kind == ValueKind.TEXT:
        return value if isinstance(value, str) else None
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return None
        if not number.is_finite():
            return None
        if kind in (ValueKind.INTEGER, ValueKind.AMOUNT):
            return number.to_integral_value()
        return number.quantize(Decimal("0.0001"))
    return None


def computed_values(*, enterprise_ids: list[int], period: str, codes: Iterable[str] | None = None,
                    facts: Mapping[int, Mapping[str, Any]] | None = None) -> dict[int, dict[str, Any]]:  # fmt: skip
    """{enterprise id: {code: value}} of the computed indicators of this period's kind over the firms' facts
    (recorded values and counted facts): a formula whose inputs are missing, or that fails (a division by zero),
    gives nothing."""
    from .selectors import facts_of

    kind = period_kind_of(period)
    rows = Indicator.objects.filter(obtained=Obtained.COMPUTED, period_kind=kind).exclude(formula="")
    computed = {c: (f, k) for c, f, k in rows.values_list("code", "formula", "value_kind")}
    if codes is not None:
        wanted = set(codes)
        # what they need of other computed ones comes along
        stack = list(wanted)
        while stack:
            for read in formula_reads(computed.get(stack.pop(), ("", ""))[0]):
                if read in computed and read not in wanted:
                    wanted.add(read)
                    stack.append(read)
        computed = {c: v for c, v in computed.items() if c in wanted}
    if not computed:
        return {}
    order = _ordered({c: f for c, (f, _k) in computed.items()})
    inputs = {c for f, _k in computed.values() for c in formula_reads(f)}
    kinds = dict(Indicator.objects.filter(code__in=inputs).values_list("code", "value_kind"))
    if facts is None:
        facts = facts_of(enterprises=enterprise_ids, period=period, codes=inputs - set(computed))
    found: dict[int, dict[str, Any]] = {}
    for enterprise_id in enterprise_ids:
        values = {c: v for c, v in (facts.get(enterprise_id) or {}).items() if c not in computed}
        out: dict[str, Any] = {}
        for code in order:
            formula, kind_of_value = computed[code]
            reads = formula_reads(formula)
            context = {}
            for read in reads:
                value = out.get(read) if read in computed else values.get(read)
                if is_missing(value):
                    break
                into = _INTO_CEL[kinds.get(read, ValueKind.DECIMAL)]
                context[_variable((False, read))] = into(value)
            else:
                try:
                    result = _compile(_rewrite(formula, _variable)).execute(context)
                except CEL_ERRORS:
                    continue
                value = _result(result, kind_of_value)
                if value is not None:
                    out[code] = value
        if out:
            found[enterprise_id] = out
    return found


def computed_record(*, enterprise_ids: list[int], period: str, by=None, codes: Iterable[str] | None = None) -> int:
    """Compute and record the computed indicators of these firms for a period (origin: computed; the formula's
    indicator and version as the origin). An unchanged value adds no version. Returns the versions added."""
    from zhuqi.enterprises.models import Enterprise

    from .models import Origin
    from .services import indicator_values_record

    formulas = dict(Indicator.objects.filter(obtained=Obtained.COMPUTED).values_list("code", "formula"))
    added = 0
    firms = Enterprise.objects.in_bulk(list(enterprise_ids))
    for enterprise_id, values in computed_values(enterprise_ids=enterprise_ids, period=period, codes=codes).items():
        if enterprise_id not in firms:
            continue
        for code, value in values.items():
            added += indicator_values_record(
                enterprise=firms[enterprise_id], period=period, values={code: value}, by=by, origin=Origin.COMPUTED,
                origin_ref=f"indicators.formula:{code}", origin_version=formula_version(formulas[code]),
            )  # fmt: skip
    return added


def computed_reading(codes: Iterable[str], period: str) -> list[str]:
    """The computed indicators of this period's kind that read any of these codes (directly or through others)."""
    graph = _graph()
    if not graph:
        return []
    kinds = dict(
        Indicator.objects.filter(code__in=list(graph), period_kind=period_kind_of(period)).values_list("code", "code")
    )
    changed, found = set(codes), set()
    grew = True
    while grew:
        grew = False
        for code, reads in graph.items():
            if code not in found and code in kinds and changed & set(reads):
                found.add(code)
                changed.add(code)
                grew = True
    return sorted(found)


def computed_record_all(*, period: str, by=None, codes: Iterable[str] | None = None, chunk: int = 500) -> int:
    """On demand (`manage.py indicators_compute`): every firm's computed indicators for a period."""
    from zhuqi.enterprises.models import Enterprise

    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    return sum(
        computed_record(enterprise_ids=ids[i : i + chunk], period=period, by=by, codes=codes)
        for i in range(0, len(ids), chunk)
    )
