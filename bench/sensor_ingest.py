"""BENCH sensor_ingest <readings/s> readings/s floor=<transport ceiling> peer=<one ORM insert per reading>

5,000 monitoring points at 100 firms publish through the real broker (a Mosquitto of the bench's own), each
firm's gateway one scan of its 50 points per second and message at QoS 1 (200 rounds by default: a million
readings, long enough that the pipeline's start and end do not decide the figure), into PostgreSQL with alarm
evaluation by the real ingester. Beside it, in the same run: the transport ceiling (a client that receives the same messages and discards them), the storage floor
(PostgreSQL COPY of the same rows, printed on its own line) and one ORM insert per reading."""

import json
import os
import random
import shutil
import subprocess
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
from django.db import connection

from zhuqi.enterprises.credit_code import make_credit_code
from zhuqi.enterprises.models import Enterprise
from zhuqi.monitoring.housekeeping import partitions_ensure
from zhuqi.monitoring.ingest import Ingester, _broker
from zhuqi.monitoring.models import ALARM_KIND, Alarm, MonitoringPoint, Quantity, Reading
from zhuqi.org.models import Department, Park


def alarm_category_ensure():
    from zhuqi.cases.models import Category
    from zhuqi.monitoring.services import ALARM_CATEGORY

    department = Department.objects.get_or_create(name="应急管理局")[0]
    Category.objects.get_or_create(
        kind=ALARM_KIND, name=ALARM_CATEGORY, defaults={"department": department, "routes_directly": True}
    )


FIRMS, PER_FIRM = 100, 50


def _firms() -> list[Enterprise]:
    firms = list(Enterprise.objects.order_by("pk")[:FIRMS])
    park = Park.objects.first() or Park.objects.create(name="基准测试园区")
    for n in range(len(firms), FIRMS):
        code = make_credit_code(authority="9", kind="1", division="410471", organisation8=f"MB{n:06d}")
        firms.append(Enterprise.objects.create(name=f"基准测试企业{n}", credit_code=code, park=park, is_demo=True))
    return firms


def _forget_alarms(ids: list[int]) -> None:
    """The scratch database's bench alarms go (alarm history is append-only everywhere else)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM monitoring_alarmevent WHERE alarm_id IN (SELECT id FROM monitoring_alarm WHERE point_id = ANY(%s))",
            [ids],
        )
        cursor.execute("DELETE FROM monitoring_alarm WHERE point_id = ANY(%s)", [ids])


def _reset(points: list[MonitoringPoint], since: float) -> None:
    """Back to a running zone: every point online, last heard from just before the run."""
    import datetime

    ids = [p.pk for p in points]
    _forget_alarms(ids)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_reading")
    MonitoringPoint.objects.filter(pk__in=ids).update(
        state="normal", pending_level="", pending_since=None, last_value=50,
        last_at=datetime.datetime.fromtimestamp(since - 1, tz=datetime.UTC),
    )  # fmt: skip
    with connection.cursor() as cursor:  # every batch updates every point: the last run's dead rows go
        cursor.execute("VACUUM ANALYZE monitoring_monitoringpoint")


BENCH_INGESTER, BENCH_SENSORS = ("zhuqi-ingester", "bench-ingester-secret"), ("bench-sensors", "bench-sensors-secret")


class Broker:
    """A Mosquitto of the bench's own with the configuration production runs (deploy/mosquitto/zhuqi.conf:
    accounts and ACL, persistence, 1,000,000 queued and 10,000 in flight per client), its files written by
    mosquitto_config's code; the sensors publish with one account allowed to write for every firm."""

    def __init__(self, workdir: Path):
        import socket

        from django.conf import settings

        from zhuqi.monitoring.broker import files_write

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        settings.ZHUQI_MQTT_URL = "mqtt://{}:{}@127.0.0.1:{}".format(*BENCH_INGESTER, self.port)
        settings.ZHUQI_MQTT_SIMULATOR_URL = "mqtt://{}:{}@127.0.0.1:{}".format(*BENCH_SENSORS, self.port)
        directory = workdir / "mosquitto-bench"
        shutil.rmtree(directory, ignore_errors=True)  # no queues left from an earlier run
        *_files, config = files_write(directory, config=True, port=self.port)
        mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
        # the broker binary with the config written above: no outside input reaches the command line
        self.process = subprocess.Popen(
            [mosquitto, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )  # noqa: S603
        time.sleep(1)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def subscriber(host, port, client_id, **options) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, **options)
    client.username_pw_set(*BENCH_INGESTER)
    return client


