"""BENCH pipeline_gaps: the gap analysis of many firms (科技型中小企业 and 高新技术企业 criteria) over three years of
statistics, recomputed, in seconds for all of them.

  ours  growth.selectors.standings(): three years of facts through indicators.facts_of (the recorded values and the
        counted facts), the three-year sums and the growth estimate, both rule sets evaluated, each condition's
        explanation, distance and need, the gap list and the projection of next year's R&D ratio
  floor the bare rule evaluation: both rule books' evaluate() on contexts built before the clock starts
  peer  the same conditions as Python expressions in simpleeval (parsed once), on the same prebuilt contexts

BENCH_GAP_FIRMS sets how many firms (10,000; CI runs it small)."""

import contextlib
import datetime
import random
import time

from simpleeval import SimpleEval

from zhuqi.enterprises.models import Enterprise
from zhuqi.growth import criteria, selectors
from zhuqi.indicators.models import Indicator, IndicatorValue, Origin
from zhuqi.indicators.selectors import rule_book

YEAR = 2024
PREFIX = "BENCHGAP"


# the same conditions in Python, for simpleeval
def _bands(part, base, steps):
    text = "0"
    for pct, points in reversed(steps):
        text = f"({points} if {part} * 100 >= {base} * {pct} else {text})"
    return f"(0 if {base} <= 0 else {text})"


_SALES = _bands("rd_expense", "revenue", [(6, 50), (5, 40), (4, 30), (3, 20), (2, 10)])
_COST = _bands("rd_expense", "total_cost", [(30, 50), (25, 40), (20, 30), (15, 20), (10, 10)])
_SCORE = (f"{_bands('tech_staff', 'staff', [(30, 20), (25, 16), (20, 12), (15, 8), (10, 4)])} + max({_SALES}, {_COST})"
          " + (30 if valid_inventions >= 1 else (24 if ip_class2 >= 4 else ip_class2 * 6))")  # fmt: skip
PEER = [
    "staff <= 500", "revenue <= 200000000", "total_assets <= 200000000", "not serious_breach",
    "tech_staff * 100 >= staff * 10", f"{_SCORE} >= 60",
    "is_high_tech or national_award_5y or provincial_rd_institution or standard_led_5y",
    "years_registered >= 1", "core_ip_owned", "in_key_field", "tech_staff * 100 >= staff * 10",
    "rd_expense_3y * 100 >= revenue_3y * (5 if revenue <= 50000000 else (4 if revenue <= 200000000 else 3))",
    "rd_domestic_3y * 100 >= rd_expense_3y * 60", "high_tech_product_revenue * 100 >= revenue * 60",
    "major_hazards_in_period == 0 and alarms_in_period == 0",
    "innov_ip_score + innov_transfer_score + innov_mgmt_score + innov_growth_score > 70",
]  # fmt: skip


def load(firms: int) -> list[int]:
    """Firms with three years of statistics, recorded as indicator values (bulk, outside the clock)."""
    have = list(Enterprise.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    if len(have) >= firms:
        return have[:firms]
    Enterprise.objects.filter(name__startswith=PREFIX).delete()
    rng = random.Random(18)
    made = Enterprise.objects.bulk_create([
        Enterprise(name=f"{PREFIX}{n:06d}", credit_code=f"91410400BG{n:07d}X"[:18], name_initials="BG", is_demo=True)
        for n in range(firms)], batch_size=2000)  # fmt: skip
    ids = [e.pk for e in made] or list(Enterprise.objects.filter(name__startswith=PREFIX).values_list("pk", flat=True))
    codes = {i.code: i for i in Indicator.objects.all()}
    rows = []
    for pk in ids:
        revenue, staff = rng.randint(5_000, 300_000) * 1000, rng.randint(20, 600)
        for year in (YEAR - 2, YEAR - 1, YEAR):
            revenue = int(revenue * rng.uniform(0.95, 1.25))
            values = {"revenue": revenue, "rd_expense": int(revenue * rng.uniform(0.01, 0.07)),
                      "rd_expense_domestic": int(revenue * 0.03), "high_tech_product_revenue": int(revenue * 0.6),
                      "total_assets": int(revenue * 1.3), "liabilities": int(revenue * 0.5), "staff": staff,
                      "tech_staff": int(staff * rng.uniform(0.05, 0.3)), "total_cost": int(revenue * 0.9),
                      "valid_inventions": rng.randint(0, 1), "ip_class2": rng.randint(0, 5), "founded_year": 2010,
                      "core_ip_owned": 1, "in_key_field": 1, "innov_ip_score": rng.randint(10, 30),
                      "innov_transfer_score": rng.randint(10, 30), "innov_mgmt_score": rng.randint(8, 20),
                      "national_award_5y": 0, "provincial_rd_institution": 0, "standard_led_5y": 0,
                      "serious_breach": 0, "major_hazards_in_period": 0, "alarms_in_period": 0}  # fmt: skip
            rows += [IndicatorValue(enterprise_id=pk, indicator=codes[c], period=str(year), number=v,
                                    origin=Origin.IMPORT) for c, v in values.items()]  # fmt: skip
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return ids


def run(*, firms: int) -> str:
    criteria.criteria_install()
    ids = load(firms)
    started = time.perf_counter()
    found = selectors.standings(enterprise_ids=ids, year=YEAR)
    ours = time.perf_counter() - started
    if len(found) != len(ids):
        raise RuntimeError("the gap analysis lost firms")

    contexts, _projections = selectors.contexts_build(enterprise_ids=ids, year=YEAR)
    on = datetime.date(YEAR + 1, 1, 1)
    books = [rule_book(ruleset=criteria.SME_SET, on=on), rule_book(ruleset=criteria.HIGH_TECH_SET, on=on)]
    started = time.perf_counter()
    for ctx in contexts.values():
        for book in books:
            book.evaluate(ctx)
    floor = time.perf_counter() - started

    evaluator = SimpleEval(functions={"max": max})
    parsed = [evaluator.parse(text) for text in PEER]
    started = time.perf_counter()
    for ctx in contexts.values():
        evaluator.names = {k: (int(v) if not isinstance(v, str) else v) for k, v in ctx.items()}
        for tree in parsed:
            with contextlib.suppress(Exception):  # a missing name is an unknown, as in ours
                evaluator.eval("", previously_parsed=tree)
    peer = time.perf_counter() - started
    return f"BENCH pipeline_gaps {ours:.2f} s floor={floor:.2f} peer={peer:.2f}"
