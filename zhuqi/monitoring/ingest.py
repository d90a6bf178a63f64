"""From the wire to readings: topics and payloads checked and parsed, points looked up by (credit code, point
code), and the MQTT loop that stores in batches and acknowledges a message only once it is stored."""

import datetime
import json
import logging
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.db import close_old_connections
from django.urls import get_resolver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .housekeeping import partitions_ensure
from .models import MonitoringPoint
from .services import alarms_sweep, readings_store

logger = logging.getLogger("zhuqi.monitoring")
TOPIC_PREFIX = "zhuqi"
MAX_PAYLOAD = 256 * 1024
MAX_READINGS_PER_MESSAGE = 5000


class Malformed(ValueError):
    pass


def _time(raw) -> datetime.datetime:
    if isinstance(raw, bool):
        raise Malformed("time")
    if isinstance(raw, int | float):
        if not math.isfinite(raw) or not 0 < raw < 4102444800:
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
    """zhuqi/<credit code>/<point code> with {"t", "v"} or a list of them; or zhuqi/<credit code> with
    {"readings": [{"p", "t", "v"}, ...]} — several readings of one firm in one message."""
    parts = topic.split("/")
    if parts[0] != TOPIC_PREFIX or len(parts) not in (2, 3) or not all(parts[1:]):
        raise Malformed(f"topic {topic!r}")
    if len(payload) > MAX_PAYLOAD:
        raise Malformed("payload too large")
    try:
        data = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Malformed("not JSON") from error
    firm = parts[1]
    if len(parts) == 3:
        items = data if isinstance(data, list) else [data]
        entries = [(parts[2], item) for item in items]
    else:
        items = data.get("readings") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise Malformed("readings must be a list")
        entries = [(item.get("p") if isinstance(item, dict) else None, item) for item in items]
    if len(entries) > MAX_READINGS_PER_MESSAGE:
        raise Malformed("too many readings in one message")
    readings = []
    for point, item in entries:
        if not isinstance(item, dict) or not isinstance(point, str) or not point:
            raise Malformed("each reading needs a point, a time and a value")
        readings.append((firm, point, _time(item.get("t")), _value(item.get("v"))))
    return readings


class PointDirectory:
    """(credit code, point code) → point id, reloaded when an unknown pair turns up (at most every few seconds)."""

    def __init__(self, reload_every: float = 5.0):
        self.ids, self.loaded_at, self.reload_every = {}, 0.0, reload_every

    def load(self):
        rows = MonitoringPoint.objects.filter(is_active=True).values_list("enterprise__credit_code", "code", "pk")
        self.ids = {(firm, code): pk for firm, code, pk in rows}
        self.loaded_at = time.monotonic()

    def resolve(self, firm: str, code: str) -> int | None:
        pk = self.ids.get((firm, code))
        if pk is None and time.monotonic() - self.loaded_at > self.reload_every:
            self.load()
            pk = self.ids.get((firm, code))
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


def rows_from(messages, directory: PointDirectory, counters: Counters) -> list[tuple[int, datetime.datetime, float]]:
    rows = []
    for topic, payload in messages:
        counters.messages += 1
        try:
            parsed = parse_message(topic, payload)
        except Malformed as error:
            counters.malformed += 1
            logger.warning("malformed message on %s: %s", topic, error)
            continue
        for firm, code, at, value in parsed:
            pk = directory.resolve(firm, code)
            if pk is None:
                counters.unknown_points += 1
                continue
            rows.append((pk, at, value))
    counters.readings += len(rows)
    return rows


def _broker(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 1883


class Ingester:
    """Subscribes to zhuqi/# at QoS 1 with a persistent session, so the broker keeps what arrives while we are
    away (and across its own restart), and stores in batches. Messages are acknowledged on receipt: the broker
    lets only a handful of unacknowledged messages through at a time (Mosquitto: 20), which would cap a
    store-then-acknowledge loop far below the sensors' rate; what an ingester crash can lose is the batch in hand
    (under a second of data), and a batch the database refuses is kept and retried."""

    def __init__(self, url: str, *, client_id: str = "zhuqi-ingester", batch_size: int = 2000, flush_seconds: float = 0.5,
                 sweep_seconds: float = 15.0):  # fmt: skip
        import paho.mqtt.client as mqtt

        self.host, self.port = _broker(url)
        self.batch_size, self.flush_seconds, self.sweep_seconds = batch_size, flush_seconds, sweep_seconds
        self.pending, self.lock, self.stop = [], threading.Lock(), threading.Event()  # pending: (topic, payload)
        self.counters, self.directory, self.connected = Counters(), PointDirectory(), threading.Event()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False,
            protocol=mqtt.MQTTv311,
        )  # fmt: skip
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *a: self.connected.clear()
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if not reason_code.is_failure:
            client.subscribe(f"{TOPIC_PREFIX}/#", qos=1)
            self.connected.set()
            logger.info("connected to %s:%s", self.host, self.port)

    def _on_message(self, client, userdata, message):
        with self.lock:
            self.pending.append((message.topic, message.payload))

    def flush(self) -> int:
        with self.lock:
            taken, self.pending = self.pending, []
        if not taken:
            return 0
        try:
            rows = rows_from(taken, self.directory, self.counters)
            result = readings_store(rows)
        except Exception:
            with self.lock:
                self.pending = taken + self.pending
            raise
        self.counters.stored += result.stored
        self.counters.duplicates += result.duplicates
        self.counters.batches += 1
        return len(taken)

    def run(self, *, seconds: float | None = None):
        self.directory.load()
        partitions_ensure()
        _ = get_resolver().url_patterns  # the URLconf loaded now, not while the first alarm waits for its link
        self.client.connect_async(self.host, self.port, keepalive=30)
        self.client.loop_start()
        deadline = time.monotonic() + seconds if seconds else None
        last_sweep = time.monotonic()  # the first sweep after a full interval: points get a chance to report
        try:
            while not self.stop.is_set() and (deadline is None or time.monotonic() < deadline):
                close_old_connections()
                try:
                    self.flush()
                    if time.monotonic() - last_sweep > self.sweep_seconds:
                        alarms_sweep(now=timezone.now())
                        last_sweep = time.monotonic()
                except Exception as error:  # a bad batch must not stop the ingester; its messages are not acked
                    logger.exception("batch failed")
                    self.counters.errors.append(str(error))
                if len(self.pending) < self.batch_size:
                    self.stop.wait(self.flush_seconds)
            self.flush()
        finally:
            self.client.loop_stop()
            self.client.disconnect()
