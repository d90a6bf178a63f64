"""How a batch of readings reaches the database: the points' live state locked and read as plain rows, the
readings inserted, the new states written back. On PostgreSQL the hot path is binary COPY, straight into the
readings table while nothing in the batch is stored yet (the usual case); everywhere else the ORM."""

import contextlib
import datetime
import math
import random
import struct
import time

from django.db import close_old_connections, connection, transaction
from django.db.models import Q

from .evaluation import NORMAL
from .models import Alarm, AlarmStatus, MonitoringPoint, Reading

LIVE_FIELDS = ("state", "pending_level", "pending_since", "last_value", "last_at")
_COLUMNS = ("id", "enterprise_id", "name", "unit", "low_limit", "high_limit", "high_high_limit", "dead_band", "min_duration_seconds",
            "offline_after_seconds", *LIVE_FIELDS)  # fmt: skip


class Live:
    """A point as the evaluation sees it: limits and live state, without building a model per point per batch
    (an alarm raised needs only its id, firm, name and unit). `quiet_low` < value < `quiet_high` is the range in
    which a point at rest stays at rest."""

    __slots__ = (*_COLUMNS, "quiet_low", "quiet_high", "was")

    def __init__(self, row):
        (self.id, self.enterprise_id, self.name, self.unit, self.low_limit, self.high_limit, self.high_high_limit, self.dead_band,
         self.min_duration_seconds, self.offline_after_seconds, self.state, self.pending_level, self.pending_since, self.last_value,
         self.last_at) = row  # fmt: skip
        self.was = (self.state, self.pending_level, self.pending_since)
        self.quiet_low = -math.inf if self.low_limit is None else self.low_limit
        highs = [limit for limit in (self.high_limit, self.high_high_limit) if limit is not None]
        self.quiet_high = min(highs) if highs else math.inf

    def at_rest(self) -> bool:
        return self.state == NORMAL and not self.pending_level

    def moved(self) -> bool:
        return (self.state, self.pending_level, self.pending_since) != self.was


def points_lock(ids, last_values: "LastValues | None" = None) -> dict[int, "Live"]:
    """The active points among `ids`, locked for the batch in id order (two ingesters never deadlock), with the
    last values `last_values` holds back where they are newer than the table's."""
    points = _points_lock(sorted(ids))
    if last_values is not None:
        last_values.newest(points)
    return points


def _points_lock(ids: list) -> dict[int, "Live"]:
    if connection.vendor == "postgresql":
        import psycopg

        # binary results (a plain cursor: Django's client-side one cannot): no text parsing of the timestamps
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM monitoring_monitoringpoint "  # noqa: S608 -- column names are the constant above  # nosec B608
                "WHERE is_active AND id = ANY(%s::bigint[]) ORDER BY id FOR UPDATE",
                [_id_array(ids)],
                binary=True,
            )
            return {row[0]: Live(row) for row in cursor.fetchall()}
    rows = MonitoringPoint.objects.select_for_update().filter(pk__in=ids, is_active=True).order_by("pk")
    return {row[0]: Live(row) for row in rows.values_list(*_COLUMNS)}


def open_alarms_lock(point_ids) -> dict:
    """The points' open alarms (few: at most one per point), locked, by point id."""
    alarms = Alarm.objects.select_for_update().exclude(status=AlarmStatus.CLEARED).order_by("pk")
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:  # ANY(array): one parameter, not one per point
            cursor.execute(
                "SELECT id FROM monitoring_alarm WHERE status <> %s AND point_id = ANY(%s::bigint[])",
                [AlarmStatus.CLEARED.value, _id_array(point_ids)],
            )
            alarms = alarms.filter(pk__in=[pk for (pk,) in cursor.fetchall()])
    else:
        alarms = alarms.filter(point_id__in=list(point_ids))
    return {alarm.point_id: alarm for alarm in alarms}


class Inserted:
    stored = 0


class ReadingsWriter:
    """Readings stored on a connection of their own as soon as they are parsed, while earlier batches are
    evaluated on the other (the ingester, on PostgreSQL): the server's COPY never waits for the evaluation.
    The readings table is keyed by point and time and only ever appended to, so the two need not commit
    together: a batch's evaluation waits for its readings before it commits, and a batch whose evaluation
    failed is evaluated when it comes again (see readings_store)."""

    def __init__(self):
        from concurrent.futures import ThreadPoolExecutor

        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zhuqi-readings")

    def submit(self, by_point: dict):
        """A future of how many readings were new; `by_point` must not change until it is done."""
        return self.pool.submit(self._insert, by_point)

    @staticmethod
    def _insert(by_point: dict) -> int:
        close_old_connections()
        with transaction.atomic(), readings_inserting(by_point) as inserted:
            pass
        return inserted.stored

    def close(self) -> None:
        self.pool.submit(lambda: connection.close()).result()  # that thread's connection, not this one's
        self.pool.shutdown()


