"""政策匹配: every firm against every policy in force, three-valued per condition, through the shared rule engine.

The facts come from `indicators.selectors.facts_of` (recorded values overlaid with the modules' counted facts) in
one call for the whole batch of firms; each policy version's conditions and exclusions are a `RuleBook` compiled
once (kept while none of its rules changes), and its benefit a CEL expression over the same facts. The results are
stored per (firm, policy) in one upsert; firms newly eligible are told once."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import itemgetter
from typing import Any

import cel
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhuqi.core.bulk import insert_rows
from zhuqi.indicators.engine import CEL_ERRORS, Outcome, RuleBook, Verdict, names_in
from zhuqi.indicators.models import IndicatorValue, Rule, RuleStatus, ValueKind
from zhuqi.indicators.selectors import facts_of, indicator_infos, rule_spec

from .models import Match, Policy, PolicyPayment, PolicyVersion
from .models import Verdict as MatchVerdict

_INTO = {ValueKind.AMOUNT: int, ValueKind.INTEGER: int, ValueKind.DECIMAL: float, ValueKind.TEXT: str,
         ValueKind.BOOLEAN: bool}  # fmt: skip
_books: dict[tuple, RuleBook] = {}
_benefits: dict[str, Any] = {}


def match_period(today: datetime.date | None = None) -> str:
    """Policies judge a firm on the latest complete year the zone holds reports for (the annual returns of a year
    are filed in the spring after it), the year before today's at the latest."""
    last_year = str((today or timezone.localdate()).year - 1)
    if IndicatorValue.objects.filter(is_current=True, period=last_year).exists():
        return last_year
    latest = (IndicatorValue.objects.filter(is_current=True, period__regex=r"^[0-9]{4}$", period__lte=last_year)
              .order_by("-period").values_list("period", flat=True).first())  # fmt: skip
    return latest or last_year


def _books_for(ruleset_ids: set[int], on: datetime.date) -> dict[int, RuleBook]:
    """Every set's rules in effect on a day, compiled once per set of rules: which rules and when each last changed
    are read first, and the rules themselves only for a set not compiled yet."""
    qs = (
        Rule.objects.filter(ruleset_id__in=ruleset_ids, status=RuleStatus.ACTIVE)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("order", "code")
    )
    found = defaultdict(list)
    for ruleset_id, pk, updated_at in qs.values_list("ruleset_id", "pk", "updated_at"):
        found[ruleset_id].append((pk, updated_at))
    keys = {ruleset_id: (ruleset_id, *found.get(ruleset_id, ())) for ruleset_id in ruleset_ids}
    books = {ruleset_id: _books[key] for ruleset_id, key in keys.items() if key in _books}
    if len(books) < len(keys):
        rules = defaultdict(list)
        for rule in qs.filter(ruleset_id__in=[r for r in ruleset_ids if r not in books]):
            rules[rule.ruleset_id].append(rule)
        infos = indicator_infos({code for found in rules.values() for r in found for code in r.reads})
        if len(_books) > 4096:
            _books.clear()
            _zones.clear()
        for ruleset_id in ruleset_ids - books.keys():
            listed = rules.get(ruleset_id, [])
            book = RuleBook([rule_spec(r) for r in listed], {c: infos[c] for r in listed for c in r.reads})
            book.key = keys[ruleset_id]
            books[ruleset_id] = _books[book.key] = book
    return books


_zones: dict[tuple, tuple[RuleBook, dict[int, tuple[int, ...]]]] = {}


def _zone_book(books: dict[int, RuleBook]) -> tuple[RuleBook, dict[int, tuple[int, ...]]]:
    """The catalogue's conditions as one book, each distinct condition once (policies share most of theirs: 规上,
    高企, a revenue floor), with each set's places in it: a firm's row is built and its conditions run once for
    all the policies, not once per policy."""
    key = tuple(sorted((ruleset_id, book.key) for ruleset_id, book in books.items()))
    zone = _zones.get(key)
    if zone is None:
        specs, place, positions, indicators = [], {}, {}, {}
        for ruleset_id, book in books.items():
            indicators.update(book.indicators)
            for compiled in book.rules:
                expression = compiled.spec.expression
                if expression not in place:
                    place[expression] = len(specs)
                    specs.append(compiled.spec)
            positions[ruleset_id] = tuple(place[c.spec.expression] for c in book.rules)
        zone = _zones[key] = (RuleBook(specs, indicators), positions)
    return zone


