"""BENCH evaluation_run: a park's yearly evaluation of N firms (100,000) by a 30-item method, end to end, in seconds.

  ours  services.run_score(): the firms' facts of the codes the method reads in one GROUP BY, pivoted to the method's
        slots and cast to CEL's types by the database (no counted-facts module asked: the method reads none), the
        method compiled once into one RuleBook, every firm scored (its items' values in one call into CEL, points,
        total, grade, exclusions), ranked, and the scores written by COPY
  floor the bare rule evaluation: the method's combined CEL program (every item and exclusion in one call) executed
        on every firm's context built beforehand
  peer  the same 30 item expressions and 2 exclusions in simpleeval (parsed once), on the same prebuilt values

BENCH_EVAL_FIRMS sets how many firms (100,000; CI runs it small). The firms and their values are made once."""

import contextlib
import datetime
import random
import re
import time

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from simpleeval import SimpleEval

PARK = "基准评价园区"
YEAR = 2023
CODES = [  # (code, kind): twelve facts of each firm, enough for 30 items combining them
    ("bx_revenue", "amount"), ("bx_tax", "amount"), ("bx_rd", "amount"), ("bx_profit", "amount"),
    ("bx_export", "amount"), ("bx_staff", "integer"), ("bx_tech_staff", "integer"), ("bx_patents", "integer"),
    ("bx_land", "decimal"), ("bx_energy", "decimal"), ("bx_years", "integer"), ("bx_flag", "boolean"),
]  # fmt: skip


