"""Reads of the evaluations, each starting from the user's scope: the zone office and the departments see every
park's lists, a park officer its own park's, a firm the published list of its park and its own sheet only.
Facts come through indicators.facts_of (a few queries for all firms); the zone's totals are summed in SQL."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Count, F, FloatField, Func, Max, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from zhuqi.core import scopes
from zhuqi.core.roles import Role
from zhuqi.enterprises.models import Enterprise
from zhuqi.indicators.engine import IndicatorInfo, RuleBook, RuleSpec
from zhuqi.indicators.models import Indicator, IndicatorValue, Obtained, ValueKind
from zhuqi.indicators.selectors import counted_codes, facts_of, indicator_infos

from .models import (
    IndexIndicator,
    IndexSystem,
    Item,
    Method,
    MethodStatus,
    Objection,
    Run,
    RunStatus,
    Score,
    ScoreChange,
    ZoneFigure,
)  # fmt: skip
from .scoring import ExclusionSpec, FirmScore, ItemSpec, Scorer, as_decimal, quantize

STAFF = (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER, Role.PARK_OFFICER)
PUBLISHED = (RunStatus.OBJECTIONS, RunStatus.FINAL)


def _role(user):
    return getattr(user, "role", None) if user is not None and user.is_authenticated and user.is_active else None


def can_use_evaluations(user) -> bool:
    return _role(user) in (*STAFF, Role.ENTERPRISE_CONTACT)


def can_manage_runs(user, park) -> bool:
    role = _role(user)
    return role == Role.ZONE_COORDINATOR or (role == Role.PARK_OFFICER and park is not None
                                             and user.park_id == getattr(park, "pk", park))  # fmt: skip


def parks_managed_by(user) -> QuerySet:
    """The parks whose evaluation a user runs: every park for the zone office, a park officer's own."""
    from zhuqi.org.models import Park

    role = _role(user)
    if role == Role.ZONE_COORDINATOR:
        return Park.objects.order_by("name")
    if role == Role.PARK_OFFICER and user.park_id:
        return Park.objects.filter(pk=user.park_id)
    return Park.objects.none()


def can_create_methods(user) -> bool:
    return parks_managed_by(user).exists()


def can_object(user) -> bool:
    return _role(user) == Role.ENTERPRISE_CONTACT and user.enterprise_id is not None


def can_see_index(user) -> bool:
    return _role(user) in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER)


def can_enter_zone_figures(user) -> bool:
    return _role(user) == Role.ZONE_COORDINATOR


# the zone-level figures no firm reports, entered by the zone office for the national index
HAND_FIGURES = {
    "city_gdp": _("GDP of the city (yuan)"),
    "land_km2": _("Area of the zone (km²)"),
    "zone_energy_tce": _("Energy used in the zone (tonnes of standard coal)"),
    "high_tech_firms": _("High-tech firms in the zone"),
    "reported_rank": _("Rank published by the torch centre"),
}


def zone_figure_codes(year: int) -> list[tuple[str, str]]:
    """The figures the zone office may enter for a year: the hand figures, then any torch total the index reads
    (a year before the platform), each with its name."""
    system = index_system(year)
    codes = sorted(index_codes(system)) if system else []
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
    return [*HAND_FIGURES.items(), *((c, f"{names.get(c, c)}（{c}）") for c in codes if c not in HAND_FIGURES)]


def zone_figures() -> QuerySet:
    return ZoneFigure.objects.select_related("entered_by").order_by("-year", "code")


# -- scopes --------------------------------------------------------------------------------------------------------


def runs_visible_to(user) -> QuerySet:
    role = _role(user)
    qs = Run.objects.select_related("park", "method")
    if role in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER):
        return qs
    if role == Role.PARK_OFFICER and user.park_id:
        return qs.filter(park_id=user.park_id)
    if role == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        return qs.filter(status__in=PUBLISHED, scores__enterprise_id=user.enterprise_id)
    return qs.none()


def scores_visible_to(user) -> QuerySet:
    """The sheets a user may open: staff those of the firms in their scope, a firm its own (once published)."""
    role = _role(user)
    qs = Score.objects.select_related("run__park", "run__method", "enterprise")
    if role == Role.ENTERPRISE_CONTACT:
        return qs.filter(enterprise_id=user.enterprise_id, run__status__in=PUBLISHED)
    if role in STAFF:
        return qs.filter(run__in=runs_visible_to(user), enterprise__in=scopes.enterprises_visible_to(user).values("pk"))
    return qs.none()


