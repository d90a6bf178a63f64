"""The rule engine: rules written in CEL over indicator codes, compiled once, evaluated three-valued.

A rule's condition names indicators by code (`rd_staff <= tech_staff`) and the previous period's values as
`last.<code>`. Each rule book lays the names its rules read out as slots of one list and compiles every rule
against that list (`x[3] <= x[7]`), so a set of values enters CEL as one list of numbers per evaluation rather
than as many variables (converting values into CEL, not running the rules, was most of the cost).

Three values: a rule holds (TRUE), fails (FALSE), or cannot be decided (UNKNOWN) — when an indicator it reads
has no value it is evaluated over the values there are, and CEL's && and || decide it only when the missing
value cannot matter; otherwise it is UNKNOWN with the missing indicators listed. A missing value is never read
as zero. An evaluation error (a division by zero) is UNKNOWN with the error, never a pass.

Numbers enter CEL typed by their indicator: amounts as whole 元 and counts as int, decimal indicators as double.
CEL does not mix int and double in arithmetic, so a ratio is written `rd_expense * 100 >= revenue * 3` or with
double(); check_rule() says so when a rule mixes them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

import cel
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import RESERVED, ValueKind
from .units import MONEY, from_base

# what a CEL program raises for a missing name, a type mismatch, a division by zero, an overflow
CEL_ERRORS = (RuntimeError, TypeError, ValueError, LookupError, ArithmeticError)


class Verdict(models.TextChoices):
    TRUE = "true", gettext_lazy("Holds")
    FALSE = "false", gettext_lazy("Fails")
    UNKNOWN = "unknown", gettext_lazy("Cannot be decided")


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    name: str
    kind: str
    unit: str = ""


@dataclass(frozen=True)
class RuleSpec:
    code: str
    expression: str
    message: str
    severity: str = "error"
    name: str = ""
    values: tuple[tuple[str, str], ...] = ()  # (name, CEL) for the message's placeholders
    source_document: str = ""


# -- reading a rule's source --------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<str>[rRbB]{0,2}(?:\"\"\"[\s\S]*?\"\"\"|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'))
      |(?P<last>(?<![\w.])last\s*\.\s*(?P<lastname>[A-Za-z_]\w*))
      |(?P<sel>\.\s*[A-Za-z_]\w*)
      |(?P<ident>(?<![\w.])[A-Za-z_]\w*)(?P<call>\s*\()?
      |(?P<other>[\s\S])""",
    re.X,
)

Name = tuple[bool, str]  # (of the previous period, code)


@lru_cache(maxsize=4096)
def names_in(expression: str) -> tuple[tuple[Name, int, int], ...]:
    """The indicator names an expression reads, with where each stands: (is_last, code), start, end. CEL's own
    words, function names and field selections are not names."""
    found = []
    for match in _TOKEN.finditer(expression):
        if match.group("last"):
            found.append(((True, match.group("lastname")), match.start(), match.end()))
        elif match.group("ident") and not match.group("call") and match.group("ident") not in RESERVED:
            found.append(((False, match.group("ident")), match.start("ident"), match.end("ident")))
    return tuple(found)


def _rewrite(expression: str, replace) -> str:
    parts, at = [], 0
    for name, start, end in names_in(expression):
        parts += [expression[at:start], replace(name)]
        at = end
    parts.append(expression[at:])
    return "".join(parts)


def _variable(name: Name) -> str:
    return f"last__{name[1]}" if name[0] else name[1]


@lru_cache(maxsize=4096)
def _compile(source: str) -> cel.Program:
    return cel.compile(source)


def label(name: Name, indicators: Mapping[str, IndicatorInfo]) -> str:
    info = indicators.get(name[1])
    text = info.name if info else name[1]
    return _("%(name)s (last period)") % {"name": text} if name[0] else text


# -- values into CEL and back -------------------------------------------------------------------------------------


# amounts as whole 元 (a fraction of a yuan is dropped: no rule turns on it), counts as they are
_INTO_CEL = {
    ValueKind.AMOUNT: int,
    ValueKind.INTEGER: int,
    ValueKind.DECIMAL: float,
    ValueKind.TEXT: str,
    ValueKind.BOOLEAN: bool,
}


