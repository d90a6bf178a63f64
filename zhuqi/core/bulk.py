"""Bulk writes for imports of tens of thousands of rows.

On PostgreSQL, rows go through COPY, which skips the per-object work that bulk_create does in Python
(building model instances, preparing every value); that work costs more than the database does. Rows may
come from a generator, which COPY consumes as it streams. Callers run inside a transaction, so a failure
leaves nothing behind."""

import gc
from collections.abc import Iterable
from contextlib import contextmanager

import orjson
from django.db import connection
from django.db.models import NOT_PROVIDED
from psycopg.copy import QueuedLibpqWriter

from .crypto import blind_index, encrypt
from .fields import BlindIndexField


def insert_rows(model, fields: list[str], rows: Iterable[tuple], constants: dict | None = None) -> None:
    """Insert plain tuples, in `fields` order, into the model's table; `constants` gives the fields that have the
    same value in every row (written out once, not once a row)."""
    constants = constants or {}
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True)), **constants) for row in rows], batch_size=2000
        )
        return
    meta = model._meta
    for name in constants:
        if isinstance(meta.get_field(name), BlindIndexField) or getattr(meta.get_field(name), "encrypts", False):
            raise ValueError(f"{name}: personal data is written row by row")
    # the fields left out get their model default, as bulk_create gives them (COPY knows no Python defaults, and a
    # field added later with one, NOT NULL in the table, would otherwise fail every import that does not name it)
    given = {*fields, *constants}
    omitted = [
        f for f in meta.concrete_fields
        if not ({f.name, f.attname} & given or f.primary_key or f.generated or isinstance(f, BlindIndexField))
        and f.db_default is NOT_PROVIDED  # the database fills those itself
        and f.get_default() is not None
    ]  # fmt: skip
    constants = {**{f.name: f.get_default() for f in omitted}, **constants}
    # personal data: encrypted as the model would (core.fields), with the keyed hash of each such field added
    hashed = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField) and f.source in fields]
    fields = [*fields, *(f.name for f in hashed)]
    sources = [fields.index(f.source) for f in hashed]
    encrypted = [i for i, name in enumerate(fields) if getattr(meta.get_field(name), "encrypts", False)]
    suffix = "".join("\t" + _converter(meta.get_field(name))(value) for name, value in constants.items())
    columns = [meta.get_field(name).column for name in [*fields, *constants]]
    column_list = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor:
        raw = cursor.cursor
        # the queued writer sends from its own thread: the database ingests (and indexes) one batch while this
        # thread builds the next, instead of each waiting for the other
        writer = QueuedLibpqWriter(raw)
        with raw.copy(f'COPY "{meta.db_table}" ({column_list}) FROM STDIN', writer=writer) as copy:
            _copy_rows(copy, rows, [meta.get_field(name) for name in fields], hashed, sources, encrypted, suffix)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_EMPTY_JSON = {list: "[]", dict: "{}", str: '""', type(None): "null"}
_BATCH = 4000


def _text(value) -> str:
    if value is None:
        return "\\N"
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def _number(value) -> str:
    return "\\N" if value is None else str(value)


def _boolean(value) -> str:
    return "\\N" if value is None else ("t" if value else "f")


def _json(value) -> str:
    if not value and type(value) in _EMPTY_JSON:
        return _EMPTY_JSON[type(value)]
    # orjson: a tenth of the standard library's time, on rows of tens of thousands (its NaN becomes null, which
    # PostgreSQL accepts, where json's NaN is refused)
    return _text(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode())


def _datetimes():
    seen = {}

    def convert(value) -> str:
        if value is None:
            return "\\N"
        text = seen.get(value)
        if text is None:
            text = seen[value] = value.isoformat()
        return text

    return convert


def _anything(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return _boolean(value)
    return _text(str(value))


def _converter(field):
    kind = field.get_internal_type()
    if kind == "JSONField":
        return _json
    if kind in ("CharField", "TextField", "SlugField", "EmailField", "URLField") or getattr(field, "encrypts", False):
        return _text
    if kind.endswith(("IntegerField", "AutoField")) or kind in ("ForeignKey", "OneToOneField"):
        return _number
    if kind == "BooleanField":
        return _boolean
    if kind == "DateTimeField":
        return _datetimes()
    return _anything


def _copy_rows(copy, rows, fields, hashed, sources, encrypted, suffix) -> None:
    """Rows sent as COPY text, one write per few thousand rows, each column turned into text by a converter
    chosen once for its field: psycopg's adaptation of every value of every row cost more than the database's
    own work."""
    converters = [_converter(field) for field in fields]
    lines = []
    for row in rows:
        if hashed or encrypted:
            row = [*row, *(blind_index(row[i] or "") for i in sources)]
            for i in encrypted:
                if row[i]:
                    row[i] = encrypt(row[i])
        lines.append("\t".join([convert(v) for convert, v in zip(converters, row, strict=True)]) + suffix)
        if len(lines) == _BATCH:
            lines.append("")
            copy.write("\n".join(lines))
            lines = []
    if lines:
        lines.append("")
        copy.write("\n".join(lines))


_WORKER_PROCESS = False


def mark_worker_process() -> None:
    """Called once by a process that serves no requests (the task worker, a management command, the benchmark):
    only there may a bulk job pause the cyclic garbage collector."""
    global _WORKER_PROCESS
    _WORKER_PROCESS = True


@contextmanager
def cycle_collection_paused():
    """Pauses Python's cyclic garbage collector while a bulk job builds ~10^5 small objects, in a worker process.

    Those objects hold no reference cycles, yet every few hundred allocations the collector rescans all of
    them: at 100,000 ledger rows that was a quarter of the import's time. Reference counting still frees
    everything; collection resumes (and catches up) when the block ends. The pause is process-wide, so a process
    that serves requests (whose other threads would pile up garbage meanwhile) never pauses: the worker says
    what it is with mark_worker_process()."""
    if not _WORKER_PROCESS:
        yield
        return
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
