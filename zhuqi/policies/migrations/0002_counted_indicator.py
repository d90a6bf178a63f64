"""The fact this module counts for the shared indicators (indicators.counted.policies): created idempotently."""

from django.db import migrations


def create(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, kind, unit, definition in [
        ("policy_benefits_in_period", "期内获得政策兑现笔数", "integer", "项",
         "期内企业收到的惠企政策兑现（免申即享或申报后拨付）笔数，由政策模块按兑现台账计数"),
        ("registry_above_scale", "规模以上企业", "boolean", "", "企业库登记的企业规模为规模以上"),
        ("registry_headcount", "从业人数（企业库）", "integer", "人", "企业库登记的从业人数"),
    ]:  # fmt: skip
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit,
                                                             "period_kind": "year", "obtained": "counted",
                                                             "definition": definition})  # fmt: skip


create.reference_data = True  # run again after a flush (core/reference_data.py)


class Migration(migrations.Migration):
    dependencies = [("policies", "0001_initial"), ("indicators", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