def run_get_for_user(user, pk) -> Run:
    run = runs_visible_to(user).filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def score_get_for_user(user, pk) -> Score:
    score = scores_visible_to(user).filter(pk=pk).first()
    if score is None:
        raise Http404
    return score


def methods_visible_to(user) -> QuerySet:
    role = _role(user)
    qs = Method.objects.select_related("park").annotate(n_items=Count("items"))
    if role in (Role.ZONE_COORDINATOR, Role.DEPARTMENT_HANDLER):
        return qs
    if role == Role.PARK_OFFICER:
        return qs.filter(park_id=user.park_id)
    if role == Role.ENTERPRISE_CONTACT and user.enterprise_id:
        return qs.filter(status=MethodStatus.PUBLISHED, park__enterprises=user.enterprise_id)
    return qs.none()


# -- scoring -------------------------------------------------------------------------------------------------------


def item_spec(item: Item) -> ItemSpec:
    return ItemSpec(code=item.code, name=item.name, expression=item.expression, weight=item.weight,
                    scoring=item.scoring, params=item.params, unit=item.unit)  # fmt: skip


def scorer_for(method: Method) -> Scorer:
    from zhuqi.indicators.engine import names_in

    items = [item_spec(i) for i in method.items.all()]
    exclusions = [ExclusionSpec(e["code"], e["label"], e["expression"]) for e in method.exclusions]
    codes = {name[1] for x in [*items, *exclusions] for name, _s, _e in names_in(x.expression)}
    return Scorer(items, exclusions, method.grades, indicator_infos(codes))


def scorer_of_spec(spec: dict) -> Scorer:
    """A method given as data compiled, as scorer_for compiles a stored one (RuleProblem names what is wrong)."""
    from zhuqi.indicators.engine import names_in

    items = [ItemSpec(code=i["code"], name=i["name"], expression=i["expression"], weight=as_decimal(i["weight"]),
                      scoring=i["scoring"], params=i.get("params", {}), unit=i.get("unit", ""))
             for i in spec["items"]]  # fmt: skip
    exclusions = [ExclusionSpec(e["code"], e["label"], e["expression"]) for e in spec.get("exclusions", [])]
    codes = {name[1] for x in [*items, *exclusions] for name, _s, _e in names_in(x.expression)}
    return Scorer(items, exclusions, spec["method"]["grades"], indicator_infos(codes))


def method_spec_of(method: Method) -> dict:
    """A stored method as data, in the shape of an import (data/*.toml): for a new version and for its form."""
    return {
        "method": {"code": method.code, "name": method.name, "document": method.document,
                   "valid_from": method.valid_from, "valid_to": method.valid_to, "grades": list(method.grades)},
        "exclusions": [dict(e) for e in method.exclusions],
        "items": [{"code": i.code, "name": i.name, "expression": i.expression, "unit": i.unit, "weight": i.weight,
                   "scoring": i.scoring, "params": dict(i.params)} for i in method.items.all()],
        "worked": [{"label": w.label, "facts": dict(w.facts), "points": dict(w.points), "total": w.total,
                    "grade": w.grade, "excluded": w.excluded} for w in method.worked.all()],
    }  # fmt: skip


def method_get_for_user(user, pk) -> Method:
    method = methods_visible_to(user).filter(pk=pk).first()
    if method is None:
        raise Http404
    return method


def method_draft_of(method: Method) -> Method | None:
    """The version of the same method being drafted, if any (only one at a time)."""
    return Method.objects.filter(code=method.code, status=MethodStatus.DRAFT).exclude(pk=method.pk).first()


def runs_of_method(method: Method) -> QuerySet:
    return Run.objects.filter(method=method).order_by("-year")


def firms_of_run(run: Run) -> QuerySet:
    return Enterprise.objects.filter(park=run.park).order_by("pk")


class _Whole(Func):
    """A number's whole part toward zero, as int() cuts it (an amount enters CEL as whole 元)."""

    template = "CAST(TRUNC(%(expressions)s) AS bigint)"
    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS INTEGER)", **extra)


