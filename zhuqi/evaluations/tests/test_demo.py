import pytest
from django.core.management import call_command

from zhuqi.evaluations import selectors
from zhuqi.evaluations.models import Objection, Run, RunStatus


@pytest.mark.long(minutes=1.5)
@pytest.mark.whole_demo
@pytest.mark.django_db(transaction=False)
def test_the_demo_zone_has_huojuyuans_final_2023_evaluation_and_the_index_since_2020(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_zone", verbosity=0)
    run = Run.objects.get(park__name="创新创业服务园区", year=2023)
    assert run.status == RunStatus.FINAL
    grades = dict(selectors.run_figures(run)["grades"])
    assert all(grades[g] > 0 for g in "ABCD"), grades
    assert Objection.objects.filter(run=run).count() == 2
    history = {h["year"]: h for h in selectors.index_history()}
    assert list(history) == [2020, 2021, 2022, 2023, 2024]
    assert history[2020]["rank"] == 88 and history[2020]["reported_rank"] == 88
