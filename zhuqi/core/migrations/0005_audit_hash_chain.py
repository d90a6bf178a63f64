from django.db import migrations, models

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION core_auditrecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditrecord_append_only BEFORE UPDATE OR DELETE ON core_auditrecord
    FOR EACH ROW EXECUTE FUNCTION core_auditrecord_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS core_auditrecord_append_only ON core_auditrecord;
DROP FUNCTION IF EXISTS core_auditrecord_append_only();
"""


def chain_existing(apps, schema_editor):
    """Records written before the chain existed are chained now, in id order."""
    from zhuqi.core.audit_chain import digest

    AuditRecord = apps.get_model("core", "AuditRecord")
    previous = ""
    for record in AuditRecord.objects.order_by("id").iterator():
        record.previous_hash = previous
        record.hash = digest(record)
        AuditRecord.objects.filter(pk=record.pk).update(previous_hash=record.previous_hash, hash=record.hash)
        previous = record.hash


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_events_for_accounts"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditrecord",
            name="hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditrecord",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