_INTO = {ValueKind.AMOUNT: int, ValueKind.INTEGER: int, ValueKind.DECIMAL: float, ValueKind.BOOLEAN: bool,
         ValueKind.TEXT: str}  # fmt: skip


def fact_rows(*, scorer: Scorer, enterprises, year: int) -> dict[int, list]:
    """Each firm's facts laid out in the method's slots as CEL types (None where there is none): the recorded values
    of the codes the method reads, pivoted in one GROUP BY and cast by the database, then the codes the modules count
    through facts_of (only when the method reads one: the modules are not asked otherwise)."""
    book = scorer.book
    ids = list(enterprises.values_list("pk", flat=True)) if isinstance(enterprises, QuerySet) else list(enterprises)
    width = len(book.layout)
    rows = {eid: [None] * width for eid in ids}
    if not width or not ids:
        return rows
    periods = {False: str(year), True: str(year - 1)}
    declared = dict(Indicator.objects.filter(code__in=scorer.reads).values_list("code", "pk"))
    # a code a module counts (is_high_tech: growth's certificates over what the firm reported) comes through facts_of
    counted = counted_codes()
    counted = set(scorer.reads) if counted is None else counted
    kinds = [book.indicators[code].kind for _last, code in book.layout]
    columns = {}
    for n, ((last, code), kind) in enumerate(zip(book.layout, kinds, strict=True)):
        if code in counted or code not in declared:
            continue
        where = Q(indicator_id=declared[code], period=periods[last])
        if kind == ValueKind.TEXT:
            columns[f"s{n}"] = Max("text", filter=where)
        elif kind == ValueKind.DECIMAL:
            columns[f"s{n}"] = Cast(Max("number", filter=where), FloatField())
        else:
            columns[f"s{n}"] = _Whole(Max("number", filter=where))
    if columns:
        firms = enterprises.values("pk") if isinstance(enterprises, QuerySet) else ids
        stored = (IndicatorValue.objects.filter(is_current=True, enterprise__in=firms,
                                                period__in={periods[last] for last, _c in book.layout},
                                                indicator_id__in=set(declared.values()))
                  .order_by().values("enterprise_id").annotate(**columns).values_list("enterprise_id", *columns))  # fmt: skip
        slots = [int(name[1:]) for name in columns]
        if len(slots) == width:
            rows.update((found[0], list(found[1:])) for found in stored)
        else:
            for found in stored:
                row = rows[found[0]]
                for slot, value in zip(slots, found[1:], strict=True):
                    row[slot] = value
        loose = [n for n in slots if kinds[n] in (ValueKind.BOOLEAN, ValueKind.TEXT)]
        if loose:
            for row in rows.values():
                for n in loose:
                    value = row[n]
                    if value is not None:
                        row[n] = bool(value) if kinds[n] == ValueKind.BOOLEAN else (value or None)
    for last in (False, True):
        wanted = {
            code for is_last, code in book.layout if is_last == last and (code in counted or code not in declared)
        }
        if not wanted:
            continue
        for eid, facts in facts_of(enterprises=ids, period=periods[last], codes=wanted).items():
            row = rows.get(eid)
            if row is None:
                continue
            for n, (is_last, code) in enumerate(book.layout):
                value = facts.get(code) if is_last == last else None
                if value is not None and not (value.__class__ is str and not value):
                    row[n] = _INTO[kinds[n]](value)
    return rows


def scores_compute(*, method: Method, enterprises, year: int) -> dict[int, FirmScore]:
    """Each firm's score from its facts of the year: the facts in a few queries for all firms (a queryset of them,
    or their ids), the method compiled once."""
    scorer = scorer_for(method)
    score = scorer.score_row
    return {eid: score(row) for eid, row in fact_rows(scorer=scorer, enterprises=enterprises, year=year).items()}


def item_sources(method: Method) -> dict[str, str]:
    """Where each item's value comes from: the indicators it reads and how they are obtained."""
    from zhuqi.indicators.engine import names_in
    from zhuqi.indicators.models import Indicator

    items = list(method.items.all())
    codes = {name[1] for i in items for name, _s, _e in names_in(i.expression)}
    known = {c: (n, o) for c, n, o in Indicator.objects.filter(code__in=codes).values_list("code", "name", "obtained")}
    how = {Obtained.REPORTED: "企业填报", Obtained.COMPUTED: "计算", Obtained.COUNTED: "平台记录"}
    sources = {}
    for item in items:
        read = dict.fromkeys(name[1] for name, _s, _e in names_in(item.expression))
        sources[item.code] = "、".join(
            f"{known[c][0]}（{how.get(known[c][1], '')}）" if c in known else c for c in read
        )
    return sources