def listening(host, port, client_id, on_message) -> mqtt.Client:
    """A throwaway subscriber to every zhuqi topic (QoS 1), connected and running, given time to subscribe."""
    client = subscriber(host, port, client_id, clean_session=True)
    client.on_message = on_message
    client.on_connect = lambda c, *a: c.subscribe("zhuqi/#", qos=1)
    client.connect(host, port)
    client.loop_start()
    time.sleep(0.5)
    return client


def session_forget(host, port, client_id) -> None:
    """A persistent session the bench is done with, dropped: the broker would queue the next runs' messages for it."""
    client = subscriber(host, port, client_id, clean_session=True)
    client.connect(host, port)
    client.disconnect()


def _setup() -> tuple[list[MonitoringPoint], dict]:
    firms = _firms()
    old = list(MonitoringPoint.objects.filter(code__startswith="BENCH-").values_list("pk", flat=True))
    _forget_alarms(old)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE monitoring_reading")
    MonitoringPoint.objects.filter(pk__in=old).delete()
    MonitoringPoint.objects.bulk_create(
        MonitoringPoint(
            enterprise=firm,
            code=f"BENCH-{n:02d}",
            name=f"基准监测点{n}",
            quantity=Quantity.TANK_PRESSURE,
            unit="MPa",
            high_limit=80,
            high_high_limit=90,
            dead_band=1,
            min_duration_seconds=0,
        )  # fmt: skip
        for firm in firms
        for n in range(PER_FIRM)
    )
    points = list(MonitoringPoint.objects.filter(code__startswith="BENCH-").select_related("enterprise"))
    return points, {f.pk: f.credit_code for f in firms}


def _messages(points, codes, rounds: int, base: float) -> tuple[list[tuple[str, bytes]], list[tuple]]:
    rng = random.Random(6)
    by_firm = {}
    for p in points:
        by_firm.setdefault(p.enterprise_id, []).append(p)
    messages, rows = [], []
    for r in range(rounds):
        t = base + r
        for firm, firm_points in by_firm.items():
            scan = {}
            for p in firm_points:
                value = round(rng.uniform(85, 88) if rng.random() < 0.0002 else rng.uniform(40, 60), 3)
                scan[p.code] = value
                rows.append((p.pk, t, value))
            messages.append((f"zhuqi/{codes[firm]}", json.dumps({"t": t, "v": scan}).encode()))
    return messages, rows


class Sensors:
    """The sensors publish from a process of their own (bench/mqtt_publish.py). Its run is timed from its start
    to the last message received (or stored), not to its exit: the publisher's own wait for its last
    acknowledgements sometimes takes a second more and says nothing about the transport or the ingester."""

    def __init__(self, host, port, messages):
        import tempfile

        with tempfile.NamedTemporaryFile("wb", suffix=".mqtt", delete=False) as f:
            for topic, payload in messages:
                f.write(topic.encode() + b"\t" + payload + b"\n")
        self.path, self.host, self.port = Path(f.name), host, port

    def start(self):
        import sys

        # this interpreter running the bench's own publisher on a file written just above
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.mqtt_publish", str(self.path), self.host, str(self.port)],
            env={**os.environ, "BENCH_MQTT_USER": BENCH_SENSORS[0], "BENCH_MQTT_PASSWORD": BENCH_SENSORS[1]},
        )  # noqa: S603
        return time.perf_counter()

    def finish(self):
        if self.process.wait(120):
            raise RuntimeError("the publisher failed")
        self.path.unlink()