@contextlib.contextmanager
def readings_inserting(by_point: dict):
    """Insert {point id: {time: value}} while the caller's block runs; afterwards `.stored` says how many were
    new. On PostgreSQL the COPY is fed from a thread of the driver's, so the server stores while the block
    evaluates (the block must not use the connection); straight into the readings table while nothing in the
    batch is stored yet, the usual case, else past the duplicates."""
    inserted = Inserted()
    if connection.vendor != "postgresql":
        yield inserted
        inserted.stored = _insert_orm(by_point)
        return
    import psycopg
    from psycopg.copy import QueuedLibpqWriter

    raw, total = connection.connection, sum(map(len, by_point.values()))
    try:
        # a savepoint: a duplicate undoes only this attempt
        with (
            transaction.atomic(),
            raw.cursor() as cursor,
            cursor.copy(_COPY_SQL % "monitoring_reading", writer=QueuedLibpqWriter(cursor)) as copy,
        ):
            copy.write(_copy_data(by_point))
            yield inserted
        inserted.stored = total
    except psycopg.errors.UniqueViolation:
        inserted.stored = _insert_past_duplicates(by_point)


def _insert_orm(by_point: dict) -> int:
    rows = [(p, at, v) for p, readings in by_point.items() for at, v in readings.items()]
    if not rows:
        return 0
    times = [at for _p, at, _v in rows]
    there = set(
        Reading.objects.filter(point_id__in=list(by_point), at__gte=min(times), at__lte=max(times)).values_list(
            "point_id", "at"
        )
    )
    fresh = [Reading(point_id=p, at=at, value=v) for p, at, v in rows if (p, at) not in there]
    Reading.objects.bulk_create(fresh, batch_size=5000)
    return len(fresh)


_PG_EPOCH, _MICROSECOND = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), datetime.timedelta(microseconds=1)
_READING_ROW = struct.Struct(">hiqiqid").pack  # 3 fields: int8 point, timestamptz (µs since 2000), float8 value
_COPY_HEADER, _COPY_TRAILER = b"PGCOPY\n\xff\r\n\x00" + bytes(8), b"\xff\xff"


_COPY_SQL = "COPY %s (point_id, at, value) FROM STDIN (FORMAT BINARY)"


def _copy_data(by_point: dict) -> bytes:
    """The rows packed here, in the one binary row format we write: about four times cheaper than adapting
    every value through the driver."""
    rows, micros = [], {}  # a batch holds few distinct times (a scan's is shared by the firm's points)
    append = rows.append
    for p, readings in by_point.items():
        for at, v in readings.items():
            micro = micros.get(at)
            if micro is None:
                micro = micros[at] = (at - _PG_EPOCH) // _MICROSECOND
            append(_READING_ROW(3, 8, p, 8, micro, 8, v))
    return b"".join((_COPY_HEADER, *rows, _COPY_TRAILER))


def _insert_past_duplicates(by_point: dict) -> int:
    """Some readings are stored already (a sensor or the broker sent them again): COPY into a scratch table,
    then one INSERT … ON CONFLICT DO NOTHING; returns how many were new."""
    with connection.connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS reading_in (point_id bigint, at timestamptz, value float8) "
            "ON COMMIT DELETE ROWS"
        )
        with cursor.copy(_COPY_SQL % "reading_in") as copy:
            copy.write(_copy_data(by_point))
        cursor.execute(
            "INSERT INTO monitoring_reading (point_id, at, value) SELECT point_id, at, value FROM reading_in "
            "ON CONFLICT DO NOTHING"
        )
        stored = cursor.rowcount
        cursor.execute("TRUNCATE reading_in")
    return stored


def live_save(points: list[Live], last_values: "LastValues | None" = None) -> None:
    """The points' new live state: every change of state or pending level, and the last value and time of every
    point, or, given `last_values`, of those it does not hold back. On PostgreSQL the last values by one
    UPDATE … FROM unnest(arrays), the few whose state moved by the ORM."""
    if not points:
        return
    written = points if last_values is None else last_values.keep(points)
    if connection.vendor != "postgresql":
        moved, fields = written, LIVE_FIELDS  # every point whose state moved is among those written
    else:
        moved, fields = [p for p in points if p.moved()], ("state", "pending_level", "pending_since")
        _last_values_write([(p.id, p.last_value, p.last_at) for p in written])
    if moved:
        MonitoringPoint.objects.bulk_update(
            [MonitoringPoint(pk=p.id, **{name: getattr(p, name) for name in fields}) for p in moved],
            fields,
            batch_size=1000,
        )


