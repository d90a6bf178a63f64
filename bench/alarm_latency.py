"""BENCH alarm_latency <p99 ms> ms floor=<transport publish→receive p99> peer=<one ORM insert per reading, p99>

The sensor_ingest zone (100 firms × 50 points) publishing live through the bench's Mosquitto (production's
configuration) at BENCH_ALARM_RATE readings/s (100,000 by default; the rate reached is printed) for
BENCH_ALARM_SECONDS (60), every 50 ms one point past its high-high limit. The figure: the 99th percentile, over
the crossings, from the crossing reading's publication (its time stamp) to its alarm row being committed (seen by
a watcher polling the alarm table every 20 ms on a connection of its own), with the ingester acknowledging
after commit. Floor, in the same run: the same stream's publish→receive p99 at a client that discards it.
Peer: a plain subscriber storing each reading with one ORM insert and an alarm row with another; it cannot keep
up, so crossings it has not reached when the run ends count as late as the run's end ("≥": a lower bound)."""

import datetime
import json
import os
import subprocess
import sys
import tempfile
import threading
import time

from django.db import connection, connections

from zhuqi.monitoring.ingest import Ingester, _broker
from zhuqi.monitoring.models import Alarm, MonitoringPoint, Reading

from .sensor_ingest import BENCH_INGESTER, BENCH_SENSORS, _reset, listening, session_forget

CROSS_EVERY, POLL = 0.05, 0.02


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")


class Live:
    """The live sensors (bench/sensors_live.py) in a process of their own."""

    def __init__(self, host, port, points, *, rate, seconds):
        firms = {}
        for p in points:
            firms.setdefault(p.enterprise.credit_code, []).append(p.code)
        spec = {"host": host, "port": port, "rate": rate, "seconds": seconds, "cross_every": CROSS_EVERY,
                "firms": sorted(firms.items())}  # fmt: skip
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(spec, f)
        self.path = f.name

    def start(self):
        # this interpreter running the bench's own publisher on a spec written just above
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "bench.sensors_live", self.path], stdout=subprocess.PIPE,
            env={**os.environ, "BENCH_MQTT_USER": BENCH_SENSORS[0], "BENCH_MQTT_PASSWORD": BENCH_SENSORS[1]},
        )  # fmt: skip

    def finish(self) -> dict:
        out, _err = self.process.communicate(timeout=600)
        os.unlink(self.path)
        return json.loads(out.decode().strip().splitlines()[-1])


def _transport(host, port, points, rate, seconds) -> tuple[float, dict]:
    latencies = []

    def on_message(client, userdata, message):
        payload = message.payload
        latencies.append(time.time() - float(payload[5 : payload.index(b",")]))

    sub = listening(host, port, "bench-latency-discard", on_message)
    live = Live(host, port, points, rate=rate, seconds=seconds)
    live.start()
    sent = live.finish()
    deadline = time.monotonic() + 30
    while len(latencies) < sent["published"] and time.monotonic() < deadline:
        time.sleep(0.05)
    sub.loop_stop()
    sub.disconnect()
    return p99(latencies) * 1000, sent


class AlarmWatch:
    """New alarm rows as they are committed, on a connection of its own: (triggered at, first seen) each."""

    def __init__(self):
        self.seen, self.stop = [], threading.Event()
        self.thread = threading.Thread(target=self._watch)
        self.thread.start()

    def _watch(self):
        last = 0
        try:
            with connection.cursor() as cursor:
                while not self.stop.is_set():
                    cursor.execute(
                        "SELECT id, triggered_at FROM monitoring_alarm WHERE id > %s AND level <> 'offline' ORDER BY id",
                        [last],
                    )
                    now = time.time()
                    for pk, at in cursor.fetchall():
                        self.seen.append(now - at.timestamp())
                        last = pk
                    time.sleep(POLL)
        finally:
            connection.close()

    def finish(self, expected: int, wait: float) -> list[float]:
        deadline = time.monotonic() + wait
        while len(self.seen) < expected and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stop.set()
        self.thread.join()
        return self.seen


class Vacuum:
    """Where the server's autovacuum is off (as on the build machines), the points table vacuumed every few
    seconds as autovacuum would: the ingester rewrites every point's row every few seconds, and without it a
    minute's dead rows make each batch's update several times slower than in production."""

    def __init__(self, every: float = 5.0):
        with connection.cursor() as cursor:
            cursor.execute("SHOW autovacuum")
            self.needed = cursor.fetchone()[0] == "off"
        self.stop, self.every = threading.Event(), every
        self.thread = threading.Thread(target=self._run)
        if self.needed:
            self.thread.start()

    def _run(self):
        try:
            with connection.cursor() as cursor:
                while not self.stop.wait(self.every):
                    cursor.execute("VACUUM monitoring_monitoringpoint")
        finally:
            connection.close()

    def finish(self):
        self.stop.set()
        if self.needed:
            self.thread.join()


