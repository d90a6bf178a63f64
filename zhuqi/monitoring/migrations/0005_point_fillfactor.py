from django.db import migrations

from zhuqi.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """Every batch of readings rewrites its points' live state. With half of each page left free the new row
    versions stay on the same page and no index is touched (HOT updates): about five times cheaper."""

    dependencies = [("monitoring", "0004_alarm_actions")]

    operations = [
        PostgresOnlySQL(
            "ALTER TABLE monitoring_monitoringpoint SET (fillfactor = 50)",
            "ALTER TABLE monitoring_monitoringpoint RESET (fillfactor)",
        ),
    ]
