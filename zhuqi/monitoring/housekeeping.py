"""Keeping the readings tables in shape: day partitions ahead of time (PostgreSQL), minute and hour summaries
computed in SQL, and readings past their keeping period dropped — whole partitions where there are some."""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Avg, Count, F, Max, Min, Sum
from django.db.models.functions import TruncHour, TruncMinute
from django.utils import timezone

from .models import Reading, ReadingHour, ReadingMinute

PARTITION = "monitoring_reading_p{:%Y%m%d}"
REROLL = datetime.timedelta(minutes=10)  # late readings within this window still reach their summaries


def _is_partitioned() -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
                       "WHERE c.relname = 'monitoring_reading'")  # fmt: skip
        return cursor.fetchone() is not None


def _partitions() -> dict[datetime.date, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'monitoring_reading'"
        )
        names = [row[0] for row in cursor.fetchall()]
    days = {}
    for name in names:
        stamp = name.rsplit("_p", 1)[-1]
        if stamp.isdigit() and len(stamp) == 8:
            days[datetime.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))] = name
    return days


def partitions_ensure(*, today: datetime.date | None = None, ahead: int = 3) -> int:
    """A partition for each day from yesterday to `ahead` days on; rows that went to the default partition
    meanwhile move into their day's partition as it is attached."""
    if not _is_partitioned():
        return 0
    today = today or timezone.now().date()
    have, made = _partitions(), 0
    for offset in range(-1, ahead + 1):
        day = today + datetime.timedelta(days=offset)
        if day in have:
            continue
        name = PARTITION.format(day)
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
        end = start + datetime.timedelta(days=1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE TABLE "{name}" (LIKE monitoring_reading INCLUDING DEFAULTS)')
            # the partition name is built from a date alone: nothing from outside reaches the statement
            cursor.execute(
                "WITH moved AS (DELETE FROM monitoring_reading_default WHERE at >= %s AND at < %s RETURNING *) "  # noqa: S608  # nosec B608
                f'INSERT INTO "{name}" SELECT * FROM moved',
                [start, end],
            )
            cursor.execute(
                f'ALTER TABLE monitoring_reading ATTACH PARTITION "{name}" FOR VALUES FROM (%s) TO (%s)', [start, end]
            )
        made += 1
    return made


def summaries_roll_up(*, now: datetime.datetime | None = None) -> int:
    """Minute summaries of the readings, hour summaries of the minutes — each a GROUP BY in the database, from
    a little before the last summary on, so late readings are counted too."""
    now = now or timezone.now()
    last = ReadingMinute.objects.aggregate(last=Max("bucket"))["last"]
    since = (last - REROLL) if last else Reading.objects.aggregate(first=Min("at"))["first"]
    if since is None:
        return 0
    until = now.replace(second=0, microsecond=0)
    minutes = (
        Reading.objects.filter(at__gte=since, at__lt=until)
        .annotate(bucket=TruncMinute("at"))
        .values("point_id", "bucket")
        .annotate(avg=Avg("value"), low=Min("value"), high=Max("value"), n=Count("value"))
        .order_by()
    )
    rows = [ReadingMinute(**m) for m in minutes]
    fields = ["avg", "low", "high", "n"]
    ReadingMinute.objects.bulk_create(rows, update_conflicts=True, unique_fields=["point", "bucket"], update_fields=fields, batch_size=2000)  # fmt: skip
    hour_since = since.replace(minute=0, second=0, microsecond=0)
    hours = (
        ReadingMinute.objects.filter(bucket__gte=hour_since, bucket__lt=until)
        .annotate(hour=TruncHour("bucket"))
        .values("point_id", "hour")
        .annotate(total=Sum(F("avg") * F("n")), low=Min("low"), high=Max("high"), n=Sum("n"))
        .order_by()
    )
    ReadingHour.objects.bulk_create(
        [ReadingHour(point_id=h["point_id"], bucket=h["hour"], avg=h["total"] / h["n"], low=h["low"], high=h["high"],
                     n=h["n"]) for h in hours],
        update_conflicts=True, unique_fields=["point", "bucket"], update_fields=fields, batch_size=2000,
    )  # fmt: skip
    return len(rows)


def readings_purge(*, now: datetime.datetime | None = None) -> dict:
    """Raw readings past ZHUQI_READINGS_KEEP_DAYS (whole day partitions on PostgreSQL), minute summaries past
    ZHUQI_READING_MINUTES_KEEP_DAYS; hour summaries stay."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.ZHUQI_READINGS_KEEP_DAYS)
    dropped = 0
    if _is_partitioned():
        for day, name in sorted(_partitions().items()):
            if (
                datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=datetime.UTC)
                <= cutoff
            ):
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP TABLE "{name}"')
                dropped += 1
    deleted, _ = Reading.objects.filter(at__lt=cutoff).delete()
    minute_cutoff = now - datetime.timedelta(days=settings.ZHUQI_READING_MINUTES_KEEP_DAYS)
    minutes, _ = ReadingMinute.objects.filter(bucket__lt=minute_cutoff).delete()
    return {"partitions_dropped": dropped, "readings_deleted": deleted, "minutes_deleted": minutes}


def housekeeping(*, now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    return {
        "partitions_made": partitions_ensure(today=now.date()),
        "minutes": summaries_roll_up(now=now),
        **readings_purge(now=now),
    }