def method_spec() -> dict:
    ratios = [("bx_tax", "bx_revenue"), ("bx_rd", "bx_revenue"), ("bx_profit", "bx_revenue"),
              ("bx_export", "bx_revenue"), ("bx_tech_staff", "bx_staff")]  # fmt: skip
    items = []
    for n in range(30):
        kind = n % 6
        if kind == 0:
            a, b = ratios[n // 6 % len(ratios)]
            expression, scoring, params = f"double({a}) * 100.0 / double({b})", "bands", {
                "bands": [[20, 3], [10, 2.5], [5, 2], [2, 1]]}  # fmt: skip
        elif kind == 1:
            expression, scoring, params = "double(bx_revenue) / 10000.0 / bx_land", "linear", {"low": 0, "high": 400}
        elif kind == 2:
            expression, scoring, params = (
                "bx_energy / (double(bx_revenue) / 10000.0)",
                "linear",
                {"low": 0.5, "high": 0.05},
            )
        elif kind == 3:
            expression, scoring, params = "bx_patents", "bands", {"bands": [[5, 3], [3, 2], [1, 1]]}
        elif kind == 4:
            expression, scoring, params = "bx_flag", "yes_no", {}
        else:
            expression, scoring, params = "bx_staff", "bands", {"bands": [[300, 3], [100, 2], [20, 1]]}
        items.append({"code": f"i{n}", "name": f"项目{n}", "expression": expression, "weight": 3 if n < 29 else 13,
                      "scoring": scoring, "params": params})  # fmt: skip
    items[-1] = {"code": "i29", "name": "扣分项", "expression": "bx_years > 30 ? 1 : 0", "weight": 10,
                 "scoring": "deduction", "params": {"per": 5}}  # fmt: skip
    return {
        "method": {"code": "bench-eval", "name": "基准评价办法", "document": "基准", "valid_from": datetime.date(2023, 1, 1),
                   "grades": [{"grade": "A", "min": 70}, {"grade": "B", "min": 50}, {"grade": "C", "min": 30},
                              {"grade": "D", "min": 0}]},
        "exclusions": [{"code": "young", "label": "成立不满一年", "expression": "bx_years < 1"},
                       {"code": "liq", "label": "正在清算", "expression": "bx_years > 60"}],
        "items": items,
    }  # fmt: skip


def prepare(firms: int):
    from zhuqi.core.bulk import insert_rows
    from zhuqi.core.roles import Role
    from zhuqi.enterprises.credit_code import make_credit_code
    from zhuqi.enterprises.models import Enterprise
    from zhuqi.evaluations.models import Method, Run
    from zhuqi.evaluations.services import method_import
    from zhuqi.indicators.models import Indicator, IndicatorValue, Origin
    from zhuqi.org.models import Park, User

    park, _ = Park.objects.get_or_create(name=PARK)
    office, _ = User.objects.get_or_create(username="bench-evaluations", defaults={
        "full_name": "基准统筹", "role": Role.ZONE_COORDINATOR})  # fmt: skip
    indicators = {}
    for code, kind in CODES:
        indicators[code], _ = Indicator.objects.get_or_create(code=code, defaults={
            "name": code, "value_kind": kind, "unit": "元" if kind == "amount" else ""})  # fmt: skip
    if Enterprise.objects.filter(park=park).count() != firms:
        Run.objects.filter(park=park).delete()
        IndicatorValue.objects.filter(indicator__code__in=[c for c, _k in CODES]).delete()
        Enterprise.everything.filter(park=park).delete()
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        now = timezone.now()
        rng = random.Random(22)
        with transaction.atomic():
            insert_rows(
                Enterprise, ["credit_code", "name", "name_initials"],
                ((make_credit_code(authority="9", kind="1", division="410471",
                                   organisation8="PJ" + "".join(alphabet[(n // 31**i) % 31] for i in range(5, -1, -1))),
                  f"基准评价企业{n}有限公司", "JZPJQY") for n in range(firms)),
                constants={"park_id": park.pk, "industry": "C", "scale": "below", "created_at": now, "updated_at": now},
            )  # fmt: skip
            ids = list(Enterprise.objects.filter(park=park).values_list("pk", flat=True))

            def values():
                for pk in ids:
                    revenue = rng.randint(2, 500) * 1_000_000
                    staff = rng.randint(5, 800)
                    row = {"bx_revenue": revenue, "bx_tax": revenue * rng.randint(1, 8) // 100,
                           "bx_rd": revenue * rng.randint(0, 9) // 100, "bx_profit": revenue * rng.randint(-5, 15) // 100,
                           "bx_export": revenue * rng.randint(0, 30) // 100, "bx_staff": staff,
                           "bx_tech_staff": staff * rng.randint(2, 40) // 100, "bx_patents": rng.randint(0, 12),
                           "bx_land": rng.randint(3, 200), "bx_energy": revenue // 10000 * rng.randint(3, 50) / 100,
                           "bx_years": rng.randint(0, 70), "bx_flag": rng.random() < 0.4}  # fmt: skip
                    if rng.random() < 0.05:
                        del row["bx_rd"]  # some firms lack a value: scored item by item
                    for code, value in row.items():
                        yield (pk, indicators[code].pk, int(value) if isinstance(value, bool) else value)

            insert_rows(IndicatorValue, ["enterprise_id", "indicator_id", "number"], values(),
                        constants={"period": str(YEAR), "version": 1, "is_current": True, "origin": Origin.IMPORT,
                                   "text": "", "origin_ref": "", "origin_version": "", "reason": "",
                                   "recorded_at": now})  # fmt: skip
        with connection.cursor() as cursor:  # the statistics autovacuum would gather before any January run
            cursor.execute(f"ANALYZE {Enterprise._meta.db_table}, {IndicatorValue._meta.db_table}")
    Run.objects.filter(park=park).delete()
    Method.objects.filter(code="bench-eval").delete()
    method = method_import(spec=method_spec(), park=park, by=office)
    Method.objects.filter(pk=method.pk).update(status="published")
    method.refresh_from_db()
    return park, office, method


def _python(expression: str) -> str:
    text = re.sub(r"(\S+) \? (\S+) : (\S+)", r"(\2 if \1 else \3)", expression)
    return text


def run(*, firms: int) -> str:
    from zhuqi.core.bulk import mark_worker_process
    from zhuqi.evaluations import selectors, services
    from zhuqi.indicators.selectors import facts_of

    mark_worker_process()  # this process serves no requests: the run may pause the cyclic collector
    park, office, method = prepare(firms)
    run_ = services.run_create(method=method, year=YEAR, by=office)
    print(f"evaluation_run: {firms} firms × {method.items.count()} items")
    started = time.perf_counter()
    scored = services.run_score(run=run_, by=office)
    ours = time.perf_counter() - started
    grades = dict(run_.scores.values_list("grade").annotate(n=Count("pk")))
    print(f"  ours: {scored} scores written; grades {grades}")

    scorer = selectors.scorer_for(method)
    ids = list(selectors.firms_of_run(run_).values_list("pk", flat=True))
    facts = facts_of(enterprises=ids, period=str(YEAR), codes=scorer.reads)
    rows = [scorer.book.row(facts.get(i, {}))[0] for i in ids]
    contexts = [{"x": row} for row in rows]
    combined = scorer.book.combined
    started = time.perf_counter()
    for ctx in contexts:
        for program in combined:  # a firm lacking a value: the program stops at the first missing slot
            with contextlib.suppress(RuntimeError, TypeError, ValueError, ArithmeticError):
                program.execute(ctx)
    floor = time.perf_counter() - started

    evaluator = SimpleEval(functions={"double": float})
    parsed = [evaluator.parse(_python(c.spec.expression)) for c in scorer.book.rules]
    names = [{code: value for (_last, code), value in zip(scorer.book.layout, row, strict=True)} for row in rows]
    started = time.perf_counter()
    for mapping in names:
        evaluator.names = mapping
        for tree in parsed:  # a missing value or a division by zero fails as CEL's errors do
            with contextlib.suppress(Exception):
                evaluator.eval("", previously_parsed=tree)
    peer = time.perf_counter() - started
    return f"BENCH evaluation_run {ours:.2f} s floor={floor:.2f} peer={peer:.2f}"
