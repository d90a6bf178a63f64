"""From the wire to readings: topics and payloads checked and parsed, points looked up by (credit code, point
code), and the MQTT ingester: a parsing stage and a store stage, writing in batches."""

import datetime
import logging
import math
import queue
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlparse

import orjson
from django.db import close_old_connections, connection
from django.urls import get_resolver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .housekeeping import partitions_ensure
from .models import MonitoringPoint
from .services import alarms_sweep, grouped_readings_store
from .storage import LastValues, ReadingsWriter

logger = logging.getLogger("zhuqi.monitoring")
TOPIC_PREFIX = "zhuqi"
MAX_PAYLOAD = 256 * 1024
MAX_READINGS_PER_MESSAGE = 5000


class Malformed(ValueError):
    pass


NUMBERS, LATEST, UTC = (int, float), 4102444800, datetime.UTC
fromtimestamp, isfinite = datetime.datetime.fromtimestamp, math.isfinite


def _time(raw) -> datetime.datetime:
    if isinstance(raw, bool):
        raise Malformed("time")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or not 0 < raw < LATEST:
            raise Malformed("time out of range")
        return datetime.datetime.fromtimestamp(raw, tz=datetime.UTC)
    if isinstance(raw, str):
        parsed = parse_datetime(raw)
        if parsed is None or parsed.tzinfo is None:
            raise Malformed("time must be ISO 8601 with a zone")
        return parsed
    raise Malformed("time")


def _value(raw) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        raise Malformed("value must be a finite number")
    return float(raw)


def parse_message(topic: str, payload: bytes) -> list[tuple[str, str, datetime.datetime, float]]:
    """zhuqi/<credit code>/<point code> with {"t", "v"} or a list of them; or zhuqi/<credit code> with several
    readings of one firm: a gateway's scan {"t", "v": {point code: value, ...}} (one time for all), or
    {"readings": [{"p", "t", "v"}, ...]}."""
    firm, readings = _parse(topic, payload)
    return [(firm, code, at, value) for code, at, value in readings]


def _parse(topic: str, payload: bytes) -> tuple[str, "list[tuple[str, datetime.datetime, float]] | Scan"]:
    parts = topic.split("/")
    if parts[0] != TOPIC_PREFIX or len(parts) not in (2, 3) or not all(parts[1:]):
        raise Malformed(f"topic {topic!r}")
    if len(payload) > MAX_PAYLOAD:
        raise Malformed("payload too large")
    try:
        data = orjson.loads(payload)  # also refuses invalid UTF-8
    except orjson.JSONDecodeError as error:
        raise Malformed("not JSON") from error
    if len(parts) == 3:
        items, code = (data if type(data) is list else [data]), parts[2]
    elif type(data) is dict and type(data.get("v")) is dict:
        return parts[1], _scan(data)
    else:
        items, code = (data.get("readings") if type(data) is dict else data), None
        if type(items) is not list:
            raise Malformed("readings must be a list")
    if len(items) > MAX_READINGS_PER_MESSAGE:
        raise Malformed("too many readings in one message")
    readings = []
    append = readings.append
    for item in items:
        if type(item) is not dict:
            raise Malformed("each reading needs a point, a time and a value")
        point = code or item.get("p")
        if type(point) is not str or not point:
            raise Malformed("each reading needs a point, a time and a value")
        t, v = item.get("t"), item.get("v")
        # the usual reading (epoch seconds, a finite number) checked inline; anything else by the full rules
        at = fromtimestamp(t, UTC) if type(t) in NUMBERS and 0 < t < LATEST else _time(t)
        if type(v) not in NUMBERS or not isfinite(v):
            v = _value(v)
        append((point, at, float(v)))
    return parts[1], readings


def _scan(data: dict) -> "Scan":
    """A gateway's scan: one time, a value per point code. Checked whole by type (JSON keys are strings, and
    orjson yields no NaN or infinity), not reading by reading."""
    t, values = data.get("t"), data["v"]
    if len(values) > MAX_READINGS_PER_MESSAGE:
        raise Malformed("too many readings in one message")
    at = fromtimestamp(t, UTC) if type(t) in NUMBERS and 0 < t < LATEST else _time(t)
    kinds = set(map(type, values.values()))
    if not kinds <= {float, int} or "" in values:
        raise Malformed("each reading needs a point, a time and a value")
    if int in kinds:
        values = {code: float(v) for code, v in values.items()}
    return Scan(at, values)


class Scan:
    __slots__ = ("at", "values")

    def __init__(self, at: datetime.datetime, values: dict[str, float]):
        self.at, self.values = at, values

    def __iter__(self):  # as the other forms: (point code, time, value)
        at = self.at
        return ((code, at, v) for code, v in self.values.items())