def _ceiling(host, port, messages, readings: int) -> float:
    got, done = [0], threading.Event()

    def on_message(client, userdata, message):
        got[0] += 1
        if got[0] == len(messages):
            done.set()

    sub = listening(host, port, "bench-discard", on_message)
    sensors = Sensors(host, port, messages)
    started = sensors.start()
    done.wait(120)
    elapsed = time.perf_counter() - started
    sensors.finish()
    sub.loop_stop()
    sub.disconnect()
    return readings / elapsed


def _ingest(url, host, port, messages, readings: int) -> float:
    url = url.replace("mqtt://", "mqtt://{}:{}@".format(*BENCH_INGESTER))
    client_id = f"bench-ingester-{time.monotonic_ns()}"
    ingester = Ingester(url, client_id=client_id)  # as ingest_mqtt runs it
    runner = threading.Thread(target=ingester.run, kwargs={"seconds": 300})
    runner.start()
    ingester.connected.wait(10)
    time.sleep(0.5)
    sensors = Sensors(host, port, messages)
    started = sensors.start()
    while ingester.counters.stored + ingester.counters.duplicates < readings and time.perf_counter() - started < 300:
        time.sleep(0.02)
    elapsed = time.perf_counter() - started
    sensors.finish()
    ingester.stop.set()
    runner.join(30)
    session_forget(host, port, client_id)
    return readings / elapsed


def _copy_floor(rows) -> float:
    """The rows by the binary COPY production uses (storage.py's packing and statement), nothing else."""
    import datetime

    from zhuqi.monitoring.storage import _COPY_SQL, _copy_data

    by_point = {}
    for p, t, v in rows:
        by_point.setdefault(p, {})[datetime.datetime.fromtimestamp(t, tz=datetime.UTC)] = v
    connection.ensure_connection()
    started = time.perf_counter()
    with connection.connection.cursor() as cursor, cursor.copy(_COPY_SQL % "monitoring_reading") as copy:
        copy.write(_copy_data(by_point))
    return len(rows) / (time.perf_counter() - started)


def _orm_peer(rows, sample: int = 3000) -> float:
    import datetime

    started = time.perf_counter()
    for p, t, v in rows[:sample]:
        Reading.objects.create(point_id=p, at=datetime.datetime.fromtimestamp(t + 100000, tz=datetime.UTC), value=v)
    return sample / (time.perf_counter() - started)


def run(*, rounds: int = 200, workdir: Path) -> list[str]:
    from bench import alarm_latency

    broker = Broker(workdir)
    try:
        lines = _run(rounds, f"mqtt://127.0.0.1:{broker.port}")
        seconds = float(os.environ.get("BENCH_ALARM_SECONDS", "60"))
        rate = int(os.environ.get("BENCH_ALARM_RATE", "100000"))
        return [*lines, alarm_latency.run(f"mqtt://127.0.0.1:{broker.port}", seconds=seconds, rate=rate)]
    finally:
        broker.stop()


def _run(rounds: int, url: str) -> list[str]:
    host, port = _broker(url)
    points, codes = _setup()
    alarm_category_ensure()
    partitions_ensure(ahead=3)
    base = time.time()
    _reset(points, base)
    messages, rows = _messages(points, codes, rounds, base)
    total = len(rows)
    print(f"sensor_ingest: {len(points)} points, {len(messages)} messages, {total} readings")
    ceiling = _ceiling(host, port, messages, total)
    print(f"  transport ceiling (receive and discard): {ceiling:,.0f} readings/s")
    _reset(points, base)
    value = _ingest(url, host, port, messages, total)
    alarms = Alarm.objects.filter(point__in=points).count()
    stored = Reading.objects.filter(point__in=points).count()
    print(f"  ingester: {value:,.0f} readings/s ({stored} stored, {alarms} alarms raised)")
    _reset(points, base)
    floor = _copy_floor(rows)
    print(f"  storage floor (COPY): {floor:,.0f} readings/s")
    _reset(points, base)
    peer = _orm_peer(rows)
    print(f"  one ORM insert per reading: {peer:,.0f} readings/s")
    _reset(points, base)
    return [
        f"BENCH sensor_ingest {value:.0f} readings/s floor={ceiling:.0f} peer={peer:.0f}",
        f"BENCH sensor_store_copy {floor:.0f} readings/s floor={floor:.0f} peer={peer:.0f}",
    ]
