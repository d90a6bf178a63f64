"""The audit trail's hash chain. Each record carries an HMAC-SHA256, keyed by ZHUQI_AUDIT_KEY (from the
environment, never stored in the database), over its own content and the previous record's hash: whoever can
write to the database but does not hold the key cannot edit or remove a record without `verify_audit` seeing
it.

A record is written in two steps, so that no lock is held across the caller's transaction (a lock taken there
would serialise every audited write zone-wide, failed logins included, for as long as the slowest one runs):

1. inside the caller's transaction the record is inserted with a *seal* (an HMAC over its content alone) and no
   place in the chain yet: it commits or rolls back with the change it records;
2. after that transaction commits, `chain_pending` links every sealed, committed record not yet in the chain, in
   a short transaction of its own under the chain's lock (an advisory lock on PostgreSQL; SQLite's IMMEDIATE
   transactions queue writers anyway): it numbers it (`seq`), sets `previous_hash` and `hash`. If that step is
   lost (a crash right after the commit), the next audited write, the checkpoint job or `verify_audit` links
   the record. A row someone inserted without the key has no valid seal and is never linked: verify names it.

The chain's first record has seq 1 and the genesis previous hash, so removing records from the start shows;
removing them from the end shows against the newest signed checkpoint, a file outside the database
(`audit_checkpoint_write`, run daily, kept by `manage.py backup`)."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

_LOCK = 0x7A687571  # "zhuq": the advisory lock of the audit chain
GENESIS = ""  # the previous hash of the chain's first record
BATCH = 500


def _key() -> bytes:
    return settings.ZHUQI_AUDIT_KEY.encode()


def _canonical(record, previous_hash: str) -> bytes:
    ip = record.ip_address or ""
    if ":" in ip:
        ip = clean_ipv6_address(ip)  # as the field stores it
    at = record.at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    fields = [
        at, record.actor_id, record.actor_username, ip, record.event, record.object_type, record.object_id,
        record.object_repr, record.changes, record.outcome, record.detail, previous_hash,
    ]  # fmt: skip
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest(record) -> str:
    """The chain link: the record's content and the previous record's hash."""
    return hmac.new(_key(), _canonical(record, record.previous_hash), hashlib.sha256).hexdigest()


def seal(record) -> str:
    """The record's content alone, keyed, made when it is written (before it has a place in the chain)."""
    return hmac.new(_key(), b"seal|" + _canonical(record, ""), hashlib.sha256).hexdigest()


def sealed_save(record, save, using: str | None = None) -> None:
    """Inserts the record in the caller's transaction; it joins the chain once that transaction commits."""
    record.seal = seal(record)
    record.seq = None
    record.previous_hash = record.hash = ""
    save()
    alias = using or record._state.db or DEFAULT_DB_ALIAS
    transaction.on_commit(lambda: chain_pending(using=alias), using=alias, robust=True)


def _sealed_by_us(record) -> bool:
    return bool(record.seal) and hmac.compare_digest(record.seal, seal(record))


def chain_pending(using: str = DEFAULT_DB_ALIAS) -> int:
    """Links the committed records not yet in the chain, oldest first; returns how many it linked."""
    from .models import AuditRecord

    rows = AuditRecord._base_manager.using(using)  # the plain manager: linking is the one update allowed
    linked = 0
    while True:
        with transaction.atomic(using=using):
            connection = connections[using]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
            last = rows.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
            seq, previous = last or (0, GENESIS)
            pending = [r for r in rows.filter(seq__isnull=True).order_by("id")[:BATCH] if _sealed_by_us(r)]
            for record in pending:
                seq += 1
                record.seq, record.previous_hash = seq, previous
                record.hash = previous = digest(record)
                rows.filter(pk=record.pk, seq__isnull=True).update(
                    seq=record.seq, previous_hash=record.previous_hash, hash=record.hash
                )
        linked += len(pending)
        if len(pending) < BATCH:
            return linked


@dataclass
class Break:
    record_id: int
    problem: str  # one of verify_audit's PROBLEMS


def chain_breaks(records) -> tuple[int, list[Break]]:
    """Walks the chained records in seq order: (how many were checked, where the chain breaks)."""
    breaks, previous, checked = [], None, 0
    for record in records:
        checked += 1
        if previous is None:
            if record.previous_hash != GENESIS or record.seq != 1:
                breaks.append(Break(record.pk, "removed at start"))
        elif record.previous_hash != previous:
            breaks.append(Break(record.pk, "removed before"))
        if not hmac.compare_digest(record.hash, digest(record)) or (record.seal and not _sealed_by_us(record)):
            breaks.append(Break(record.pk, "edited"))
        previous = record.hash
    return checked, breaks


def unlinked_forgeries(using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """Records left out of the chain because their seal is not ours: written by someone without the key."""
    from .models import AuditRecord

    chain_pending(using=using)
    return [r.pk for r in AuditRecord._base_manager.using(using).filter(seq__isnull=True).order_by("id")]


# The newest link, signed, in a file outside the database: cutting records off the end of the chain shows.


@dataclass
class Checkpoint:
    seq: int
    hash: str
    written_at: str

    def _payload(self) -> bytes:
        return json.dumps([self.seq, self.hash, self.written_at], separators=(",", ":")).encode()

    def signature(self) -> str:
        return hmac.new(_key(), b"checkpoint|" + self._payload(), hashlib.sha256).hexdigest()


class CheckpointForged(Exception):
    pass


def checkpoint_dir() -> Path:
    return Path(settings.ZHUQI_AUDIT_CHECKPOINT_DIR)


def audit_checkpoint_write(using: str = DEFAULT_DB_ALIAS) -> Path | None:
    """The daily job: links what is pending and signs the chain's newest link into a file of its own."""
    from .models import AuditRecord

    chain_pending(using=using)
    last = AuditRecord._base_manager.using(using).filter(seq__isnull=False).order_by("-seq").first()
    if last is None:
        return None
    now = timezone.now().astimezone(datetime.UTC)
    point = Checkpoint(seq=last.seq, hash=last.hash, written_at=now.isoformat())
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"audit-checkpoint-{now:%Y%m%dT%H%M%S%f}-{last.seq}.json"
    path.write_text(json.dumps({**point.__dict__, "signature": point.signature()}, indent=1))
    return path


def checkpoint_latest() -> Checkpoint | None:
    """The checkpoint with the highest seq; one whose signature is not ours is refused loudly."""
    latest = None
    for path in sorted(checkpoint_dir().glob("audit-checkpoint-*.json")):
        data = json.loads(path.read_text())
        point = Checkpoint(seq=int(data["seq"]), hash=data["hash"], written_at=data["written_at"])
        if not hmac.compare_digest(str(data.get("signature", "")), point.signature()):
            raise CheckpointForged(path.name)
        if latest is None or point.seq > latest.seq:
            latest = point
    return latest