def is_missing(value) -> bool:
    return value is None or (value.__class__ is str and not value)


def format_value(value, info: IndicatorInfo | None = None) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if info is not None and info.kind == ValueKind.AMOUNT and info.unit in MONEY:
        value = from_base(Decimal(value), info.unit)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        value = value.quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
        text = f"{value:f}"
        return text
    return str(value)


_PLACEHOLDER = re.compile(r"\{(last\.)?([A-Za-z_]\w*)\}")


# -- a rule book: rules compiled over one layout of slots ---------------------------------------------------------


@dataclass
class _Compiled:
    spec: RuleSpec
    program: cel.Program
    reads: tuple[Name, ...]
    slots: frozenset[int]


@dataclass
class Outcome:
    rule: RuleSpec
    verdict: str
    missing: tuple[Name, ...] = ()
    error: str = ""
    missing_labels: tuple[str, ...] = ()
    evaluation: Evaluation | None = field(default=None, repr=False, compare=False)

    @property
    def message(self) -> str:
        """The rule's message with the values filled in, when it fails (made when first read)."""
        if self.verdict != Verdict.FALSE or self.evaluation is None:
            return ""
        if "_message" not in self.__dict__:
            e = self.evaluation
            self.__dict__["_message"] = e.book.fill(self.rule, e.current, e.last)
        return self.__dict__["_message"]

    @property
    def is_error(self) -> bool:
        return self.verdict == Verdict.FALSE and self.rule.severity == "error"

    @property
    def is_warning(self) -> bool:
        return self.verdict == Verdict.FALSE and self.rule.severity != "error"

    @property
    def explanation(self) -> str:
        """研发费用占比 2.8% < 3%，依据 国科发火〔2016〕32号"""
        if self.verdict == Verdict.FALSE:
            text = self.message
        elif self.verdict == Verdict.TRUE:
            text = _("%(rule)s: holds") % {"rule": self.rule.name or self.rule.code}
        elif self.missing:
            text = _("%(rule)s: cannot be decided, missing %(names)s") % {
                "rule": self.rule.name or self.rule.code, "names": "、".join(self.missing_labels),
            }  # fmt: skip
        else:
            text = _("%(rule)s: cannot be decided (%(error)s)") % {"rule": self.rule.name or self.rule.code,
                                                                     "error": self.error}  # fmt: skip
        if self.rule.source_document:
            text += _(", according to %(source)s") % {"source": self.rule.source_document}
        return text


@dataclass
class Evaluation:
    book: RuleBook
    verdicts: list  # per rule: True, False, or an Outcome already made (unknown)
    current: Mapping[str, Any]
    last: Mapping[str, Any]
    _outcomes: list[Outcome] | None = field(default=None, repr=False)

    @property
    def outcomes(self) -> list[Outcome]:
        if self._outcomes is None:
            self._outcomes = [self.book._outcome(i, v, self) for i, v in enumerate(self.verdicts)]
        return self._outcomes

    def of(self, code: str) -> Outcome:
        return self.outcomes[self.book.index[code]]

    @property
    def not_holding(self) -> list[Outcome]:
        """The outcomes of the rules that do not hold (false or unknown), made only for those."""
        if self._outcomes is not None:
            return [o for o in self._outcomes if o.verdict != Verdict.TRUE]
        return [self.book._outcome(i, v, self) for i, v in enumerate(self.verdicts) if v is not True]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.not_holding if o.is_error]

    @property
    def warnings(self) -> list[Outcome]:
        return [o for o in self.not_holding if o.is_warning]

    @property
    def unknown(self) -> list[Outcome]:
        return [o for o in self.not_holding if o.verdict == Verdict.UNKNOWN]

    @property
    def all_hold(self) -> bool:
        return self.verdicts.count(True) == len(self.verdicts)

    @property
    def failed_codes(self) -> list[str]:
        return [self.book.rules[i].spec.code for i, v in enumerate(self.verdicts) if v is not True]


class RuleProblem(ValueError):
    pass


