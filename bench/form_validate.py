"""BENCH form_validate: torch returns checked against every rule of the torch form, in returns per second.

  ours  the rule book's evaluate() per return: the return's values (as the indicators keep them) laid into the
        CEL context, the compiled rules run (as one program giving every verdict), the verdicts read and the
        messages of the rules that fail filled in
  floor the same CEL program executed on contexts built before the clock starts: what CEL itself costs
  peer  the same rules as Python expressions in simpleeval (parsed once, evaluated per return)

BENCH_FORM_RETURNS sets how many returns (10,000)."""

import random
import re
import time

from simpleeval import SimpleEval

from zhuqi.indicators.selectors import rule_book
from zhuqi.reporting.definitions import torch_install
from zhuqi.reporting.samples import firm_years
from zhuqi.reporting.selectors import values_kept, version_fields


def returns(count: int, fields, seed: int = 16):
    rng = random.Random(seed)
    made = []
    for n in range(count):
        last, current = firm_years(
            seed * 100_003 + n,
            revenue=rng.lognormvariate(10.5, 1.0),
            high_tech=n % 3 == 0,
            growths=[rng.choice([0.05, 0.1, -0.05, 0.2, 0.45])],
        )  # some break the 30% limit
        made.append((values_kept(fields, current), values_kept(fields, last)))
    return made


def _python(expression: str) -> str:
    """A CEL condition of the torch form as Python (they use && || ! == and double() only)."""
    text = re.sub(r"\blast\.(\w+)", r"last_\1", expression)
    text = text.replace("&&", " and ").replace("||", " or ")
    return re.sub(r"!(?!=)", " not ", text)


def _peer_names(book, current, last) -> dict:
    row, _missing = book.row(current, last)
    return {f"last_{code}" if is_last else code: value for (is_last, code), value in zip(book.layout, row, strict=True)}


def run(*, count: int) -> str:
    version = torch_install()
    fields = version_fields(version)
    book = rule_book(ruleset=version.ruleset)
    data = returns(count, fields)
    print(f"form_validate: {count} returns × {len(book.rules)} rules")

    started = time.perf_counter()
    errors = warnings = 0
    for current, last in data:
        evaluation = book.evaluate(current, last)
        if not evaluation.all_hold:
            for outcome in evaluation.not_holding:
                errors += outcome.is_error
                warnings += outcome.is_warning
    ours = count / (time.perf_counter() - started)
    print(f"  ours: {errors} errors and {warnings} warnings found")

    contexts = [book.context(current, last)[0] for current, last in data]
    programs = book.combined
    for context in contexts:  # the context's CEL side is built on first use: outside the clock too
        programs[0].execute(context)
    started = time.perf_counter()
    for context in contexts:
        for program in programs:
            program.execute(context)
    floor = count / (time.perf_counter() - started)

    # not a BENCH figure, but a bound under ours: the same program on the values laid out beforehand and handed to
    # CEL as a Python list on every call, as any caller of the binding hands them (only the building of the row and
    # the reading of the verdicts left out)
    rows = [book.row(current, last)[0] for current, last in data]
    started = time.perf_counter()
    for row in rows:
        for program in programs:
            program.execute({"x": row})
    handed = count / (time.perf_counter() - started)
    print(f"form_validate: CEL on values handed in each call {handed:.0f} returns/s (ours/that {ours / handed:.2f}, "
          f"that/floor {handed / floor:.2f})")  # fmt: skip

    evaluator = SimpleEval(functions={"double": float})
    parsed = [evaluator.parse(_python(rule.spec.expression)) for rule in book.rules]
    started = time.perf_counter()
    for current, last in data:
        evaluator.names = _peer_names(book, current, last)
        for tree in parsed:
            evaluator.eval("", previously_parsed=tree)
    peer = count / (time.perf_counter() - started)
    print(f"form_validate: that bound / peer {handed / peer:.1f}")
    return f"BENCH form_validate {ours:.0f} returns/s floor={floor:.0f} peer={peer:.0f}"