def _picker(positions: tuple[int, ...]):
    """The verdicts at these places, as a tuple."""
    if not positions:
        return lambda verdicts: ()
    if len(positions) == 1:
        only = positions[0]
        return lambda verdicts: (verdicts[only],)
    return itemgetter(*positions)


@dataclass
class Benefit:
    """A version's benefit: a CEL expression giving 元 (a fixed sum, a share with a cap, tiers)."""

    program: Any
    reads: tuple[str, ...]
    into: tuple

    def amount(self, facts: dict) -> Decimal | None:
        values = {}
        for code, into in zip(self.reads, self.into, strict=True):
            value = facts.get(code)
            if value is None or value == "":
                return None
            values[code] = into(value)
        try:
            result = self.program.execute(values)
        except CEL_ERRORS:
            return None
        if isinstance(result, bool) or not isinstance(result, int | float):
            return None
        return Decimal(repr(result)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def benefit_of(expression: str, infos) -> Benefit | None:
    if not expression.strip():
        return None
    reads = tuple(dict.fromkeys(code for (_last, code), _s, _e in names_in(expression)))
    if expression not in _benefits:
        _benefits[expression] = cel.compile(expression)
    return Benefit(_benefits[expression], reads, tuple(_INTO[infos[c].kind] for c in reads))


def versions_in_force(on: datetime.date, policy_ids=None) -> list[PolicyVersion]:
    qs = PolicyVersion.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on), Q(policy__valid_to__isnull=True) | Q(policy__valid_to__gte=on),
        valid_from__lte=on, policy__valid_from__lte=on,
    ).select_related("policy")  # fmt: skip
    if policy_ids is not None:
        qs = qs.filter(policy_id__in=list(policy_ids))
    latest = {}
    for version in qs.order_by("policy_id", "-number"):
        latest.setdefault(version.policy_id, version)
    return list(latest.values())


@dataclass
class Judged:
    verdict: str
    conditions: list
    lacking: str
    missing: list
    excluded: list
    amount: Decimal | None


class Judge:
    """Judges firms against one version: 符合 when every condition holds, 差一项 when exactly one fails and none is
    undecided, 待补充信息 when none fails but some cannot be decided, 不符合 otherwise. Each condition's explanation
    names the value, the threshold and the clause. A firm that does not qualify — most of the pairs — is told apart
    from its verdicts alone, before any explanation is made."""

    def __init__(self, book: RuleBook, exclusions: RuleBook | None, benefit: Benefit | None):
        self.book, self.exclusions, self.benefit = book, exclusions, benefit
        meets = _("meets it")
        self.static = [{"code": r.spec.code, "name": r.spec.name, "clause": r.spec.source_document} for r in book.rules]
        self.holds = [{**part, "verdict": Verdict.TRUE, "text": meets} for part in self.static]
        self.needs = _("needs %(names)s")

    def __call__(self, facts: dict) -> Judged:
        """One pair judged on its own, every condition explained."""
        return self.judged(self.book.evaluate(facts).verdicts, facts, explain_all=True)

    def judged(self, verdicts, facts: dict, *, explain_all: bool = False) -> Judged | None:
        """The pair judged from its conditions' verdicts (in the book's order); None for a firm that does not
        qualify (two conditions missed, or one and another undecided), unless every explanation is asked for."""
        failed = verdicts.count(False)
        undecided = len(verdicts) - failed - verdicts.count(True)
        if not explain_all and (failed > 1 or (failed and undecided)):
            return None
        if failed == 0 and undecided == 0:
            verdict = MatchVerdict.QUALIFIES
        elif failed == 1 and undecided == 0:
            verdict = MatchVerdict.NEARLY
        elif failed == 0:
            verdict = MatchVerdict.UNKNOWN
        else:
            verdict = MatchVerdict.FAILS
        conditions, missing, lacking = [], [], ""
        for i, v in enumerate(verdicts):
            if v is True:
                conditions.append(self.holds[i])
            elif v is False:
                text = self.book.fill(self.book.rules[i].spec, facts, {})
                conditions.append({**self.static[i], "verdict": Verdict.FALSE, "text": text})
                lacking = lacking or text
            else:
                outcome: Outcome = v
                labels = list(outcome.missing_labels)
                missing += [m for m in labels if m not in missing]
                text = (self.needs % {"names": "、".join(labels)}) if labels else outcome.error
                conditions.append({**self.static[i], "verdict": Verdict.UNKNOWN, "text": text, "missing": labels})
        excluded = []
        if self.exclusions is not None and verdict == MatchVerdict.QUALIFIES:
            excluded = [o.message for o in self.exclusions.evaluate(facts).not_holding if o.verdict == Verdict.FALSE]
        amount = self.benefit.amount(facts) if self.benefit is not None and verdict == MatchVerdict.QUALIFIES else None
        lacking = lacking if verdict == MatchVerdict.NEARLY else ""
        return Judged(verdict, conditions, lacking[:300], missing, excluded, amount)