class PointDirectory:
    """credit code → point code → point id, reloaded when an unknown pair turns up (at most every few seconds)."""

    def __init__(self, reload_every: float = 5.0):
        self.firms, self.loaded_at, self.reload_every = {}, 0.0, reload_every

    def load(self):
        firms = {}
        rows = MonitoringPoint.objects.filter(is_active=True).values_list("enterprise__credit_code", "code", "pk")
        for firm, code, pk in rows:
            firms.setdefault(firm, {})[code] = pk
        self.firms, self.loaded_at = firms, time.monotonic()

    def resolve(self, firm: str, code: str) -> int | None:
        pk = self.firms.get(firm, {}).get(code)
        if pk is None and time.monotonic() - self.loaded_at > self.reload_every:
            self.load()
            pk = self.firms.get(firm, {}).get(code)
        return pk


@dataclass
class Counters:
    messages: int = 0
    readings: int = 0
    stored: int = 0
    duplicates: int = 0
    malformed: int = 0
    unknown_points: int = 0
    batches: int = 0
    errors: list = field(default_factory=list)


def readings_from(
    messages, directory: PointDirectory, counters: Counters
) -> tuple[dict[int, dict[datetime.datetime, float]], int]:
    """The messages' readings of known points grouped by point, {point id: {time: value}}; a reading sent twice
    is kept once (the first)."""
    by_point, received = {}, 0
    for topic, payload in messages:
        counters.messages += 1
        try:
            firm, readings = _parse(topic, payload)
        except Malformed as error:
            counters.malformed += 1
            logger.warning("malformed message on %s: %s", topic, error)
            continue
        known = directory.firms.get(firm, {})
        for code, at, value in readings:
            pk = known.get(code) or directory.resolve(firm, code)
            if pk is None:
                counters.unknown_points += 1
                continue
            received += 1
            times = by_point.get(pk)
            if times is None:
                by_point[pk] = {at: value}
            elif at not in times:
                times[at] = value
    counters.readings += received
    return by_point, received


