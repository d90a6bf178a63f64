"""The system administrator changes an assessment indicator by a new version from a date; the version in effect,
by which months were scored, stays as it was."""

import datetime
import json

from zhuqi.assessments.admin import AssessmentIndicatorForm
from zhuqi.assessments.install import indicators_ensure
from zhuqi.assessments.models import AssessmentIndicator


def form_data(indicator, **changes) -> dict:
    data = {f: getattr(indicator, f) for f in AssessmentIndicatorForm.Meta.fields}
    data["params"] = json.dumps(indicator.params)
    return data | changes


def test_a_version_in_effect_is_kept_and_a_new_one_takes_effect_from_its_date(zone):
    indicators_ensure()
    on_time = AssessmentIndicator.objects.filter(code="on_time_rate").order_by("-version").first()
    in_place = AssessmentIndicatorForm(form_data(on_time, max_points="25"), instance=on_time)
    assert not in_place.is_valid() and "保存为新的" in str(in_place.errors)
    new = AssessmentIndicatorForm(form_data(on_time, version=on_time.version + 1, max_points="25",
                                            valid_from=datetime.date(2099, 1, 1)))  # fmt: skip
    assert new.is_valid(), new.errors
    new.save()
    assert AssessmentIndicator.objects.filter(code="on_time_rate").count() == 2


def test_a_formula_over_a_figure_no_module_counts_is_refused(zone):
    indicators_ensure()
    on_time = AssessmentIndicator.objects.filter(code="on_time_rate").first()
    form = AssessmentIndicatorForm(form_data(on_time, version=99, valid_from=datetime.date(2099, 1, 1),
                                             formula="closed_on_tiem * 100 / closed"))  # fmt: skip
    assert not form.is_valid() and "closed_on_tiem" in str(form.errors["formula"])
    bad_bands = AssessmentIndicatorForm(form_data(on_time, version=99, valid_from=datetime.date(2099, 1, 1),
                                                  scoring="bands", params='{"bands": [[90]]}'))  # fmt: skip
    assert not bad_bands.is_valid() and "params" in bad_bands.errors