def _facts_and_periods(chunk: list[int], period: str, codes) -> tuple[dict, dict]:
    """The firms' facts for the period; a firm that has not reported for that year yet is judged on the year before
    (its latest)."""
    facts = facts_of(enterprises=chunk, period=period, codes=codes)
    reported = set(IndicatorValue.objects.filter(is_current=True, period=period, enterprise_id__in=chunk)
                   .values_list("enterprise_id", flat=True).distinct())  # fmt: skip
    earlier = [pk for pk in chunk if pk not in reported]
    period_of = dict.fromkeys(chunk, period)
    if earlier and len(reported) < len(chunk):
        before = str(int(period) - 1)
        facts.update(facts_of(enterprises=earlier, period=before, codes=codes))
        period_of.update(dict.fromkeys(earlier, before))
    return facts, period_of


def pair_judged(*, enterprise_id: int, policy_id: int, on: datetime.date | None = None) -> Match | None:
    """One firm against one policy judged now, every condition explained, not stored: what the firm's page shows
    of a policy it does not qualify for (match_run keeps no row for those). None when the policy is not in force."""
    on = on or timezone.localdate()
    versions = versions_in_force(on, [policy_id])
    if not versions:
        return None
    version = versions[0]
    books = _books_for({version.conditions_id}, on)
    book = books[version.conditions_id]
    facts, period_of = _facts_and_periods([enterprise_id], match_period(on), set(book.indicators))
    j = Judge(book, None, None)(facts.get(enterprise_id, {}))
    return Match(enterprise_id=enterprise_id, policy_id=policy_id, version=version, period=period_of[enterprise_id],
                 verdict=j.verdict, conditions=j.conditions, lacking=j.lacking, missing=j.missing)  # fmt: skip


