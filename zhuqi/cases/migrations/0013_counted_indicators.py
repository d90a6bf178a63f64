"""Declares the facts this app counts from its own records as indicators (obtained: counted), read through
indicators.facts_of; idempotent (update_or_create by code)."""

from django.db import migrations

# code, name, kind of value, unit, definition
COUNTED = [
    (
        "cases_closed_in_period",
        "期内办结诉求事项数",
        "integer",
        "件",
        "期内办结（已办结或已评价）的该企业诉求、问题事项数，按办结时间计；撤回、合并的不计。来源：闭环事项。",
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
        ("cases", "0012_hazard_moves_to_inspections"),
        ("indicators", "0002_more_units"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
