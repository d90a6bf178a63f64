from django.db import migrations

OWN = [
    ("land_area_mu", "用地面积（亩）", "decimal", "", "reported"),
    ("energy_tce", "综合能源消费量（吨标准煤）", "decimal", "吨", "reported"),
    ("in_liquidation", "是否正在清算", "boolean", "", "reported"),
    ("evaluation_grade", "企业绩效综合评价等级", "text", "", "counted"),
]


def forwards(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, kind, unit, obtained in OWN:
        Indicator.objects.get_or_create(code=code, defaults={"name": name, "value_kind": kind, "unit": unit,
                                                             "obtained": obtained})  # fmt: skip


forwards.reference_data = True  # run again after a flush (core/reference_data.py)


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial"), ("indicators", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
