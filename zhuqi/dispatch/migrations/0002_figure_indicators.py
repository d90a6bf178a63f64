"""Declares the daily dispatch's figures as indicators of the day (obtained: reported), recorded for each firm's
report through indicators.services.indicator_values_record (dispatch.figures); idempotent (update_or_create)."""

from django.db import migrations

# code, name, kind of value, unit, definition
FIGURES = [
    ("dispatch_working", "调度日已复工（正常或部分开工）", "boolean", "", "每日调度当日报送的开工状态为正常或部分开工。复工率 = 已复工企业数 ÷ 调度企业数（未报送的按未复工计）。"),
    ("dispatch_staff_on_duty", "调度日在岗人数", "integer", "人", "每日调度当日报送的在岗人数。"),
    ("dispatch_staff_planned", "调度日计划人数", "integer", "人", "每日调度当日报送的计划人数（正常用工人数）。返岗率 = Σ在岗人数 ÷ Σ计划人数。"),
    ("dispatch_staff_return_rate", "调度日返岗率", "decimal", "%", "该企业当日在岗人数 ÷ 计划人数 × 100。"),
    ("dispatch_output", "调度日当日产值", "amount", "万元", "每日调度当日产值；报送产能利用率的，按 产能利用率 × 正常日产值 折算。"),
    ("dispatch_normal_output", "调度日正常日产值", "amount", "万元", "企业正常生产时的日产值，产能恢复率的基数。产能恢复率 = Σ当日产值 ÷ Σ正常日产值。"),
    ("dispatch_capacity_recovery_rate", "调度日产能恢复率", "decimal", "%", "该企业当日产值 ÷ 正常日产值 × 100。"),
    ("dispatch_reported_late", "调度日逾时报送", "boolean", "", "当日报送晚于调度期的截止时间。"),
]  # fmt: skip


def declare(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, kind, unit, definition in FIGURES:
        Indicator.objects.update_or_create(
            code=code,
            defaults={"name": name, "value_kind": kind, "unit": unit, "period_kind": "day", "obtained": "reported",
                      "definition": definition},
        )  # fmt: skip


declare.reference_data = True  # run again after a flush (core/reference_data.py)


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
        ("indicators", "0002_more_units"),
    ]

    operations = [migrations.RunPython(declare, migrations.RunPython.noop)]
