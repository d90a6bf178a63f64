"""On PostgreSQL the readings table becomes partitioned by day (range on `at`), so that old readings are dropped
a whole partition at a time; a default partition takes whatever has no day partition yet. The time index is a
BRIN index there: readings arrive in time order, and a BRIN index costs next to nothing to keep up. Elsewhere:
nothing."""

from django.db import migrations

TO_PARTITIONED = """
ALTER TABLE monitoring_reading RENAME TO monitoring_reading_unpartitioned;
ALTER INDEX reading_at_idx RENAME TO reading_at_idx_unpartitioned;
CREATE TABLE monitoring_reading (
    point_id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    value double precision NOT NULL,
    PRIMARY KEY (point_id, at)
) PARTITION BY RANGE (at);
CREATE INDEX reading_at_idx ON monitoring_reading USING brin (at);
CREATE TABLE monitoring_reading_default PARTITION OF monitoring_reading DEFAULT;
INSERT INTO monitoring_reading SELECT point_id, at, value FROM monitoring_reading_unpartitioned;
DROP TABLE monitoring_reading_unpartitioned;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TO_PARTITIONED)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_summaries")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
