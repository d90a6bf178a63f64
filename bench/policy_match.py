"""BENCH policy_match: the whole zone matched against every policy in force, in firm-policy pairs per second.

  ours  matching.match_run(): the firms' facts read through indicators.facts_of (recorded values and every module's
        counted facts); the catalogue's distinct conditions run once per firm (one compiled book for the zone);
        each pair judged three-valued from its conditions' verdicts, with the explanation per condition, the
        exclusions and the amount; the pairs that qualify, nearly qualify or cannot be judged stored (one COPY per
        2,000 firms; a firm that does not qualify keeps no row)
  floor the same CEL programs (the zone book's combined programs) executed once per firm on contexts built before
        the clock starts
  peer  the same distinct conditions as Python expressions in simpleeval (parsed once, evaluated once per firm,
        values given as names)

Then BENCH policy_rematch_firm: one firm's re-match after a change of its data (every policy), in ms; its floor the
zone book on that firm's context already built, its peer the same conditions in simpleeval for that firm.

BENCH_POLICY_FIRMS (100,000) and BENCH_POLICY_COUNT (100) size it; CI runs it small."""

import contextlib
import datetime
import random
import re
import time

from django.db import connection, transaction
from simpleeval import SimpleEval

from zhuqi.core.bulk import mark_worker_process
from zhuqi.enterprises.models import Enterprise
from zhuqi.indicators.engine import CEL_ERRORS
from zhuqi.indicators.models import Indicator, IndicatorValue, Origin
from zhuqi.org.models import Role, User
from zhuqi.policies import conditions as c
from zhuqi.policies import matching
from zhuqi.policies.models import Match, Policy
from zhuqi.policies.services import policy_create

INDICATORS = [
    ("revenue", "营业收入", "amount", "千元"), ("rd_expense", "研究开发费用合计", "amount", "千元"),
    ("is_high_tech", "是否高新技术企业", "boolean", ""), ("staff", "年末从业人员", "integer", "人"),
    ("taxes_paid", "实缴税费总额", "amount", "千元"), ("industrial_output", "工业总产值", "amount", "千元"),
    ("valid_inventions", "期末拥有有效发明专利数", "integer", "项"),
]  # fmt: skip


def _facts(rng: random.Random) -> dict:
    revenue = int(rng.lognormvariate(17, 1.2))
    values = {
        "revenue": revenue, "rd_expense": int(revenue * rng.uniform(0.005, 0.07)), "is_high_tech": rng.random() < 0.3,
        "staff": int(rng.lognormvariate(4, 1)) + 1, "taxes_paid": int(revenue * rng.uniform(0.01, 0.06)),
        "industrial_output": int(revenue * rng.uniform(0.9, 1.1)), "valid_inventions": rng.randint(0, 8),
    }  # fmt: skip
    for code in list(values):
        if rng.random() < 0.03:  # a few figures not reported: some pairs cannot be judged
            del values[code]
    return values


def _policies(count: int, by) -> None:
    rng = random.Random(17)
    makers = [
        lambda: c.revenue_at_least(rng.choice([500, 1000, 2000, 5000]), "第一条"),
        lambda: c.rd_share_at_least(rng.choice([2, 3, 4, 5]), "第二条"),
        lambda: c.staff_at_least(rng.choice([10, 20, 50, 100]), "第三条"),
        lambda: c.taxes_at_least(rng.choice([10, 30, 50, 100]), "第四条"),
        lambda: c.output_at_least(rng.choice([1000, 2000, 5000]), "第五条"),
        lambda: c.inventions_at_least(rng.choice([1, 2, 3]), "第六条"),
        lambda: c.high_tech("第七条"),
        lambda: c.staff_at_most(rng.choice([200, 300, 500]), "第八条"),
    ]
    for n in range(count):
        chosen = rng.sample(makers, 5)
        policy_create(
            by=by, rematch=False, title=f"基准政策 {n + 1}", issuer="平顶山高新区管委会", category="funds",
            mode="automatic" if n % 4 == 0 else "apply", summary="基准", valid_from=datetime.date(2020, 1, 1),
            conditions=[make() for make in chosen], exclusions=c.EXCLUSIONS if n % 4 == 0 else None,
            benefit="rd_expense * 5 / 100 > 200000 ? 200000 : rd_expense * 5 / 100" if n % 2 else "100000",
        )  # fmt: skip


def setup(*, firms: int, policies: int, period: str) -> list[int]:
    from bench import import_enterprises
    from bench.run import OUT

    mark_worker_process()
    if Enterprise.objects.count() < firms:
        import_enterprises.load(rows=firms, out=OUT)
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:firms])
    indicators = {}
    for code, name, kind, unit in INDICATORS:
        indicators[code] = Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind,
                                                                                "unit": unit})[0]  # fmt: skip
    c.indicators_ensure()
    office = User.objects.filter(role=Role.ZONE_COORDINATOR).first() or User.objects.create(
        username="bench-policies", role=Role.ZONE_COORDINATOR)  # fmt: skip
    Match.objects.all().delete()
    if Policy.objects.count() != policies:
        Policy.objects.all().delete()
        _policies(policies, office)
    IndicatorValue.objects.filter(period=period).delete()
    rng, rows = random.Random(16), []
    for pk in ids:
        for code, value in _facts(rng).items():
            rows.append(IndicatorValue(enterprise_id=pk, indicator=indicators[code], period=period, number=value,
                                       origin=Origin.IMPORT))  # fmt: skip
        if len(rows) >= 20_000:
            IndicatorValue.objects.bulk_create(rows)
            rows = []
    IndicatorValue.objects.bulk_create(rows)
    return ids


