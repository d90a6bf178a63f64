"""Declares the facts this app counts from its own records as indicators (obtained: counted), read through
indicators.facts_of; idempotent (update_or_create by code)."""

from django.db import migrations

# code, name, kind of value, unit, definition
COUNTED = [
    (
        "serious_breach",
        "列入严重失信主体名单",
        "boolean",
        "",
        "企业登记信息中的严重失信标记：在期末（或今天）之前被列入严重失信主体名单为“是”。来源：一企一档，管委会维护列入日期和依据。",
    ),
    (
        "years_registered",
        "成立年限",
        "integer",
        "年",
        "自成立日期至期末（期间未结束时至今天）的整年数；未登记成立日期的企业无此值。来源：一企一档。",
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
        ("enterprises", "0015_registry_establishment_and_serious_breach"),
        ("indicators", "0002_more_units"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