def score_lines(score: Score) -> list[dict]:
    """A sheet's lines: each item's name, value, points out of its weight, and source."""
    items = list(score.run.method.items.all())
    sources = item_sources(score.run.method)
    values, points = score.items.get("v", []), score.items.get("p", [])
    lines = []
    for n, item in enumerate(items):
        value = values[n] if n < len(values) else None
        lines.append({
            "code": item.code, "name": item.name, "unit": item.unit, "weight": item.weight,
            "scoring": item.get_scoring_display(), "is_deduction": item.scoring == "deduction",
            "value": value, "missing": value is None, "points": quantize(Decimal(str(points[n]))) if n < len(points)
            else Decimal(0), "source": sources.get(item.code, ""),
        })  # fmt: skip
    return lines


def score_now(score: Score) -> FirmScore:
    """What the firm would score on today's data: shown beside a frozen list, never applied to it."""
    return scores_compute(method=score.run.method, enterprises=[score.enterprise_id], year=score.run.year)[
        score.enterprise_id
    ]


def run_list(run: Run) -> QuerySet:
    return run.scores.select_related("enterprise").order_by(F("rank").asc(nulls_last=True), "excluded",
                                                            "enterprise__name")  # fmt: skip


def run_figures(run: Run) -> dict:
    counts = dict(run.scores.exclude(grade="").values_list("grade").annotate(n=Count("pk")))
    excluded = run.scores.exclude(excluded="").count()
    grades = [band["grade"] for band in run.method.grades]
    return {"grades": [(g, counts.get(g, 0)) for g in grades], "excluded": excluded,
            "scored": sum(counts.values()), "objections": run.objections.count(),
            "pending": run.objections.filter(status="pending").count()}  # fmt: skip


def previous_grades(run: Run) -> dict[int, str]:
    prev = Run.objects.filter(park=run.park, year=run.year - 1, status=RunStatus.FINAL).first()
    if prev is None:
        return {}
    return dict(prev.scores.exclude(grade="").values_list("enterprise_id", "grade"))


def movement(grade: str, before: str | None) -> str:
    """'up', 'down', 'same' or 'new' against last year's final grade (A is best)."""
    if not grade:
        return ""
    if not before:
        return "new"
    return "same" if grade == before else ("up" if grade < before else "down")


def objections_of(run: Run) -> QuerySet:
    return Objection.objects.filter(run=run).select_related("enterprise", "filed_by", "decided_by")


def changes_of(run: Run, enterprise_id: int | None = None) -> QuerySet:
    qs = ScoreChange.objects.filter(run=run).select_related("by", "enterprise")
    return qs.filter(enterprise_id=enterprise_id) if enterprise_id else qs


# -- for other modules ---------------------------------------------------------------------------------------------


def counted_grades(*, enterprise_ids: list[int], period: str) -> dict[int, dict[str, Any]]:
    """indicators.counted.evaluations: each firm's published (final) grade of the period's year, in one query."""
    try:
        year = int(str(period)[:4])
    except ValueError:
        return {}
    rows = Score.objects.filter(run__status=RunStatus.FINAL, run__year=year, enterprise_id__in=enterprise_ids
                                ).exclude(grade="").values_list("enterprise_id", "grade")  # fmt: skip
    return {eid: {"evaluation_grade": grade} for eid, grade in rows}


