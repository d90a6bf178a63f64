"""The evaluations' demo data, checked by the whole demo zone's test (enterprises/tests/test_demo_zone.py), which loads
every module's demo once."""

from zhuqi.evaluations import selectors
from zhuqi.evaluations.models import Objection, Run, RunStatus


def huojuyuans_2023_evaluation_and_the_index_since_2020():
    run = Run.objects.get(park__name="创新创业服务园区", year=2023)
    assert run.status == RunStatus.FINAL
    grades = dict(selectors.run_figures(run)["grades"])
    assert all(grades[g] > 0 for g in "ABCD"), grades
    assert Objection.objects.filter(run=run).count() == 2
    # 2022 final too: firms moved up and down since
    before = selectors.previous_grades(run)
    moves = {
        selectors.movement(g, before.get(e))
        for e, g in run.scores.exclude(grade="").values_list("enterprise_id", "grade")
    }
    assert {"up", "down", "same"} <= moves, moves
    history = {h["year"]: h for h in selectors.index_history()}
    assert list(history) == [2020, 2021, 2022, 2023, 2024]
    assert history[2020]["rank"] == 88 and history[2020]["reported_rank"] == 88