def match_run(*, enterprise_ids: list[int] | None = None, policy_ids=None, on: datetime.date | None = None,
              notify_new: bool = True) -> int:  # fmt: skip
    """Match these firms (all when None) against these policies (all in force when None) and store the results of
    the pairs that qualify, nearly qualify or cannot be judged yet (a firm that does not qualify has no row).
    Returns the number of (firm, policy) pairs judged."""
    from zhuqi.enterprises.models import Enterprise

    on = on or timezone.localdate()
    period = match_period(on)
    versions = versions_in_force(on, policy_ids)
    if not versions:
        return 0
    if enterprise_ids is None:
        enterprise_ids = list(Enterprise.objects.values_list("pk", flat=True))
    sets = {v.conditions_id for v in versions} | {v.exclusions_id for v in versions if v.exclusions_id}
    books = _books_for(sets, on)
    codes = {code for book in books.values() for code in book.indicators}
    for version in versions:
        codes.update(code for (_l, code), _s, _e in names_in(version.benefit))
    infos = indicator_infos(codes)
    zone, positions = _zone_book({v.conditions_id: books[v.conditions_id] for v in versions})
    plan = [(v, Judge(books[v.conditions_id], books.get(v.exclusions_id), benefit_of(v.benefit, infos)),
             _picker(positions[v.conditions_id])) for v in versions]  # fmt: skip
    policy_of = [v.policy_id for v in versions]
    judged = 0
    for at in range(0, len(enterprise_ids), 2000):
        chunk = enterprise_ids[at : at + 2000]
        facts, period_of = _facts_and_periods(chunk, period, codes)
        received = _received(chunk, period)
        now = timezone.now()
        fields = ["enterprise_id", "policy_id", "version_id", "period", "verdict", "amount", "conditions", "lacking",
                  "missing", "excluded", "received", "notified_at", "matched_at"]  # fmt: skip
        with transaction.atomic():
            # replaced whole, the firms' rows for these policies; when each firm was told is carried over
            existing = Match.objects.filter(enterprise_id__in=chunk, policy_id__in=policy_of)
            told = dict(((e, p), told_at) for e, p, told_at in existing.filter(notified_at__isnull=False)
                        .values_list("enterprise_id", "policy_id", "notified_at"))  # fmt: skip
            existing.delete()
            rows = []
            for enterprise_id in chunk:
                values = facts.get(enterprise_id, {})
                verdicts = zone.evaluate(values).verdicts
                for version, judge, pick in plan:
                    j = judge.judged(pick(verdicts), values)
                    if j is None:  # 不符合: not stored; its page judges it again when opened (match_for_firm)
                        continue
                    key = (enterprise_id, version.policy_id)
                    rows.append((enterprise_id, version.policy_id, version.pk, period_of[enterprise_id], j.verdict, j.amount,
                                 j.conditions, j.lacking, j.missing, j.excluded, key in received, told.get(key),
                                 now))  # fmt: skip
            insert_rows(Match, fields, rows)
            if notify_new:
                newly_eligible_notify(enterprise_ids=chunk)
        judged += len(chunk) * len(plan)
    return judged


def _received(enterprise_ids: list[int], period: str) -> set[tuple[int, int]]:
    year = int(period[:4])
    return set(PolicyPayment.objects.filter(enterprise_id__in=enterprise_ids, paid_on__year__gte=year)
               .values_list("enterprise_id", "policy_id"))  # fmt: skip


def newly_eligible_notify(*, enterprise_ids: list[int]) -> int:
    """Tell each firm's accounts, once per policy, of the policies it has come to qualify for (not those it has
    already received this period)."""
    from zhuqi.notifications.services import notify
    from zhuqi.org.models import Role, User

    new = list(Match.objects.filter(enterprise_id__in=enterprise_ids, verdict=MatchVerdict.QUALIFIES,
                                    notified_at__isnull=True, received=False)
               .values_list("pk", "enterprise_id", "policy__title"))  # fmt: skip
    if not new:
        return 0
    people = defaultdict(list)
    for user in User.objects.filter(role=Role.ENTERPRISE_CONTACT, is_active=True,
                                     enterprise_id__in={e for _pk, e, _t in new}):  # fmt: skip
        people[user.enterprise_id].append(user)
    by_firm = defaultdict(list)
    for _pk, enterprise_id, title in new:
        by_firm[enterprise_id].append(title)
    for enterprise_id, titles in by_firm.items():
        notify(people.get(enterprise_id, []), title=_("You qualify for %(count)d new policies") % {"count": len(titles)},
               body="、".join(titles), url=reverse("policy-mine"))  # fmt: skip
    Match.objects.filter(pk__in=[pk for pk, _e, _t in new]).update(notified_at=timezone.now())
    return len(new)


def policy_rematch(policy_id: int) -> int:
    return match_run(policy_ids=[policy_id])


def enterprise_rematch(enterprise_id: int) -> int:
    return match_run(enterprise_ids=[enterprise_id])


def policies_in_force_ids(on: datetime.date) -> list[int]:
    return list(Policy.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)
                .values_list("pk", flat=True))  # fmt: skip
