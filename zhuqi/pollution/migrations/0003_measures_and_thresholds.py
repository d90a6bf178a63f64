"""The technical guide's default measures and the alert thresholds (before and after the 2024 revision) as reference
data, so that a zone without the demo has them; the placeholders an earlier install wrote (the 2024 conditions
“待核对”, the other industries' rows that did not say what they stand on) are replaced first."""

from django.db import migrations

from zhuqi.pollution.measures import measures_install

OLD_TO_CONFIRM = "环办大气函〔2020〕340号（本行业表待核对）"


def placeholders_replace(apps, schema_editor):
    threshold = apps.get_model("pollution", "AlertThreshold")
    threshold.objects.filter(condition__endswith="（待核对）").delete()
    apps.get_model("pollution", "MeasureDefault").objects.filter(source_document=OLD_TO_CONFIRM).delete()


class Migration(migrations.Migration):
    dependencies = [("pollution", "0002_measures_checked_thresholds_clauses")]

    operations = [
        migrations.RunPython(placeholders_replace, migrations.RunPython.noop),
        migrations.RunPython(measures_install, migrations.RunPython.noop),
    ]
