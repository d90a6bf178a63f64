"""Bulk writes for imports of tens of thousands of rows.

On PostgreSQL, rows go through COPY, which skips the per-object work that bulk_create does in Python
(building model instances, preparing every value); that work costs more than the database does. Rows may
come from a generator, which COPY consumes as it streams. Callers run inside a transaction, so a failure
leaves nothing behind."""

import gc
import json
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection

from .crypto import blind_index, encrypt
from .fields import BlindIndexField

_EMPTY_JSON = {list: "[]", dict: "{}", str: '""', type(None): "null"}


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert plain tuples, in `fields` order, into the model's table."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000)
        return
    meta = model._meta
    # personal data: encrypted as the model would (core.fields), with the keyed hash of each such field added
    hashed = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField) and f.source in fields]
    fields = [*fields, *(f.name for f in hashed)]
    sources = [fields.index(f.source) for f in hashed]
    encrypted = [i for i, name in enumerate(fields) if getattr(meta.get_field(name), "encrypts", False)]
    columns = [meta.get_field(name).column for name in fields]
    json_positions = [i for i, name in enumerate(fields) if meta.get_field(name).get_internal_type() == "JSONField"]
    column_list = ", ".join(f'"{c}"' for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{meta.db_table}" ({column_list}) FROM STDIN') as copy,
    ):
        for row in rows:
            if hashed:
                row = (*row, *(blind_index(row[i] or "") for i in sources))
            if encrypted:
                row = [encrypt(v) if i in encrypted and v else v for i, v in enumerate(row)]
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = _EMPTY_JSON.get(type(row[i])) if not row[i] else json.dumps(row[i], ensure_ascii=False)
            copy.write_row(row)


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
