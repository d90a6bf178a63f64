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
from django.db.models import NOT_PROVIDED

from .crypto import blind_index, encrypt
from .fields import BlindIndexField

_EMPTY_JSON = {list: "[]", dict: "{}", str: '""', type(None): "null"}


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert plain tuples, in `fields` order, into the model's table."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=2000)
        return
    meta = model._meta
    # the fields left out get their model default, as bulk_create gives them (COPY knows no Python defaults, and a
    # field added later with one, NOT NULL in the table, would otherwise fail every import that does not name it)
    given = set(fields)
    omitted = [
        f for f in meta.concrete_fields
        if not ({f.name, f.attname} & given or f.primary_key or f.generated or isinstance(f, BlindIndexField))
        and f.db_default is NOT_PROVIDED  # the database fills those itself
        and f.get_default() is not None
    ]  # fmt: skip
    defaults = tuple(f.get_default() for f in omitted)
    # personal data: encrypted as the model would (core.fields), with the keyed hash of each such field added
    hashed = [f for f in meta.concrete_fields if isinstance(f, BlindIndexField) and f.source in fields]
    fields = [*fields, *(f.name for f in omitted), *(f.name for f in hashed)]
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
            if defaults:
                row = (*row, *defaults)
            if hashed:
                row = (*row, *(blind_index(row[i] or "") for i in sources))
            if encrypted:
                row = [encrypt(v) if i in encrypted and v else v for i, v in enumerate(row)]
            if json_positions:
                row = list(row)
                for i in json_positions:
                    row[i] = _EMPTY_JSON.get(type(row[i])) if not row[i] else json.dumps(row[i], ensure_ascii=False)
            copy.write_row(row)


@contextmanager
def cycle_collection_paused():
    """Pauses Python's cyclic garbage collector while a bulk job builds ~10^5 small objects.

    Those objects hold no reference cycles, yet every few hundred allocations the collector rescans all of
    them: at 100,000 ledger rows that was a quarter of the import's time. Reference counting still frees
    everything; collection resumes (and catches up) when the block ends. The pause is process-wide, which is
    why it is kept to the span of one bulk job."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
