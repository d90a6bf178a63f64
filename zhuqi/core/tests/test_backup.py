"""The restore drill: back up, restore into a scratch database, and find every table's rows and the audit
chain as they were."""

import io
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhuqi.core.audit import audit_record
from zhuqi.core.audit_chain import audit_checkpoint_write
from zhuqi.core.models import AuditEvent

DRILL = "zhuqi_restore_drill"


@pytest.fixture
def scratch_database(tmp_path):
    """An empty database of the same kind as the one under test."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'drill.sqlite3'}"
        return
    db = connection.settings_dict
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DRILL}"')
        admin.execute(f'CREATE DATABASE "{DRILL}"')
    yield server.rsplit("/", 1)[0] + f"/{DRILL}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DRILL}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_scratch_database_with_every_row_and_the_audit_chain(
    zone, tmp_path, scratch_database, settings
):
    for n in range(3):
        audit_record(actor=zone.users["sysadmin"], event=AuditEvent.UPDATE, obj=zone.enterprise_a, detail=f"第{n}次")
    settings.ZHUQI_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    checkpoint = audit_checkpoint_write()
    photo = Path(settings.MEDIA_ROOT) / "attachments" / "drill.jpg"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"\xff\xd8\xff photo of a fire exit")
    archive = tmp_path / "zhuqi.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert archive.is_file() and "已备份" in out.getvalue()
    with tarfile.open(archive) as kept:
        assert f"audit-checkpoints/{checkpoint.name}" in kept.getnames()
    out = io.StringIO()
    call_command("restore", archive, database_url=scratch_database, media_root=tmp_path / "media", stdout=out)
    assert "核对无误" in out.getvalue()
    assert (tmp_path / "media" / "attachments" / "drill.jpg").read_bytes() == photo.read_bytes()


def test_restoring_over_the_platforms_own_database_must_be_confirmed(tmp_path):
    archive = tmp_path / "zhuqi.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", archive)