def _python(expression: str) -> str:
    text = expression.replace("&&", " and ").replace("||", " or ")
    return re.sub(r"!(?!=)", " not ", text)


def _storing_alone() -> float:
    """Not a BENCH figure, but a bound under ours: the match rows stored, read back as COPY text, deleted and written
    again in one transaction into the same table (its indexes, foreign keys and JSON parsing) — nothing read, judged
    or converted. The seconds it takes."""
    columns = ", ".join(f'"{f.column}"' for f in Match._meta.concrete_fields if not f.primary_key)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY (SELECT {columns} FROM policies_match) TO STDOUT") as copy:  # noqa: S608
            saved = b"".join(bytes(block) for block in copy)
        cursor.execute("DELETE FROM policies_match")
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY policies_match ({columns}) FROM STDIN"  # noqa: S608
        ) as copy,
    ):
        copy.write(saved)
    return time.perf_counter() - started


def run(*, firms: int, policies: int) -> list[str]:
    today = datetime.date.today()
    period = str(today.year - 1)
    ids = setup(firms=firms, policies=policies, period=period)
    versions = matching.versions_in_force(today)
    books = matching._books_for({v.conditions_id for v in versions}, today)
    zone, _positions = matching._zone_book({v.conditions_id: books[v.conditions_id] for v in versions})
    rules = sum(len(books[v.conditions_id].rules) for v in versions)
    pairs = len(ids) * len(versions)
    print(f"policy_match: {len(ids):,} firms × {len(versions)} policies ({rules} conditions, {len(zone.rules)} "
          f"distinct), {pairs:,} pairs")  # fmt: skip

    matching.match_run(enterprise_ids=ids[:50], notify_new=False)  # books compiled, caches warm
    started = time.perf_counter()
    judged = matching.match_run(enterprise_ids=ids, notify_new=False)
    ours = judged / (time.perf_counter() - started)
    verdicts = {v: Match.objects.filter(verdict=v).count() for v in ("qualifies", "nearly", "unknown")}
    print(f"  ours: {judged:,} pairs judged, stored {verdicts}, {judged - sum(verdicts.values()):,} not qualifying")

    # floor: the zone book's combined programs on contexts built before the clock starts
    facts = matching.facts_of(enterprises=ids, period=period, codes=None)
    import cel

    built = [cel.Context({"x": zone.row(facts.get(pk, {}))[0]}) for pk in ids]
    started = time.perf_counter()
    for context in built:
        for program in zone.combined:
            with contextlib.suppress(*CEL_ERRORS):  # a figure not reported (the engine then goes rule by rule)
                program.execute(context)
    floor = pairs / (time.perf_counter() - started)

    # peer: simpleeval over the same distinct conditions, the values given as names
    evaluator = SimpleEval(functions={"double": float})
    parsed = [evaluator.parse(_python(rule.spec.expression)) for rule in zone.rules]

    def peer_firm(values):
        evaluator.names = values
        for tree in parsed:
            with contextlib.suppress(Exception):  # a missing name: undecided, as ours says
                evaluator.eval("", previously_parsed=tree)

    started = time.perf_counter()
    for pk in ids:
        peer_firm(facts.get(pk, {}))
    peer = pairs / (time.perf_counter() - started)
    lines = [f"BENCH policy_match {ours:.0f} pairs/s floor={floor:.0f} peer={peer:.0f}"]

    # one firm's re-match after a change of its data
    middle = len(ids) // 2
    firm = ids[middle]
    IndicatorValue.objects.filter(enterprise_id=firm, period=period, indicator__code="staff").update(number=500)
    times = []
    for _ in range(20):
        started = time.perf_counter()
        matching.match_run(enterprise_ids=[firm], notify_new=False)
        times.append((time.perf_counter() - started) * 1000)
    one = sorted(times)[len(times) // 2]
    started = time.perf_counter()
    for _ in range(20):
        for program in zone.combined:
            with contextlib.suppress(*CEL_ERRORS):
                program.execute(built[middle])
    one_floor = (time.perf_counter() - started) * 1000 / 20
    started = time.perf_counter()
    for _ in range(20):
        peer_firm(facts.get(firm, {}))
    one_peer = (time.perf_counter() - started) * 1000 / 20
    lines.append(f"BENCH policy_rematch_firm {one:.1f} ms floor={one_floor:.2f} peer={one_peer:.2f}")
    if connection.vendor == "postgresql":  # last: rewriting the table leaves the database busy for a while
        alone = pairs / _storing_alone()
        print(f"policy_match: PostgreSQL alone storing the rows ours stored {alone:,.0f} pairs/s (ready rows COPYed "
              f"into the same table; ours/that {ours / alone:.2f})")  # fmt: skip
    return lines
