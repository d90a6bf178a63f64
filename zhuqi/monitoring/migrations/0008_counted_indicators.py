"""Declares the facts this app counts from its own records as indicators (obtained: counted), read through
indicators.facts_of; idempotent (update_or_create by code)."""

from django.db import migrations

# code, name, kind of value, unit, definition
COUNTED = [
    (
        "alarms_in_period",
        "期内确认告警次数",
        "integer",
        "次",
        "期内触发并经企业确认的监测告警次数，按触发时间计。来源：风险监测。",
    ),
]


def declare(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, kind, unit, definition in COUNTED:
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "value_kind": kind, "unit": unit, "period_kind": "year", "obtained": "counted",
                      "definition": definition},
        )  # fmt: skip


declare.reference_data = True  # run again after a flush (core/reference_data.py)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0007_outages"),
        ("indicators", "0002_more_units"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