def _ours(url, host, port, points, rate, seconds) -> tuple[float, dict, int]:
    _reset(points, time.time())
    vacuum = Vacuum()
    client_id = f"bench-latency-ingester-{time.monotonic_ns()}"
    ingester = Ingester(url.replace("mqtt://", "mqtt://{}:{}@".format(*BENCH_INGESTER)), client_id=client_id)
    runner = threading.Thread(target=ingester.run, kwargs={"seconds": seconds + 600})
    runner.start()
    ingester.connected.wait(10)
    time.sleep(0.5)
    watch = AlarmWatch()
    live = Live(host, port, points, rate=rate, seconds=seconds)
    live.start()
    sent = live.finish()
    seen = watch.finish(sent["crossed"], 60)
    vacuum.finish()
    ingester.stop.set()
    runner.join(60)
    session_forget(host, port, client_id)
    missing = sent["crossed"] - len(seen)
    return p99(seen + [float("inf")] * missing) * 1000, sent, missing


def _peer(host, port, points, rate, seconds) -> tuple[float, int, int]:
    """One ORM insert per reading and one per alarm, in the subscriber's callback, acknowledging on receipt."""
    _reset(points, time.time())
    by_code = {(p.enterprise.credit_code, p.code): p for p in points}
    stored = [0]

    def on_message(client, userdata, message):
        data = json.loads(message.payload)
        at = datetime.datetime.fromtimestamp(data["t"], tz=datetime.UTC)
        firm = message.topic.split("/")[1]
        for code, value in data["v"].items():
            point = by_code[(firm, code)]
            Reading.objects.create(point_id=point.pk, at=at, value=value)
            stored[0] += 1
            if value > point.high_high_limit and not Alarm.objects.filter(point_id=point.pk).exists():
                Alarm.objects.create(point_id=point.pk, enterprise_id=point.enterprise_id, level="high_high",
                                     triggered_at=at, value=value, acknowledge_by=at)  # fmt: skip

    sub = listening(host, port, "bench-latency-peer", on_message)
    watch = AlarmWatch()
    live = Live(host, port, points, rate=rate, seconds=seconds)
    started = time.time()
    live.start()
    sent = live.finish()
    seen = watch.finish(sent["crossed"], 10)
    ended = time.time()
    sub.loop_stop()
    sub.disconnect()
    connections.close_all()
    # the crossings not reached: published evenly over the run, each at least as late as the run's end
    missing = sent["crossed"] - len(seen)
    unreached = [ended - (started + (len(seen) + k + 1) * CROSS_EVERY) for k in range(missing)]
    return p99(seen + unreached) * 1000, missing, stored[0]


def run(url: str, *, seconds: float, rate: int) -> str:
    host, port = _broker(url)
    points = list(MonitoringPoint.objects.filter(code__startswith="BENCH-").select_related("enterprise"))
    print(f"alarm_latency: {len(points)} points, asked {rate:,} readings/s for {seconds:.0f} s, a crossing every "
          f"{CROSS_EVERY * 1000:.0f} ms")  # fmt: skip
    floor, sent = _transport(host, port, points, rate, seconds)
    print(f"  transport publish→receive p99: {floor:,.1f} ms ({sent['readings_per_second']:,.0f} readings/s reached)")
    ours, sent, missing = _ours(url, host, port, points, rate, seconds)
    print(f"  ingester publication→alarm committed p99: {ours:,.1f} ms over {sent['crossed']} crossings "
          f"({missing} without an alarm; {sent['readings_per_second']:,.0f} readings/s reached, "
          f"{sent['acknowledged']:,}/{sent['published']:,} messages acknowledged by the broker)")  # fmt: skip
    peer, unreached, stored = _peer(host, port, points, rate, seconds)
    print(f"  one ORM insert per reading: p99 ≥ {peer:,.1f} ms ({stored:,} readings stored, {unreached} crossings "
          f"not reached by the end)")  # fmt: skip
    _reset(points, time.time())
    return f"BENCH alarm_latency {ours:.0f} ms floor={floor:.0f} peer={peer:.0f}"