def _broker(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 1883


def broker_credentials(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return unquote(parsed.username or ""), unquote(parsed.password or "")


class Ingester:
    """Subscribes to zhuqi/# at QoS 1 with a persistent session (a fixed client id, clean session off), so the
    broker keeps what arrives while we are away, and stores in batches. A message is acknowledged only once its
    batch is committed (or it was refused as malformed): a crash loses nothing, the broker sends again what was
    not acknowledged. At most `max_unacked` messages are in hand; past that the network thread stops reading
    (the broker holds the rest) until the store catches up, so a database that is down does not fill memory.

    Two stages: this thread parses what arrived while a store thread writes the batch before it, so parsing
    overlaps the database's work. The store thread also runs the sweep."""

    def __init__(self, url: str, *, client_id: str = "zhuqi-ingester", batch_size: int = 2000, flush_seconds: float = 0.05,
                 sweep_seconds: float = 15.0, retry_seconds: float = 1.0, max_unacked: int = 10000):  # fmt: skip
        import paho.mqtt.client as mqtt

        self.host, self.port = _broker(url)
        self.batch_size, self.flush_seconds, self.sweep_seconds = batch_size, flush_seconds, sweep_seconds
        self.retry_seconds, self.max_unacked = retry_seconds, max_unacked
        # pending: (topic, payload) as they came, and beside them what acknowledges each: (mid, qos, connection)
        self.pending, self.pending_acks, self.stop = [], [], threading.Event()
        self.room = threading.Condition()  # guards pending, pending_acks and unacked
        self.unacked, self.generation = 0, 0  # messages in hand, not yet acknowledged; connections made so far
        self.parsed: queue.Queue = queue.Queue(maxsize=4)  # parsed batches waiting for the store thread
        self.counters, self.directory, self.connected = Counters(), PointDirectory(), threading.Event()
        self.writer: ReadingsWriter | None = None
        self.last_values = LastValues()  # the points' last value written every few seconds, not every batch
        self.flush_again_at = 0.0  # after a failed write of the last values, not before the retry time
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False, protocol=mqtt.MQTTv311,
            manual_ack=True,
        )  # fmt: skip
        username, password = broker_credentials(url)
        if username:
            self.client.username_pw_set(username, password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *a: self.connected.clear()
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if not reason_code.is_failure:
            with self.room:
                # what came on an earlier connection is not acknowledged on this one: the broker sends it again
                self.generation += 1
            client.subscribe(f"{TOPIC_PREFIX}/#", qos=1)
            logger.info("connected to %s:%s", self.host, self.port)

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties):
        if not any(code.is_failure for code in reason_codes):
            self.connected.set()  # from here on the broker sends (or keeps) every reading for us

    def _on_message(self, client, userdata, message):
        """On the network thread: while too many messages are in hand it waits here, reading nothing more."""
        with self.room:
            while self.unacked >= self.max_unacked and not self.stop.is_set():
                self.room.wait(0.5)
            if self.stop.is_set():
                return  # not acknowledged: the broker keeps it for the next run
            self.unacked += 1
            self.pending.append((message.topic, message.payload))
            self.pending_acks.append((message.mid, message.qos, self.generation))

    def acknowledge(self, acks: list) -> None:
        """The messages of a committed batch: told to the broker, and room made for more."""
        with self.room:
            current = self.generation
            self.unacked -= len(acks)
            self.room.notify_all()
        for mid, qos, generation in acks:
            if qos and generation == current:
                self.client.ack(mid, qos)

    def parse_pending(self) -> int:
        """What arrived, parsed and handed to the store thread (which holds up this one while it is behind)."""
        with self.room:
            taken, self.pending = self.pending, []
            acks, self.pending_acks = self.pending_acks, []
        if not taken:
            return 0
        try:
            by_point, received = readings_from(taken, self.directory, self.counters)
        except Exception:  # the point directory could not be read: the messages wait for the next round
            with self.room:
                self.pending, self.pending_acks = taken + self.pending, acks + self.pending_acks
            raise
        writes = [self.writer.submit(by_point)] if self.writer is not None else []  # on their way to the table now
        self.parsed.put((by_point, received, writes, acks))
        return len(taken)

    def _store(self, batch: "Parsed") -> bool:
        """One batch, retried until the database takes it or the ingester stops: nothing parsed is dropped.
        A retry stores the readings itself (past those the writer did store). False: given up at shutdown,
        not acknowledged."""
        by_point, received, writes, _acks = batch
        written = (lambda: sum(write.result() for write in writes)) if writes else None
        while True:
            try:
                result = grouped_readings_store(
                    by_point, received=received, written=written, last_values=self.last_values
                )
            except Exception as error:
                logger.exception("batch failed")
                self.counters.errors.append(str(error))
                written = None
                if self.stop.wait(self.retry_seconds):
                    try:  # one last attempt on the way out
                        result = grouped_readings_store(by_point, received=received, last_values=self.last_values)
                    except Exception:
                        logger.exception(
                            "batch of %s readings given up at shutdown (the broker sends it again)", received
                        )
                        return False
                else:
                    close_old_connections()
                    continue
            self.counters.stored += result.stored
            self.counters.duplicates += result.duplicates
            self.counters.batches += 1
            return True

    def _take_parsed(self) -> tuple["Parsed", bool]:
        """Every parsed batch waiting, as one: when the store falls behind its batches grow, and the cost per
        batch (locking and saving the points) is paid once for all of them."""
        by_point, received, writes, acks = {}, 0, [], []
        try:
            batch = self.parsed.get(timeout=self.flush_seconds)
            while batch is not _DONE:
                more, count, write, ack = batch
                for pk, times in more.items():
                    have = by_point.get(pk)
                    by_point[pk] = times if have is None else times | have  # the earlier value wins
                received += count
                writes += write
                acks += ack
                batch = self.parsed.get_nowait()
            return (by_point, received, writes, acks), True
        except queue.Empty:
            return (by_point, received, writes, acks), False

    def _store_loop(self) -> None:
        last_sweep = time.monotonic()  # the first sweep after a full interval: points get a chance to report
        try:
            while True:
                batch, done = self._take_parsed()
                close_old_connections()
                if not batch[0] or self._store(batch):  # nothing to store (all malformed or unknown): handled
                    self.acknowledge(batch[3])
                if done:
                    return
                self._flush_last_values()
                if time.monotonic() - last_sweep > self.sweep_seconds:
                    try:
                        alarms_sweep(now=timezone.now())
                    except Exception as error:  # said in the log, tried again next time
                        logger.exception("sweep failed")
                        self.counters.errors.append(str(error))
                    last_sweep = time.monotonic()
        finally:
            self._flush_last_values(everything=True)
            if self.writer:
                self.writer.close()
            connection.close()

    def _flush_last_values(self, *, everything: bool = False) -> None:
        if not everything and time.monotonic() < self.flush_again_at:
            return
        try:
            self.last_values.flush(everything=everything)
        except Exception as error:  # held still: written with a later batch or a flush after the retry time
            logger.exception("writing the points' last values failed")
            self.counters.errors.append(str(error))
            self.flush_again_at = time.monotonic() + self.retry_seconds

    def run(self, *, seconds: float | None = None):
        self.writer = ReadingsWriter() if connection.vendor == "postgresql" else None  # SQLite: one writer at a time
        self.directory.load()
        partitions_ensure()
        _ = get_resolver().url_patterns  # the URLconf loaded now, not while the first alarm waits for its link
        store = threading.Thread(target=self._store_loop, name="zhuqi-store")
        store.start()
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        deadline = time.monotonic() + seconds if seconds else None
        try:
            while not self.stop.is_set() and (deadline is None or time.monotonic() < deadline):
                close_old_connections()
                try:
                    self.parse_pending()
                except Exception as error:  # never stop for one batch; it is logged and counted
                    logger.exception("parsing failed")
                    self.counters.errors.append(str(error))
                if len(self.pending) < self.batch_size:
                    self.stop.wait(self.flush_seconds)
            self.stop.set()  # nothing more taken in; what is in hand is stored and acknowledged
            with self.room:
                self.room.notify_all()
            self.parse_pending()
        finally:
            self.stop.set()
            self.parsed.put(_DONE)
            store.join()
            self.client.disconnect()  # after the last acknowledgements, on the same connection
            self.client.loop_stop()


_DONE = object()
# {point id: {time: value}}, readings received, the writer's futures for them, the messages' acknowledgements
Parsed = tuple[dict, int, list, list]
