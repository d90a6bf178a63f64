"""Backups a system administrator can take and restore, on PostgreSQL (pg_dump's custom format) and on SQLite
(the sqlite3 backup API: a consistent copy while the platform runs). An archive holds the database, the
uploaded files, the audit chain's signed checkpoints and a manifest: the row count of every table and the audit
chain's last hash, which a restore checks the restored database against."""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404
import tarfile
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import environ
from django.apps import apps
from django.conf import settings
from django.db import connection

from .audit_chain import chain_breaks, chain_pending, checkpoint_dir

MANIFEST, PG_DUMP, SQLITE_COPY, MEDIA = "manifest.json", "database.dump", "database.sqlite3", "media"
CHECKPOINTS = "audit-checkpoints"


class BackupProblem(Exception):
    pass


@dataclass
class Manifest:
    created_at: str
    vendor: str
    counts: dict
    audit_head: str


def table_counts(alias: str = "default") -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
    return {
        m._meta.db_table: m._base_manager.using(alias).count() for m in sorted(models, key=lambda m: m._meta.db_table)
    }


def _audit_head(alias: str) -> str:
    from .models import AuditRecord

    chain_pending(using=alias)
    return (
        AuditRecord.objects.using(alias)
        .filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("hash", flat=True)
        .first()
        or ""
    )


def _pg_env(database: dict) -> dict:
    env = {**os.environ, "PGHOST": database.get("HOST") or "127.0.0.1", "PGPORT": str(database.get("PORT") or 5432)}
    env |= {"PGUSER": database.get("USER") or "", "PGDATABASE": database["NAME"]}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]  # not on the command line, where ps would show it
    return env


def _run(command: list[str], env: dict) -> None:
    # the PostgreSQL client tools with arguments made here; the database's name and address come from settings
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)  # noqa: S603  # nosec B603
    if result.returncode:
        raise BackupProblem(f"{command[0]} 失败：{result.stderr.strip()[:500]}")


def backup_create(destination: Path) -> Manifest:
    """Writes the archive to `destination` (a .tar.gz) and returns its manifest."""
    database = connection.settings_dict
    manifest = Manifest(
        created_at=datetime.datetime.now(datetime.UTC).isoformat(), vendor=connection.vendor,
        counts=table_counts(), audit_head=_audit_head("default"),
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="zhuqi-backup-") as scratch:
        work = Path(scratch)
        if connection.vendor == "postgresql":
            dump = work / PG_DUMP
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)], _pg_env(database))
        elif connection.vendor == "sqlite":
            dump = work / SQLITE_COPY
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)
            copy.close()
        else:
            raise BackupProblem(f"不支持的数据库：{connection.vendor}")
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(destination, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                archive.add(media, arcname=MEDIA)
            if checkpoint_dir().is_dir():
                archive.add(checkpoint_dir(), arcname=CHECKPOINTS)
            data = json.dumps(asdict(manifest), ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return manifest


def backup_restore(source: Path, *, database_url: str | None = None, media_root: Path | None = None) -> Manifest:
    """Restores the archive into the database named by `database_url` (default: the platform's own) and the
    files into `media_root`; then checks every table's count and the audit chain against the manifest."""
    target = environ.Env.db_url_config(database_url) if database_url else dict(connection.settings_dict)
    vendor = "postgresql" if "postgresql" in target["ENGINE"] else "sqlite" if "sqlite" in target["ENGINE"] else "?"
    with tempfile.TemporaryDirectory(prefix="zhuqi-restore-") as scratch, tarfile.open(source, "r:gz") as archive:
        work = Path(scratch)
        archive.extractall(work, filter="data")  # the data filter refuses links and paths out of the directory
        manifest = Manifest(**json.loads((work / MANIFEST).read_text()))
        if manifest.vendor != vendor:
            raise BackupProblem(f"该备份来自 {manifest.vendor}，不能恢复到 {vendor}")
        if vendor == "postgresql":
            _run(
                ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 "--dbname", target["NAME"], str(work / PG_DUMP)],
                _pg_env(target),
            )  # fmt: skip
        else:
            if target["NAME"] == connection.settings_dict["NAME"]:
                connection.close()
            shutil.copyfile(work / SQLITE_COPY, target["NAME"])
        if (work / MEDIA).is_dir():
            shutil.copytree(work / MEDIA, media_root or Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
        if database_url is None and (work / CHECKPOINTS).is_dir():
            shutil.copytree(work / CHECKPOINTS, checkpoint_dir(), dirs_exist_ok=True)
    _check(manifest, target)
    return manifest


def _check(manifest: Manifest, target: dict) -> None:
    """Read back through a connection of its own (not the ORM's: the restored database is not one of the
    platform's configured databases)."""
    from .models import AuditRecord

    fields = [f.column for f in AuditRecord._meta.concrete_fields]
    if "postgresql" in target["ENGINE"]:
        import psycopg

        env = _pg_env(target)
        raw = psycopg.connect(
            host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"], dbname=env["PGDATABASE"],
            password=env.get("PGPASSWORD"),
        )  # fmt: skip
    else:
        raw = sqlite3.connect(target["NAME"])
    try:
        cursor = raw.cursor()
        counts = {}
        for table in manifest.counts:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
        differ = {t: (n, counts[t]) for t, n in manifest.counts.items() if counts[t] != n}
        if differ:
            raise BackupProblem(f"恢复后行数与备份不符：{differ}")
        cursor.execute(f"SELECT {', '.join(fields)} FROM core_auditrecord WHERE seq IS NOT NULL ORDER BY seq")  # noqa: S608  # nosec B608
        records = [_audit_row(dict(zip(fields, row, strict=True))) for row in cursor.fetchall()]
    finally:
        raw.close()
    _checked, breaks = chain_breaks(records)
    if breaks or (records[-1].hash if records else "") != manifest.audit_head:
        raise BackupProblem("恢复后的审计日志哈希链与备份不符")


def _audit_row(row: dict):
    """An audit record as read raw from either database, in the types the chain's digest expects."""
    from .models import AuditRecord

    if isinstance(row["at"], str):  # SQLite keeps UTC times as text
        row["at"] = datetime.datetime.fromisoformat(row["at"]).replace(tzinfo=datetime.UTC)
    if isinstance(row["changes"], str):
        row["changes"] = json.loads(row["changes"])
    row["ip_address"] = str(row["ip_address"]) if row["ip_address"] is not None else None
    return AuditRecord(**row)  # the columns are the fields' attribute names (actor_id included)
