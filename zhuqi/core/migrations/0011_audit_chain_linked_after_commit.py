from django.db import migrations, models

# Linking a record into the chain is the one change allowed, once: seq goes from empty to a number and the
# chain's columns are filled, every other column as it was.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION core_auditrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.at, NEW.actor_id, NEW.actor_username, NEW.ip_address, NEW.event, NEW.object_type,
            NEW.object_id, NEW.object_repr, NEW.changes, NEW.outcome, NEW.detail, NEW.seal)
       IS NOT DISTINCT FROM
           (OLD.id, OLD.at, OLD.actor_id, OLD.actor_username, OLD.ip_address, OLD.event, OLD.object_type,
            OLD.object_id, OLD.object_repr, OLD.changes, OLD.outcome, OLD.detail, OLD.seal) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
STRICT_SQL = """
CREATE OR REPLACE FUNCTION core_auditrecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
"""
# the records chained before (in id order, under the old lock) keep their links and are numbered in that order
NUMBER_SQL = """
UPDATE core_auditrecord SET seq = numbered.n
FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM core_auditrecord) AS numbered
WHERE numbered.id = core_auditrecord.id
"""


def trigger_relax(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def trigger_strict(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(STRICT_SQL, params=None)


def number_existing(apps, schema_editor):
    schema_editor.execute(NUMBER_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_anonymise_event"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="seal",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="seq",
            field=models.PositiveBigIntegerField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.RunPython(trigger_relax, trigger_strict),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
    ]
