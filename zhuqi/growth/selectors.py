"""Reads of the growth pipeline: the counted facts other modules read (indicators.counted.growth), each firm's
standing against the 科技型中小企业 and 高新技术企业 criteria with its gaps, the pool board, the recognition funnel,
certificates due for re-examination and annual reports not filed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from zhuqi.core import registry
from zhuqi.core.scopes import _role, enterprises_editable_by, enterprises_visible_to
from zhuqi.indicators.engine import RuleSpec, Verdict
from zhuqi.indicators.selectors import facts_of, rule_book
from zhuqi.org.models import Role

from . import criteria
from .models import FACT_OF_KIND, AnnualReport, Forecast, RecognitionRound, Result, RoundEntry, Stage, StageKind

# -- who may do what ----------------------------------------------------------------------------------------------

STAFF = {Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER}


def can_see_pipeline(user) -> bool:
    return _role(user) in STAFF


def can_see_own_standing(user) -> bool:
    return _role(user) == Role.ENTERPRISE_CONTACT and user.enterprise_id is not None


def can_record_stages(user) -> bool:
    return _role(user) in {Role.ZONE_COORDINATOR, Role.PARK_OFFICER}


def can_record_rounds(user) -> bool:
    return _role(user) == Role.ZONE_COORDINATOR


def stages_visible_to(user) -> QuerySet:
    return Stage.objects.filter(enterprise__in=enterprises_visible_to(user).values("pk"))


def enterprises_for_stages(user) -> QuerySet:
    return enterprises_editable_by(user) if can_record_stages(user) else enterprises_editable_by(None).none()


# -- periods ------------------------------------------------------------------------------------------------------


def period_end(period: str) -> datetime.date:
    """The last day of a period key: 2024, 2024Q1, 2024-03, 2024-03-05."""
    if len(period) == 4:
        return datetime.date(int(period), 12, 31)
    if "Q" in period:
        year, quarter = int(period[:4]), int(period[5])
        month = quarter * 3
    elif len(period) == 7:
        year, month = int(period[:4]), int(period[5:7])
    else:
        return datetime.date.fromisoformat(period)
    first_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


def in_force_q(day: datetime.date) -> Q:
    return (Q(granted_on__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
            & (Q(ended_on__isnull=True) | Q(ended_on__gt=day)))  # fmt: skip


def counted_facts(*, enterprise_ids: list[int], period: str) -> dict[int, dict[str, Any]]:
    """indicators.counted.growth: each stage in force at the period's end, as is_tech_sme, is_high_tech,
    is_specialised, is_gazelle, is_little_giant, in_cultivation_pool (one query)."""
    end = period_end(period)
    found = {i: dict.fromkeys(FACT_OF_KIND.values(), False) for i in enterprise_ids}
    if not enterprise_ids:
        return found
    rows = (Stage.objects.filter(in_force_q(end), enterprise_id__in=enterprise_ids, kind__in=list(FACT_OF_KIND))
            .values_list("enterprise_id", "kind").distinct())  # fmt: skip
    for enterprise_id, kind in rows:
        found[enterprise_id][FACT_OF_KIND[kind]] = True
    return found


# -- standing against the criteria --------------------------------------------------------------------------------

HISTORY_CODES = ["revenue", "rd_expense", "rd_expense_domestic", "total_assets", "liabilities", "founded_year"]


def _k_and(*verdicts: str) -> str:
    if Verdict.FALSE in verdicts:
        return Verdict.FALSE
    return Verdict.TRUE if all(v == Verdict.TRUE for v in verdicts) else Verdict.UNKNOWN


def _k_or(*verdicts: str) -> str:
    if Verdict.TRUE in verdicts:
        return Verdict.TRUE
    return Verdict.FALSE if all(v == Verdict.FALSE for v in verdicts) else Verdict.UNKNOWN


def _growth_points(first, second, third) -> int | None:
    """工作指引's growth rate ½(x2/x1 + x3/x2) − 1 in bands, each item ≤ 10; the low end of each band (an
    estimate: the experts place a firm within the band)."""
    if first is None or second is None or third is None:
        return None
    if first <= 0 or second <= 0:
        return 0
    rate = (float(second) / float(first) + float(third) / float(second)) / 2 - 1
    for floor, points in ((0.35, 9), (0.25, 7), (0.15, 5), (0.05, 3)):
        if rate >= floor:
            return points
    return 1 if rate > 0 else 0


def context_derive(current: dict, before: dict, earliest: dict, *, year: int) -> dict:
    """A firm's rule context for a data year: its facts of that year and the three-year figures the 高企 rules read
    (sums over the years it has existed, at most three; absent when a year's figure is missing)."""
    ctx = dict(current)
    founded = next((y["founded_year"] for y in (ctx, before, earliest) if y.get("founded_year") is not None), None)
    if ctx.get("years_registered") is None and founded is not None:
        ctx["years_registered"] = year - int(founded)
    years = ctx.get("years_registered")
    window = [ctx, before, earliest][: 3 if years is None or years >= 3 else max(int(years), 1)]
    for code, total in (("rd_expense", "rd_expense_3y"), ("revenue", "revenue_3y"),
                        ("rd_expense_domestic", "rd_domestic_3y")):  # fmt: skip
        if total not in ctx:
            parts = [y.get(code) for y in window]
            if all(p is not None for p in parts):
                ctx[total] = sum(int(p) for p in parts)
    if ctx.get("innov_growth_score") is None:

        def net(y):
            a, b = y.get("total_assets"), y.get("liabilities")
            return None if a is None or b is None else a - b

        assets = _growth_points(net(earliest), net(before), net(ctx))
        sales = _growth_points(earliest.get("revenue"), before.get("revenue"), ctx.get("revenue"))
        if assets is not None and sales is not None:
            ctx["innov_growth_score"] = assets + sales
    return ctx


@dataclass
class Condition:
    code: str
    name: str
    verdict: str
    outcome: Any = field(repr=False, default=None)  # the engine's Outcome: its explanation is filled when read
    distance: float | None = None  # how far from holding, as a share of the bar (0.08 = 8% short); None unknown
    need: str = ""

    @property
    def explanation(self) -> str:
        return self.name if self.verdict == Verdict.TRUE or self.outcome is None else self.outcome.explanation

    @property
    def missing(self) -> tuple:
        return tuple(getattr(self.outcome, "missing_labels", ()) or ())


@dataclass
class Standing:
    enterprise_id: int
    year: int
    sme: str
    high_tech: str
    conditions: list[Condition] = field(default_factory=list)  # the 高企 conditions
    sme_conditions: list[Condition] = field(default_factory=list)
    projection: str = Verdict.UNKNOWN  # will the three-year R&D ratio clear the bar next year at this spending?
    facts: dict = field(default_factory=dict)
    # what the texts are filled from, when first read (filling messages was most of the cost of a board)
    sme_book: Any = field(default=None, repr=False)
    ht_book: Any = field(default=None, repr=False)
    projected: dict | None = field(default=None, repr=False)
    projection_outcome: Any = field(default=None, repr=False)

    @cached_property
    def sme_score(self) -> int | None:
        """The 100-point score, by the same CEL expression the score rule reads (None when data are missing)."""
        scored = self.sme_book.fill(_SCORE_SPEC, self.facts, {}) if self.sme_book is not None else ""
        return int(scored) if scored.isdigit() else None

    @cached_property
    def projection_text(self) -> str:
        outcome = self.projection_outcome
        if outcome is None:
            return ""
        if outcome.verdict != Verdict.TRUE:
            return outcome.explanation
        return self.ht_book.fill(_PROJECTION_SPEC, self.projected, {})

    @property
    def gaps(self) -> list[Condition]:
        """The 高企 conditions not met, nearest to reach first; those that cannot be decided last."""
        open_ = [c for c in self.conditions if c.verdict != Verdict.TRUE]
        return sorted(open_, key=lambda c: (c.distance is None, c.distance if c.distance is not None else 0))

    @property
    def met(self) -> int:
        return sum(1 for c in self.conditions if c.verdict == Verdict.TRUE)

    @property
    def nearest(self) -> float | None:
        gaps = [c.distance for c in self.gaps if c.distance is not None]
        return min(gaps) if gaps else None


def _share(part, whole) -> float | None:
    if part is None or whole in (None, 0):
        return None
    return float(part) / float(whole)


def _short(have: float | None, bar: float) -> float | None:
    return None if have is None else max(0.0, (bar - have) / bar)


def _need_of(code: str, ctx: dict) -> tuple[float | None, str]:
    """How far a condition is from holding and what it would take, in the firm's own numbers."""
    if code in ("tech_staff", "tech_item"):
        staff, tech = ctx.get("staff"), ctx.get("tech_staff")
        if staff is None or tech is None:
            return None, ""
        more = max(0, -(-staff * 10 // 100) - tech)
        return _short(_share(tech, staff), 0.10), f"需增加科技人员 {more} 人" if more else ""
    if code == "rd_ratio":
        rev, rd3, rev3 = ctx.get("revenue"), ctx.get("rd_expense_3y"), ctx.get("revenue_3y")
        if rev is None or rd3 is None or not rev3:
            return None, ""
        bar = 0.05 if rev <= 50_000_000 else 0.04 if rev <= 200_000_000 else 0.03
        more = max(0, int(rev3 * bar) - int(rd3))
        return _short(_share(rd3, rev3), bar), f"三年研发投入需再增加 {more / 10000:.1f} 万元" if more else ""
    if code == "rd_domestic":
        return _short(_share(ctx.get("rd_domestic_3y"), ctx.get("rd_expense_3y")), 0.6), ""
    if code == "high_tech_revenue":
        return _short(_share(ctx.get("high_tech_product_revenue"), ctx.get("revenue")), 0.6), ""
    if code == "innovation":
        parts = [ctx.get(c) for c in ("innov_ip_score", "innov_transfer_score", "innov_mgmt_score",
                                      "innov_growth_score")]  # fmt: skip
        if any(p is None for p in parts):
            return None, ""
        total = sum(parts)
        return _short(float(total), 71.0), f"需再提高 {max(0, 71 - total)} 分"
    if code == "registered":
        years = ctx.get("years_registered")
        return (None if years is None else 1.0), ""
    if code in ("size_staff", "size_revenue", "size_assets"):
        value, limit = {"size_staff": (ctx.get("staff"), 500), "size_revenue": (ctx.get("revenue"), 200_000_000),
                        "size_assets": (ctx.get("total_assets"), 200_000_000)}[code]  # fmt: skip
        return (None if value is None else max(0.0, (float(value) - limit) / limit)), ""
    return 1.0, ""  # a yes-or-no condition: a whole step away


def _conditions(evaluation, ctx) -> list[Condition]:
    found = []
    for outcome in evaluation.outcomes:
        code = criteria.condition_of(outcome.rule.code)
        if outcome.verdict == Verdict.TRUE:
            distance, need = 0.0, ""
        elif outcome.verdict == Verdict.UNKNOWN:
            distance, need = None, ""
        else:
            distance, need = _need_of(code, ctx)
        found.append(Condition(code, outcome.rule.name, outcome.verdict, outcome, distance, need))
    return found


_SCORE_SPEC = RuleSpec(code="score", expression="true", message="{score}", values=(("score", criteria.SME_SCORE),))
_PROJECTION_SPEC = RuleSpec(code="projection", expression="true",
                            message="按今年研发投入测算，明年申报时近三年研发费用占比 {ratio}%，达到 {need}% 的要求",
                            values=(("ratio", criteria.RD_RATIO), ("need", criteria.RD_NEED)))  # fmt: skip


def evaluate_contexts(contexts: dict[int, dict], *, year: int, on: datetime.date | None = None,
                      projections: dict[int, dict] | None = None) -> dict[int, Standing]:  # fmt: skip
    """Both rule sets over prepared contexts (the part the benchmark's floor measures is book.evaluate)."""
    on = on or datetime.date(year + 1, 1, 1)
    sme_book = rule_book(ruleset=criteria.SME_SET, on=on)
    ht_book = rule_book(ruleset=criteria.HIGH_TECH_SET, on=on)
    rd_ratio_at = next((i for i, r in enumerate(ht_book.rules) if criteria.condition_of(r.spec.code) == "rd_ratio"),
                       None)  # fmt: skip
    result = {}
    for enterprise_id, ctx in contexts.items():
        sme_eval, ht_eval = sme_book.evaluate(ctx), ht_book.evaluate(ctx)
        sme = {criteria.condition_of(o.rule.code): o.verdict for o in sme_eval.outcomes}
        sme_verdict = _k_and(*(sme.get(c, Verdict.TRUE) for c in ("size_staff", "size_revenue", "size_assets",
                                                                   "no_breach")),
                             _k_or(sme.get("direct", Verdict.FALSE),
                                   _k_and(sme.get("tech_item", Verdict.UNKNOWN), sme.get("score", Verdict.UNKNOWN))))  # fmt: skip
        conditions = _conditions(ht_eval, ctx)
        standing = Standing(enterprise_id, year, sme_verdict, _k_and(*(c.verdict for c in conditions)), conditions,
                            _conditions(sme_eval, ctx), facts=ctx, sme_book=sme_book, ht_book=ht_book)  # fmt: skip
        projected = (projections or {}).get(enterprise_id)
        if projected is not None and rd_ratio_at is not None:
            outcome = ht_book.evaluate(projected).outcomes[rd_ratio_at]
            standing.projection, standing.projection_outcome, standing.projected = outcome.verdict, outcome, projected
        result[enterprise_id] = standing
    return result


def contexts_build(*, enterprise_ids: list[int], year: int) -> tuple[dict[int, dict], dict[int, dict]]:
    """Each firm's context for the data year (three years of statistics, through facts_of) and its projection
    for next year's recognition: next year's window (this year and the one before, this year's spending again)."""
    now = facts_of(enterprises=enterprise_ids, period=str(year))
    before = facts_of(enterprises=enterprise_ids, period=str(year - 1), codes=HISTORY_CODES)
    earliest = facts_of(enterprises=enterprise_ids, period=str(year - 2), codes=HISTORY_CODES)
    contexts, projections = {}, {}
    for i in enterprise_ids:
        current, b, e = now.get(i, {}), before.get(i, {}), earliest.get(i, {})
        contexts[i] = context_derive(current, b, e, year=year)
        nxt = {k: v for k, v in contexts[i].items() if k not in ("rd_expense_3y", "revenue_3y", "rd_domestic_3y")}
        if nxt.get("years_registered") is not None:
            nxt["years_registered"] = int(nxt["years_registered"]) + 1
        projections[i] = context_derive(nxt, current, b, year=year + 1)
    return contexts, projections


def standings(*, enterprise_ids: Iterable[int], year: int, on: datetime.date | None = None) -> dict[int, Standing]:
    ids = list(enterprise_ids)
    contexts, projections = contexts_build(enterprise_ids=ids, year=year)
    return evaluate_contexts(contexts, year=year, on=on, projections=projections)


def data_year(today: datetime.date) -> int:
    """The statistics year the criteria read: last year's (the torch return of a year is filed in the next)."""
    return today.year - 1


# -- the pool board -----------------------------------------------------------------------------------------------

SORTS = {
    "name": lambda row: row["enterprise"].name_initials or row["enterprise"].name,
    "met": lambda row: -row["standing"].met,
    "nearest": lambda row: (row["standing"].nearest is None, row["standing"].nearest or 0),
    "score": lambda row: -(row["standing"].sme_score or -1),
    "park": lambda row: row["enterprise"].park.name if row["enterprise"].park_id else "",
}


def pool_board(*, user, year: int, sort: str = "nearest", scope: str = "pool") -> list[dict]:
    """The firms of the 后备培育库 (scope "pool") or every visible firm with statistics ("all"), each with its
    standing and gaps, sorted."""
    firms = enterprises_visible_to(user).select_related("park")
    end = datetime.date(year + 1, 12, 31)
    if scope == "pool":
        firms = firms.filter(pk__in=Stage.objects.filter(in_force_q(min(end, timezone.localdate())),
                                                         kind=StageKind.POOL).values("enterprise_id"))  # fmt: skip
    firms = list(firms.order_by("name")[:500])
    found = standings(enterprise_ids=[f.pk for f in firms], year=year)
    rows = [{"enterprise": f, "standing": found[f.pk]} for f in firms]
    rows.sort(key=SORTS.get(sort, SORTS["nearest"]))
    return rows


def standing_of(*, enterprise, year: int) -> Standing:
    return standings(enterprise_ids=[enterprise.pk], year=year)[enterprise.pk]


# -- stages, certificates, reminders ------------------------------------------------------------------------------


def stages_of(*, enterprise) -> QuerySet:
    return Stage.objects.filter(enterprise=enterprise).prefetch_related("events__actor").order_by("-granted_on")


def stage_counts(*, user, on: datetime.date) -> dict[str, int]:
    rows = (stages_visible_to(user).filter(in_force_q(on)).values("kind")
            .annotate(n=Count("enterprise", distinct=True)))  # fmt: skip
    counts = dict.fromkeys(StageKind.values, 0)
    counts.update({r["kind"]: r["n"] for r in rows})
    return counts


def certificates_expiring(*, today: datetime.date, within_days: int = 90, user=None) -> QuerySet:
    """Certificates in force whose validity ends within the window and that no newer one of the same kind
    replaces: to be re-examined this year."""
    qs = Stage.objects.filter(valid_until__gte=today, valid_until__lte=today + datetime.timedelta(days=within_days),
                              ended_on__isnull=True)  # fmt: skip
    if user is not None:
        qs = qs.filter(enterprise__in=enterprises_visible_to(user).values("pk"))
    newer = Stage.objects.filter(
        enterprise=OuterRef("enterprise"), kind=OuterRef("kind"), granted_on__gt=OuterRef("granted_on")
    )
    return qs.exclude(Exists(newer)).select_related("enterprise")


def annual_reports_missing(*, year: int, user=None) -> QuerySet:
    """高新技术企业 in force at the end of `year` whose annual report on it (due 31 May of the next) is not filed."""
    firms = Stage.objects.filter(in_force_q(datetime.date(year, 12, 31)), kind=StageKind.HIGH_TECH)
    if user is not None:
        firms = firms.filter(enterprise__in=enterprises_visible_to(user).values("pk"))
    filed = AnnualReport.objects.filter(year=year).values("enterprise_id")
    from zhuqi.enterprises.models import Enterprise

    return Enterprise.objects.filter(pk__in=firms.values("enterprise_id")).exclude(pk__in=filed).order_by("name")


# -- recognition rounds -------------------------------------------------------------------------------------------


def funnel(*, user) -> list[dict]:
    """Per year: the pool at the start of the year, the pool's forecast, applications, recognitions (new and
    re-examined), refusals; one GROUP BY over the applications."""
    visible = enterprises_visible_to(user).values("pk")
    rows = (RoundEntry.objects.filter(enterprise__in=visible).values("round__year").annotate(
        applied=Count("pk"),
        passed=Count("pk", filter=Q(result=Result.PASSED)),
        failed=Count("pk", filter=Q(result=Result.FAILED)),
        passed_new=Count("pk", filter=Q(result=Result.PASSED, re_exam=False)),
        passed_re=Count("pk", filter=Q(result=Result.PASSED, re_exam=True)),
        from_pool=Count("pk", filter=Q(from_pool=True)),
        forecast_ok=Count("pk", filter=Q(forecast=Forecast.ELIGIBLE)),
        forecast_right=Count("pk", filter=Q(forecast=Forecast.ELIGIBLE, result=Result.PASSED)
                             | Q(forecast=Forecast.SHORT, result=Result.FAILED)),
        decided=Count("pk", filter=Q(forecast__in=[Forecast.ELIGIBLE, Forecast.SHORT])
                      & Q(result__in=[Result.PASSED, Result.FAILED])),
    ).order_by("-round__year"))  # fmt: skip
    years = []
    for row in rows:
        year = row["round__year"]
        pool = (Stage.objects.filter(in_force_q(datetime.date(year, 1, 1)), kind=StageKind.POOL,
                                     enterprise__in=visible).values("enterprise").distinct().count())  # fmt: skip
        high_tech = (Stage.objects.filter(in_force_q(datetime.date(year, 12, 31)), kind=StageKind.HIGH_TECH,
                                          enterprise__in=visible).values("enterprise").distinct().count())  # fmt: skip
        years.append({"year": year, "pool": pool, "high_tech_end": high_tech, **row})
    return years


def round_entries(*, user, year: int) -> QuerySet:
    return (RoundEntry.objects.filter(round__year=year, enterprise__in=enterprises_visible_to(user).values("pk"))
            .select_related("enterprise").order_by("result", "enterprise__name"))  # fmt: skip


def round_get(*, year: int) -> RecognitionRound | None:
    return RecognitionRound.objects.filter(year=year).first()


def stage_counts_of(*, enterprise, on: datetime.date) -> list:
    """The stages a firm holds on a day (their display names), for its card."""
    return list(Stage.objects.filter(in_force_q(on), enterprise=enterprise).order_by("kind"))


# the stages a firm climbs, each with the counted fact and the beneficiary tag policies name it by; the 瞪羚 and
# the 后备培育库 are beside the ladder, and 创新引领型 has no policy tag of its own yet
LADDER = [
    (StageKind.TECH_SME, "is_tech_sme", "科技型中小企业"),
    (StageKind.HIGH_TECH, "is_high_tech", "高新技术企业"),
    (StageKind.SPECIALISED, "is_specialised", "专精特新"),
    (StageKind.LITTLE_GIANT, "is_little_giant", "小巨人"),
]


def next_stage(held: Iterable[str]) -> tuple[str, str, str] | None:
    """The rung after the highest the firm holds (the first when it holds none); None at the top."""
    kinds = [kind for kind, _fact, _tag in LADDER]
    reached = [kinds.index(k) for k in held if k in kinds]
    at = max(reached) + 1 if reached else 0
    return LADDER[at] if at < len(LADDER) else None


def next_stage_policies(*, held: Iterable[str], on: datetime.date) -> dict | None:
    """The firm's next stage and the policies it would open, asked of the policies module through the registry
    (`policies.for_stage`); none when that module is not installed."""
    found = next_stage(held)
    if found is None:
        return None
    kind, fact, tag = found
    ask = registry.selectors().get("policies.for_stage")
    return {
        "kind": kind,
        "label": str(StageKind(kind).label),
        "policies": ask(fact=fact, tag=tag, on=on) if ask else [],
    }


def enterprise_for_growth(*, user, pk: int):
    """A firm the user may see (404 otherwise, as everywhere)."""
    return enterprises_visible_to(user).select_related("park").get(pk=pk)


def cockpit_pipeline(*, year: int, on: datetime.date | None = None) -> dict:
    """Registered as `cockpit.growth`: the zone's 梯度培育 for the leaders' cockpit — per stage, the firms holding it on
    `on` (as the pool board counts them for the zone office) and those that reached it in `year`; one GROUP BY."""
    on = on or timezone.localdate()
    rows = (Stage.objects.filter(enterprise__deleted_at__isnull=True).values("kind")
            .annotate(firms=Count("enterprise", distinct=True, filter=in_force_q(on)),
                      new=Count("enterprise", distinct=True, filter=Q(granted_on__year=year)))
            .order_by())  # fmt: skip
    found = {r["kind"]: r for r in rows}
    return {
        "year": year,
        "stages": [
            {
                "kind": kind,
                "label": label,
                "firms": found.get(kind, {}).get("firms", 0),
                "new": found.get(kind, {}).get("new", 0),
            }
            for kind, label in StageKind.choices
        ],  # fmt: skip
    }