CHUNK = 100  # rules per combined program


def _getter(codes: list[str]):
    """A mapping's values at these keys, as a tuple (KeyError when one is absent)."""
    if not codes:
        return lambda mapping: ()
    if len(codes) == 1:
        return lambda mapping: (mapping[codes[0]],)
    return itemgetter(*codes)


class RuleBook:
    """Rules compiled together over one slot layout; evaluate() many sets of values against them."""

    def __init__(self, rules: Sequence[RuleSpec], indicators: Mapping[str, IndicatorInfo]):
        self.indicators = dict(indicators)
        found_of = []
        for spec in rules:
            found = names_in(spec.expression)
            for name, _start, _end in found:
                if name[1] not in self.indicators:
                    raise RuleProblem(_("%(rule)s: unknown indicator %(code)s") % {"rule": spec.code, "code": name[1]})
            found_of.append(found)

        # this period's names first, then last period's, each half read from its mapping in one step; within each,
        # the whole numbers first, converted in one pass
        def whole_first(name):
            return self.indicators[name[1]].kind not in (ValueKind.AMOUNT, ValueKind.INTEGER)

        names = list(dict.fromkeys(name for found in found_of for name, _s, _e in found))
        current = sorted((n for n in names if not n[0]), key=whole_first)
        previous = sorted((n for n in names if n[0]), key=whole_first)
        self.layout: list[Name] = current + previous
        slot = {name: i for i, name in enumerate(self.layout)}
        compiled, sources = [], []
        for spec, found in zip(rules, found_of, strict=True):
            source = _rewrite(spec.expression, lambda name: f"x[{slot[name]}]")
            try:
                program = _compile(source)
            except ValueError as exc:
                raise RuleProblem(f"{spec.code}: {exc}") from None
            reads = tuple(dict.fromkeys(name for name, _s, _e in found))
            compiled.append(_Compiled(spec, program, reads, frozenset(slot[n] for n in reads)))
            sources.append(f"({source})")
        # all the rules as one program giving the list of their verdicts: one call into CEL per evaluation (a
        # call costs about what a rule does); any error in it sends the evaluation rule by rule
        self.combined = [
            _compile("[" + ", ".join(sources[at : at + CHUNK]) + "]") for at in range(0, len(sources), CHUNK)
        ]
        self._sources = sources
        self._combined_without: dict[frozenset, list] = {}
        self.rules = compiled
        self.index = {c.spec.code: i for i, c in enumerate(compiled)}
        kinds = [self.indicators[code].kind for _last, code in self.layout]
        self._into = [_INTO_CEL[kind] for kind in kinds]
        self._current = [(i, code, self._into[i]) for i, (last, code) in enumerate(self.layout) if not last]
        self._last = [(i, code, self._into[i]) for i, (last, code) in enumerate(self.layout) if last]
        self._get_current = _getter([code for _i, code, _f in self._current])
        self._get_last = _getter([code for _i, code, _f in self._last])
        whole = (ValueKind.AMOUNT, ValueKind.INTEGER)
        self._whole_current = sum(1 for n in current if self.indicators[n[1]].kind in whole)
        self._whole_last = sum(1 for n in previous if self.indicators[n[1]].kind in whole)
        self._other_current = [_INTO_CEL[self.indicators[n[1]].kind] for n in current[self._whole_current :]]
        self._other_last = [_INTO_CEL[self.indicators[n[1]].kind] for n in previous[self._whole_last :]]
        # None, "" and False all convert without complaint to one of these: looked at one by one
        self._loose = [i for i, kind in enumerate(kinds) if kind in (ValueKind.TEXT, ValueKind.BOOLEAN)]
        self._executes = [c.program.execute for c in compiled]

    def combined_without(self, missing: frozenset) -> list[cel.Program]:
        """The combined programs with null for each rule that reads a missing slot (no value, not evaluated): rows
        lacking the same values share them, so such a row is still one call into CEL."""
        programs = self._combined_without.get(missing)
        if programs is None:
            sources = [
                "null" if rule.slots & missing else source
                for rule, source in zip(self.rules, self._sources, strict=True)
            ]
            if len(self._combined_without) > 64:
                self._combined_without.clear()
            programs = self._combined_without[missing] = [
                _compile("[" + ", ".join(sources[at : at + CHUNK]) + "]") for at in range(0, len(sources), CHUNK)
            ]
        return programs

    @property
    def programs(self) -> list[cel.Program]:
        return [c.program for c in self.rules]

    def row(self, current: Mapping[str, Any], last: Mapping[str, Any] | None = None) -> tuple[list, set]:
        """The values laid out in the book's slots, as CEL types, and the slots that have no value."""
        last = last or {}
        try:
            now, before = self._get_current(current), self._get_last(last)
            wc, wl = self._whole_current, self._whole_last
            row = [
                *map(int, now[:wc]), *[into(v) for into, v in zip(self._other_current, now[wc:], strict=True)],
                *map(int, before[:wl]), *[into(v) for into, v in zip(self._other_last, before[wl:], strict=True)],
            ]  # fmt: skip
        except (KeyError, TypeError, ValueError, ArithmeticError):
            pass  # a value missing or empty: slot by slot below
        else:
            raw = now + before
            if not any(raw[i] is None or raw[i] == "" for i in self._loose):
                return row, set()
        row: list = [None] * len(self.layout)
        missing = set()
        for source, slots in ((current, self._current), (last, self._last)):
            for i, code, into in slots:
                value = source.get(code)
                if value is None or (value.__class__ is str and not value):
                    missing.add(i)
                else:
                    row[i] = into(value)
        return row, missing

    def context(self, current: Mapping[str, Any], last: Mapping[str, Any] | None = None) -> tuple[cel.Context, set]:
        """The CEL context of one set of values, and the slots that have no value."""
        row, missing = self.row(current, last)
        return cel.Context({"x": row}), missing

    def evaluate(self, current: Mapping[str, Any], last: Mapping[str, Any] | None = None) -> Evaluation:
        row, missing = self.row(current, last)
        ctx = {"x": row}
        last = last or {}
        if not missing:
            try:
                verdicts = self.combined[0].execute(ctx) if len(self.combined) == 1 else [
                    v for program in self.combined for v in program.execute(ctx)]  # fmt: skip
            except CEL_ERRORS:
                verdicts = [self._one(i, ctx, missing, current, last) for i in range(len(self.rules))]
            else:
                if verdicts.count(True) + verdicts.count(False) != len(verdicts):
                    for i, v in enumerate(verdicts):
                        if v is not True and v is not False:
                            verdicts[i] = self._not_a_truth(i, v)
        else:
            verdicts = [self._one(i, ctx, missing, current, last) for i in range(len(self.rules))]
        return Evaluation(self, verdicts, current, last)

    def _not_a_truth(self, i, value) -> Outcome:
        return Outcome(self.rules[i].spec, Verdict.UNKNOWN, error=_("the condition gave %(value)r, not yes or no")
                       % {"value": value})  # fmt: skip

    def _one(self, i, ctx, missing, current, last):
        rule = self.rules[i]
        lacking = rule.slots & missing
        try:
            if lacking:
                # over the values there are: CEL's && and || decide when the missing ones cannot matter
                result = _compile(_rewrite(rule.spec.expression, _variable)).execute(
                    self._named(rule.reads, current, last)
                )
            else:
                result = rule.program.execute(ctx)
        except CEL_ERRORS as exc:
            if lacking:
                names = tuple(self.layout[s] for s in sorted(lacking))
                return Outcome(rule.spec, Verdict.UNKNOWN, missing=names,
                               missing_labels=tuple(label(n, self.indicators) for n in names))  # fmt: skip
            return Outcome(rule.spec, Verdict.UNKNOWN, error=str(exc).split(".")[0])
        if result is True or result is False:
            return result
        return self._not_a_truth(i, result)

    def _named(self, names, current, last) -> dict:
        values = {}
        for name in names:
            value = (last if name[0] else current).get(name[1])
            if not is_missing(value):
                values[_variable(name)] = _INTO_CEL[self.indicators[name[1]].kind](value)
        return values

    def _outcome(self, i, verdict, evaluation: Evaluation) -> Outcome:
        if isinstance(verdict, Outcome):
            return verdict
        spec = self.rules[i].spec
        if verdict is True:
            return Outcome(spec, Verdict.TRUE)
        return Outcome(spec, Verdict.FALSE, evaluation=evaluation)

    def fill(self, spec: RuleSpec, current: Mapping, last: Mapping) -> str:
        """The message with its placeholders filled: {code} and {last.code} in the indicator's unit, {name} from
        the rule's values (CEL over the same data)."""
        computed = dict(spec.values)

        def value_of(match):
            is_last, name = bool(match.group(1)), match.group(2)
            if not is_last and name in computed:
                expression = computed[name]
                reads = tuple(dict.fromkeys(n for n, _s, _e in names_in(expression)))
                try:
                    result = _compile(_rewrite(expression, _variable)).execute(self._named(reads, current, last))
                except CEL_ERRORS:
                    return "？"
                return format_value(Decimal(repr(result)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                                    if isinstance(result, float) else result)  # fmt: skip
            value = (last if is_last else current).get(name)
            if is_missing(value):
                return "？"
            return format_value(value, self.indicators.get(name))

        return _PLACEHOLDER.sub(value_of, spec.message)


# -- checking a rule before it is saved ----------------------------------------------------------------------------

_SAMPLE = {
    ValueKind.AMOUNT: 1000,
    ValueKind.INTEGER: 10,
    ValueKind.DECIMAL: 1.5,
    ValueKind.TEXT: "a",
    ValueKind.BOOLEAN: True,
}


def check_rule(spec: RuleSpec, indicators: Mapping[str, IndicatorInfo]) -> tuple[list[str], list[str]]:
    """(codes read, problems): the syntax, every name a known indicator, int and double not mixed, the condition
    a yes or no, the message's placeholders known. Problems are in Chinese for the person writing the rule."""
    problems: list[str] = []
    reads: list[str] = []
    for what, expression, must_be_truth in [("", spec.expression, True)] + [
        (name, expression, False) for name, expression in spec.values
    ]:
        prefix = _("Value %(name)s: ") % {"name": what} if what else ""
        if not expression.strip():
            problems.append(prefix + _("The condition is empty"))
            continue
        try:
            cel.compile(expression)
        except ValueError as exc:
            where = re.search(r"<input>:(\d+):(\d+): (?:Syntax error: )?(.*)", str(exc))
            detail = (
                {"line": where[1], "column": where[2], "error": where[3]}
                if where
                else {"line": 1, "column": 1, "error": str(exc).split("\n")[0]}
            )
            problems.append(prefix + _("Syntax error at line %(line)s, column %(column)s: %(error)s") % detail)
            continue
        found = list(dict.fromkeys(name for name, _s, _e in names_in(expression)))
        unknown = [name[1] for name in found if name[1] not in indicators]
        if unknown:
            problems.append(prefix + _("Unknown indicators: %(codes)s") % {"codes": "、".join(unknown)})
            continue
        reads += [code for _last, code in found if code not in reads]
        sample = {_variable(n): _SAMPLE[indicators[n[1]].kind] for n in found}
        try:
            result = cel.compile(_rewrite(expression, _variable)).execute(sample)
        except TypeError:
            problems.append(prefix + _(
                "Whole numbers (amounts, counts) and decimals cannot be mixed in arithmetic: compare by "
                "multiplying (rd_expense * 100 >= revenue * 3) or convert with double()"
            ))  # fmt: skip
            continue
        except CEL_ERRORS:
            continue  # a division by the sample's zero, say: the sample data decide
        if must_be_truth and not isinstance(result, bool):
            problems.append(_("The condition must give yes or no"))
    for match in _PLACEHOLDER.finditer(spec.message):
        is_last, name = bool(match.group(1)), match.group(2)
        if name not in indicators and (is_last or name not in dict(spec.values)):
            problems.append(_("The message names %(name)s, which is neither an indicator nor a value of the rule")
                            % {"name": match.group(0)})  # fmt: skip
    return reads, problems
