"""The audit trail's hash chain. Each record carries an HMAC-SHA256, keyed by ZHUQI_AUDIT_KEY (from the
environment, never stored in the database), over its own content and the previous record's hash: whoever can
write to the database but does not hold the key cannot edit or remove a record without `verify_audit` seeing
it. Appending is serialised (an advisory lock on PostgreSQL; SQLite's writers queue anyway), so the chain has no
forks."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils.ipv6 import clean_ipv6_address

_LOCK = 0x7A687571  # "zhuq": the advisory lock of the audit chain


def _key() -> bytes:
    return settings.ZHUQI_AUDIT_KEY.encode()


def _canonical(record) -> bytes:
    ip = record.ip_address or ""
    if ":" in ip:
        ip = clean_ipv6_address(ip)  # as the field stores it
    at = record.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    fields = [
        at, record.actor_id, record.actor_username, ip, record.event, record.object_type, record.object_id,
        record.object_repr, record.changes, record.outcome, record.detail, record.previous_hash,
    ]  # fmt: skip
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest(record) -> str:
    return hmac.new(_key(), _canonical(record), hashlib.sha256).hexdigest()


def chained_save(record, save) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        last = type(record).objects.order_by("-id").values_list("hash", flat=True).first()
        record.previous_hash = last or ""
        record.hash = digest(record)
        save()


@dataclass
class Break:
    record_id: int
    problem: str  # "edited" or "removed before"


def chain_breaks(records) -> tuple[int, list[Break]]:
    """Walks the records in id order: (how many were checked, where the chain breaks)."""
    breaks, previous, checked = [], None, 0
    for record in records:
        checked += 1
        if previous is not None and record.previous_hash != previous:
            breaks.append(Break(record.pk, "removed before"))
        if not hmac.compare_digest(record.hash, digest(record)):
            breaks.append(Break(record.pk, "edited"))
        previous = record.hash
    return checked, breaks
