"""Declares the facts this app counts from its own records as indicators (obtained: counted), read through
indicators.facts_of; idempotent (update_or_create by code)."""

from django.db import migrations

# code, name, kind of value, unit, definition
COUNTED = [
    (
        "open_major_hazards",
        "未整改重大隐患数",
        "integer",
        "个",
        "此刻尚未整改完毕（未办结、未撤回）的重大隐患数。来源：隐患整改。",
    ),
    (
        "overdue_hazards",
        "逾期未整改隐患数",
        "integer",
        "个",
        "此刻尚未整改完毕且已过整改时限（无时限时按事项办理期限）的隐患数。来源：隐患整改。",
    ),
    (
        "major_hazards_in_period",
        "期内发现重大隐患数",
        "integer",
        "个",
        "期内登记的重大隐患数，按登记时间计；撤回、合并的不计。来源：隐患整改。",
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
        ("inspections", "0004_hazard_moves_to_inspections"),
        ("indicators", "0002_more_units"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