def _last_values_write(rows: list[tuple[int, float, datetime.datetime]]) -> None:
    """(point id, value, time) rows; a row of the table with a reading as new or newer is left as it is."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        for pk, value, at in rows:
            MonitoringPoint.objects.filter(Q(last_at__isnull=True) | Q(last_at__lt=at), pk=pk).update(
                last_value=value, last_at=at
            )
        return
    # one statement over three arrays: a batch writes a few hundred rows, where a scratch table took four
    import psycopg

    ids, values, times = zip(*rows, strict=True)
    with psycopg.Cursor(connection.connection) as cursor:  # binary parameters: Django's client-side cursor cannot
        cursor.execute(
            "UPDATE monitoring_monitoringpoint AS p SET last_value = v.last_value, last_at = v.last_at "
            "FROM unnest(%s::bigint[], %s::float8[], %s::timestamptz[]) AS v (id, last_value, last_at) "
            "WHERE p.id = v.id AND (p.last_at IS NULL OR p.last_at < v.last_at)",
            [list(ids), list(values), list(times)],
            binary=True,
        )


class LastValues:
    """The ingester's hold on its points' last value and time: written to the points table at most every
    `every` seconds per point (and at most every quarter of the point's offline time), not with every batch —
    rewriting every point's row was most of a batch's fixed cost. A batch in which a point's state or pending
    level moves, or whose point is not at rest, writes its last value at once, as before; readings themselves
    are stored before their batch commits either way, so only this cached value lags, by at most that
    interval: the offline sweep, which reads `last_at`, marks a reporting point offline only after three
    quarters of its offline time without data, and the live screen is at most that interval behind. The
    batch's evaluation starts from what is held here where it is newer than the table (late readings stay late).
    What a batch changes here takes effect when it commits. `flush()` writes what fell due while its point sent
    nothing (the ingester calls it between batches) and everything at shutdown; a crash loses at most the
    interval of this cached value, never a reading or a change of state."""

    def __init__(self, every: float = 5.0, clock=time.monotonic):
        self.every, self.clock = every, clock
        self.held: dict[int, tuple[float, datetime.datetime]] = {}  # point id → (value, time) not yet written
        self.due: dict[int, float] = {}  # point id → when a batch next writes its row, on `clock`
        self.written_at: dict[int, float] = {}  # point id → when its row was last written
        self.interval: dict[int, float] = {}  # point id → its longest wait between writes

    def newest(self, points: dict[int, Live]) -> None:
        held = self.held
        for pk in held.keys() & points.keys() if len(held) < len(points) else points.keys() & held.keys():
            point, (value, at) = points[pk], held[pk]
            if point.last_at is None or at > point.last_at:
                point.last_value, point.last_at = value, at

    def keep(self, points: list[Live]) -> list[Live]:
        """The points whose last value is written with this batch; the rest are held (once it commits)."""
        now, due = self.clock(), self.due
        written, held = [], []
        for point in points:
            when = due.get(point.id)
            if when is None or when <= now or point.moved() or not point.at_rest():
                written.append(point)
            else:
                held.append((point.id, point.last_value, point.last_at))
        transaction.on_commit(lambda: self._committed(written, held, now))
        return written

    def _committed(self, written: list[Live], held: list, now: float) -> None:
        for point in written:
            self.held.pop(point.id, None)
            self.interval[point.id] = min(self.every, point.offline_after_seconds / 4)
            self._written(point.id, now)
        for pk, value, at in held:
            self.held[pk] = (value, at)

    def _written(self, pk: int, now: float) -> None:
        # a random share of the interval: points first written together fall due in different batches
        self.due[pk] = now + self.interval[pk] * random.uniform(0.5, 1.0)  # noqa: S311  # nosec B311 -- not a secret
        self.written_at[pk] = now

    def flush(self, *, everything: bool = False) -> int:
        """What is held for its whole interval (or, at shutdown, all of it), in a transaction of its own; how
        many points. A point still reporting is written by a batch before that, at its `due` time."""
        now, written_at, interval = self.clock(), self.written_at, self.interval
        rows = [
            (pk, value, at)
            for pk, (value, at) in self.held.items()
            if everything or written_at[pk] + interval[pk] <= now
        ]
        if rows:
            with transaction.atomic():
                _last_values_write(rows)
            for pk, _value, _at in rows:
                del self.held[pk]
                self._written(pk, now)
        return len(rows)


def _id_array(ids) -> str:
    """A PostgreSQL array literal: one text parameter, where the driver would adapt a list item by item."""
    return "{" + ",".join(map(str, ids)) + "}"