def brief_sentences(*, year: int, park_id: int | None = None) -> list[str]:
    """Sentences for the assessment's briefs: each park's evaluation of the year and the zone's index."""
    sentences = []
    runs = Run.objects.filter(year=year, status__in=PUBLISHED).select_related("park", "method")
    if park_id:
        runs = runs.filter(park_id=park_id)
    for run in runs:
        f = run_figures(run)
        grades = "、".join(f"{g} 级 {n} 家" for g, n in f["grades"])
        prev = previous_grades(run)
        moves = [
            movement(g, prev.get(e)) for e, g in run.scores.exclude(grade="").values_list("enterprise_id", "grade")
        ]
        state = "最终结果" if run.status == RunStatus.FINAL else "公示名单"
        text = f"{run.park.name}{run.year} 年度企业绩效综合评价{state}：参评 {f['scored']} 家，{grades}"
        if f["excluded"]:
            text += f"，不参评 {f['excluded']} 家"
        if prev:
            text += f"；较上年升级 {moves.count('up')} 家、降级 {moves.count('down')} 家"
        if f["objections"]:
            text += f"；收到异议 {f['objections']} 件"
        sentences.append(text + "。")
    index = index_of_year(year)
    if index is not None:
        worst = sorted(index["indicators"], key=lambda i: -i["lost"])[:2]
        sentences.append(
            f"国家高新区综合评价：{year} 年指数测算 {index['total']} 分，估算全国第 {index['rank']} 位；"
            + "失分最多的是"
            + "、".join(f"{w['name']}（失 {w['lost']} 分）" for w in worst)
            + "。"
        )
    return sentences


# -- the national high-tech zone index -----------------------------------------------------------------------------


def index_system(year: int) -> IndexSystem | None:
    import datetime

    day = datetime.date(year, 12, 31)
    return (IndexSystem.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
            .order_by("-valid_from").first())  # fmt: skip


def zone_totals(*, year: int, codes: set[str]) -> tuple[dict[str, Decimal], dict[str, str]]:
    """The zone's totals of the year: torch values of all firms summed in SQL, overlaid by hand-entered figures.
    Returns (totals, where each came from)."""
    totals, sources = {}, {}
    rows = (IndicatorValue.objects.filter(is_current=True, period=str(year), indicator__code__in=codes,
                                          enterprise__deleted_at__isnull=True)
            .values_list("indicator__code").annotate(total=Sum("number")))  # fmt: skip
    for code, total in rows:
        if total is not None:
            totals[code], sources[code] = total, "火炬统计汇总"
    for code, value, source in ZoneFigure.objects.filter(year=year, code__in=codes).values_list(
        "code", "value", "source"
    ):
        totals[code], sources[code] = value, source
    return totals, sources


def _book(indicators: list[IndexIndicator]) -> RuleBook:
    from zhuqi.indicators.engine import names_in

    codes = {name[1] for i in indicators for name, _s, _e in names_in(i.expression)}
    infos = {c: IndicatorInfo(c, c, "decimal") for c in codes}
    return RuleBook([RuleSpec(code=i.code, expression=i.expression, message="") for i in indicators], infos)


def index_compute(*, system: IndexSystem, totals: dict[str, Decimal]) -> dict:
    """The index over a set of totals: each indicator's value, points against the target rank's value and points
    lost; each group's points; the total and an estimated rank."""
    indicators = list(system.indicators.all())
    book = _book(indicators)
    row, missing = book.row({k: float(v) for k, v in totals.items()})
    lines, groups = [], {}
    for n, ind in enumerate(indicators):
        value = None
        if not (book.rules[n].slots & missing):
            try:
                value = book.rules[n].program.execute({"x": row})
            except (RuntimeError, TypeError, ValueError, ArithmeticError):
                value = None
        weight = Decimal(ind.weight)
        if value is None:
            share = Decimal(0)
        else:
            v, bench = as_decimal(value), Decimal(ind.benchmark)
            if ind.lower_is_better:
                share = Decimal(1) if v <= 0 else min(Decimal(1), bench / v)
            else:
                share = Decimal(0) if bench <= 0 else min(Decimal(1), max(Decimal(0), v / bench))
        points = quantize(weight * share)
        line = {"code": ind.code, "name": ind.name, "group": ind.group, "unit": ind.unit, "weight": weight,
                "benchmark": ind.benchmark, "value": None if value is None else quantize(as_decimal(value)),
                "points": points, "lost": quantize(weight - points), "contributor": ind.contributor}  # fmt: skip
        lines.append(line)
        g = groups.setdefault(ind.group, {"name": ind.group, "weight": Decimal(0), "points": Decimal(0)})
        g["weight"] += weight
        g["points"] += points
    total = quantize(sum((line["points"] for line in lines), Decimal(0)))
    return {"system": system, "indicators": lines, "groups": list(groups.values()), "total": total,
            "rank": rank_estimate(system, total)}  # fmt: skip


def rank_estimate(system: IndexSystem, total: Decimal) -> int | None:
    anchors = sorted((as_decimal(s), int(r)) for s, r in system.rank_anchors)
    if not anchors:
        return None
    if total <= anchors[0][0]:
        return anchors[0][1]
    if total >= anchors[-1][0]:
        return anchors[-1][1]
    for (s0, r0), (s1, r1) in zip(anchors, anchors[1:], strict=False):
        if s0 <= total <= s1:
            return round(r0 + (r1 - r0) * float((total - s0) / (s1 - s0)))
    return None


def index_codes(system: IndexSystem) -> set[str]:
    from zhuqi.indicators.engine import names_in

    return {name[1] for i in system.indicators.all() for name, _s, _e in names_in(i.expression)}


def index_of_year(year: int) -> dict | None:
    system = index_system(year)
    if system is None:
        return None
    totals, sources = zone_totals(year=year, codes=index_codes(system))
    if not totals:
        return None
    result = index_compute(system=system, totals=totals)
    result.update(year=year, totals=totals, sources=sources,
                  reported_rank=ZoneFigure.objects.filter(year=year, code="reported_rank")
                  .values_list("value", flat=True).first())  # fmt: skip
    return result


def index_years() -> list[int]:
    return sorted(set(ZoneFigure.objects.values_list("year", flat=True)))


def index_history() -> list[dict]:
    history = []
    for year in index_years():
        result = index_of_year(year)
        if result is not None:
            history.append({"year": year, "total": result["total"], "rank": result["rank"],
                            "reported_rank": result["reported_rank"],
                            "groups": {g["name"]: g["points"] for g in result["groups"]}})  # fmt: skip
    return history


def contributors(*, code: str, year: int, limit: int = 5) -> list[dict]:
    """The firms whose values of a torch indicator weigh most in the zone's total."""
    qs = IndicatorValue.objects.filter(is_current=True, period=str(year), indicator__code=code,
                                       enterprise__deleted_at__isnull=True, number__isnull=False)  # fmt: skip
    total = qs.aggregate(t=Sum("number"))["t"] or Decimal(0)
    rows = qs.order_by("-number").values_list("enterprise_id", "enterprise__name", "number")[:limit]
    return [{"enterprise_id": e, "name": n, "value": v, "share": quantize(v * 100 / total) if total else None}
            for e, n, v in rows]  # fmt: skip


def index_what_if(
    *, year: int, code: str = "rd_expense", top: int = 20, rise: Decimal = Decimal("0.10")
) -> dict | None:
    """The index if the top firms by a torch indicator (R&D) raised it by a share: the points and rank it moves."""
    base = index_of_year(year)
    if base is None:
        return None
    qs = IndicatorValue.objects.filter(is_current=True, period=str(year), indicator__code=code,
                                       number__isnull=False, enterprise__deleted_at__isnull=True)  # fmt: skip
    top_sum = sum(qs.order_by("-number").values_list("number", flat=True)[:top], Decimal(0))
    totals = dict(base["totals"])
    totals[code] = totals.get(code, Decimal(0)) + top_sum * rise
    after = index_compute(system=base["system"], totals=totals)
    gains = [{"name": a["name"], "before": b["points"], "after": a["points"], "gain": a["points"] - b["points"]}
             for a, b in zip(after["indicators"], base["indicators"], strict=True) if a["points"] != b["points"]]  # fmt: skip
    return {"code": code, "top": top, "rise": rise, "added": top_sum * rise, "before": base["total"],
            "after": after["total"], "rank_before": base["rank"], "rank_after": after["rank"], "gains": gains}  # fmt: skip


def objection_get_for_manager(user, pk) -> Objection:
    objection = Objection.objects.select_related("run__park").filter(pk=pk).first()
    if objection is None or not can_manage_runs(user, objection.run.park):
        raise Http404
    return objection


def objection_get_for_user(user, pk) -> Objection:
    """The firm that filed it, and the staff who see the run and the firm."""
    objection = Objection.objects.select_related("run").filter(pk=pk).first()
    if (
        objection is None
        or not scores_visible_to(user).filter(run_id=objection.run_id, enterprise_id=objection.enterprise_id).exists()
    ):
        raise Http404
    return objection
