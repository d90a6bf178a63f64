"""Against a real Mosquitto broker (a private one on a free port, so that it can be restarted): readings in,
malformed messages counted and skipped, an excursion raising an alarm, and a broker restart mid-stream losing
nothing the broker delivered."""

import datetime
import json
import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from zhuqi.cases.models import Category
from zhuqi.monitoring.ingest import Ingester, Malformed, parse_message
from zhuqi.monitoring.models import ALARM_KIND, Alarm, MonitoringPoint, Quantity, Reading
from zhuqi.monitoring.services import alarms_sweep

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
needs_broker = pytest.mark.skipif(
    not os.path.exists(MOSQUITTO), reason="Mosquitto is not installed (make test installs it)"
)


@pytest.mark.parametrize(
    ("topic", "payload"),
    [
        ("other/91410400MA000001/PT", b'{"t": 1763884800, "v": 1}'),
        ("zhuqi/91410400MA000001/PT", b"not json"),
        ("zhuqi/91410400MA000001/PT", b'{"t": 1763884800, "v": "high"}'),
        ("zhuqi/91410400MA000001/PT", b'{"t": "2026-11-23T08:00:00", "v": 1}'),
        ("zhuqi/91410400MA000001/PT", b'{"t": 1763884800, "v": NaN}'),
        ("zhuqi/91410400MA000001", b'{"readings": [{"t": 1763884800, "v": 1}]}'),
        ("zhuqi/91410400MA000001/PT", b"\xff\xfe"),
        ("zhuqi/91410400MA000001", b'{"t": 1763884800, "v": {"PT-302": 0.5, "TT-301": null}}'),
        ("zhuqi/91410400MA000001", b'{"t": 1763884800, "v": {"": 0.5}}'),
        ("zhuqi/91410400MA000001", b'{"v": {"PT-302": 0.5}}'),
    ],
    ids=[
        "prefix",
        "not-json",
        "text-value",
        "no-zone",
        "nan",
        "no-point",
        "not-utf8",
        "scan-null",
        "scan-no-code",
        "scan-no-time",
    ],  # fmt: skip
)
def test_a_malformed_message_is_refused_with_a_reason(topic, payload):
    with pytest.raises(Malformed):
        parse_message(topic, payload)


def test_one_message_may_carry_several_readings_of_one_firm():
    payload = json.dumps(
        {"readings": [{"p": "PT-302", "t": 1763884800, "v": 0.5}, {"p": "TT-301", "t": 1763884800, "v": 30}]}
    )
    assert [(p, v) for _f, p, _t, v in parse_message("zhuqi/91410400MA000001", payload.encode())] == [
        ("PT-302", 0.5),
        ("TT-301", 30.0),
    ]


def test_a_gateway_scan_carries_one_time_for_all_its_points():
    payload = b'{"t": 1763884800, "v": {"PT-302": 0.5, "TT-301": 30}}'
    readings = parse_message("zhuqi/91410400MA000001", payload)
    assert [(f, p, t.timestamp(), v) for f, p, t, v in readings] == [
        ("91410400MA000001", "PT-302", 1763884800.0, 0.5),
        ("91410400MA000001", "TT-301", 1763884800.0, 30.0),
    ]
    assert all(type(v) is float for *_rest, v in readings)


@pytest.mark.django_db(transaction=True)
def test_a_batch_whose_readings_the_writer_lost_is_stored_and_evaluated_by_the_retry(zone):
    """On PostgreSQL the readings go to the table on a connection of their own as soon as they are parsed; if
    that write fails, the batch is not committed without them: the retry stores them itself."""
    from concurrent.futures import Future

    from django.db import OperationalError

    class LostWriter:
        def submit(self, by_point):
            lost = Future()
            lost.set_exception(OperationalError("server closed the connection unexpectedly"))
            return lost

    point = MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="PT-302", name="1号储罐压力", quantity=Quantity.TANK_PRESSURE, unit="MPa",
        high_limit=0.8, min_duration_seconds=0,
    )  # fmt: skip
    ingester = Ingester("mqtt://127.0.0.1:1", retry_seconds=0.01)
    ingester.writer = LostWriter()
    ingester.directory.load()
    topic = f"zhuqi/{zone.enterprise_a.credit_code}/PT-302"
    ingester.pending = [(topic, json.dumps({"t": 1763884800 + n, "v": 0.9}).encode()) for n in range(3)]
    ingester.pending_acks = [(n + 1, 1, 1) for n in range(3)]
    ingester.parse_pending()
    batch, _done = ingester._take_parsed()
    assert ingester._store(batch)
    assert Reading.objects.filter(point=point).count() == 3
    assert (ingester.counters.stored, ingester.counters.batches, len(ingester.counters.errors)) == (3, 1, 1)
    assert Alarm.objects.get(point=point).value == 0.9


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, tmp_path):
        self.port = _free_port()
        self.config = tmp_path / "mosquitto.conf"
        self.config.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
        self.process = None

    def start(self):
        # the broker binary with a config this test wrote: no outside input reaches the command line
        self.process = subprocess.Popen(  # noqa: S603
            [MOSQUITTO, "-c", str(self.config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("mosquitto did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(5)


@pytest.fixture
def broker(tmp_path):
    broker = Broker(tmp_path)
    broker.start()
    yield broker
    if broker.process.poll() is None:
        broker.stop()


def publisher(port):
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-pub-{port}-{time.monotonic_ns()}")
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def publish_all(client, messages):
    infos = [client.publish(topic, payload, qos=1) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(5)


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_readings_arrive_alarms_rise_and_a_broker_restart_loses_nothing_delivered(zone, broker):
    point = MonitoringPoint.objects.create(
        enterprise=zone.enterprise_a, code="PT-302", name="1号储罐压力", quantity=Quantity.TANK_PRESSURE, unit="MPa",
        high_limit=0.8, high_high_limit=1.0, dead_band=0.02, min_duration_seconds=0,
    )  # fmt: skip
    topic = f"zhuqi/{zone.enterprise_a.credit_code}/PT-302"
    ingester = Ingester(f"mqtt://127.0.0.1:{broker.port}", client_id="test-ingester", flush_seconds=0.1)
    runner = threading.Thread(target=ingester.run, kwargs={"seconds": 60})
    runner.start()
    assert ingester.connected.wait(5)
    base = 1763884800
    client = publisher(broker.port)
    first = [(topic, json.dumps({"t": base + n, "v": 0.5})) for n in range(50)]
    first += [(topic, b"garbage"), (topic, json.dumps({"t": base + 10, "v": 0.5}))]  # malformed, duplicate
    first += [(topic, json.dumps({"t": base + 60 + n, "v": 0.9})) for n in range(3)]  # excursion
    first += [(topic, json.dumps({"t": base + 55, "v": 0.95}))]  # out of order: put back in time order
    publish_all(client, first)
    client.disconnect()
    deadline = time.monotonic() + 5
    # watched through the ingester's counters: SQLite's shared in-memory test database locks whole tables
    while ingester.counters.stored < 54 and time.monotonic() < deadline:
        time.sleep(0.1)
    broker.stop()
    deadline = time.monotonic() + 3
    while ingester.connected.is_set() and time.monotonic() < deadline:
        time.sleep(0.05)
    broker.start()
    deadline = time.monotonic() + 8
    while not ingester.connected.is_set() and time.monotonic() < deadline:  # it reconnects on its own
        time.sleep(0.1)
    client = publisher(broker.port)
    publish_all(client, [(topic, json.dumps({"t": base + 100 + n, "v": 0.5})) for n in range(20)])
    client.disconnect()
    # stopped once all is in (not after a fixed time: the reconnection's back-off varies from run to run)
    deadline = time.monotonic() + 20
    while ingester.counters.stored < 74 and time.monotonic() < deadline:
        time.sleep(0.1)
    ingester.stop.set()
    runner.join(20)
    assert Reading.objects.filter(point_id=point.pk).count() == 74
    assert ingester.counters.malformed == 1 and ingester.counters.duplicates == 1
    alarm = Alarm.objects.get(point=point)
    assert alarm.level == "high" and alarm.normal_since is not None
    # the late message's reading is the earliest past the limit, so the alarm starts from it
    assert (alarm.triggered_at.timestamp(), alarm.value, alarm.peak_value) == (base + 55, 0.95, 0.95)
    # nobody acknowledged it: the bureau gets a case
    Category.objects.create(kind=ALARM_KIND, name="监测告警", department=zone.users["department"].department,
                            routes_directly=True)  # fmt: skip
    alarms_sweep(now=alarm.acknowledge_by + datetime.timedelta(minutes=1))
    assert Alarm.objects.get(pk=alarm.pk).case.kind == "alarm"


class ZoneBroker(Broker):
    """The shipped configuration (deploy/mosquitto/zhuqi.conf: accounts, ACL, persistence, queue sizes), its files
    written by mosquitto_config's code into a directory of the test's own, with a gateway for each firm."""

    def __init__(self, tmp_path, zone, settings):
        from zhuqi.monitoring.broker import files_write
        from zhuqi.monitoring.gateways import gateway_create

        self.port, self.process = _free_port(), None
        settings.ZHUQI_MQTT_URL = f"mqtt://zhuqi-ingester:ingester-secret@127.0.0.1:{self.port}"
        self.url = settings.ZHUQI_MQTT_URL
        coordinator = zone.users["coordinator"]
        self.gateway_a, self.token_a = gateway_create(by=coordinator, enterprise=zone.enterprise_a, name="网关A")
        self.gateway_b, self.token_b = gateway_create(by=coordinator, enterprise=zone.enterprise_b, name="网关B")
        *_files, self.config = files_write(tmp_path / "mosquitto", config=True, port=self.port)

    def gateway(self, which="a", client_id=None):
        import paho.mqtt.client as mqtt

        gateway, token = (self.gateway_a, self.token_a) if which == "a" else (self.gateway_b, self.token_b)
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"gw-{which}-{time.monotonic_ns()}"
        )
        client.username_pw_set(gateway.mqtt_username, token)
        client.max_inflight_messages_set(1000)
        client.connect("127.0.0.1", self.port)
        client.loop_start()
        return client


@pytest.fixture
def zone_broker(tmp_path, zone, settings):
    broker = ZoneBroker(tmp_path, zone, settings)
    broker.start()
    yield broker
    if broker.process.poll() is None:
        broker.stop()


def _point(enterprise, code="PT-302", **limits):
    return MonitoringPoint.objects.create(
        enterprise=enterprise, code=code, name=f"储罐压力{code}", quantity=Quantity.TANK_PRESSURE, unit="MPa",
        high_limit=0.8, min_duration_seconds=0, **limits,
    )  # fmt: skip


def _until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _running(ingester, seconds=120):
    runner = threading.Thread(target=ingester.run, kwargs={"seconds": seconds})
    runner.start()
    assert ingester.connected.wait(10)
    return runner


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_gateway_publishes_under_its_own_firms_topic_only(zone, zone_broker):
    import paho.mqtt.client as mqtt

    mine, theirs = _point(zone.enterprise_a), _point(zone.enterprise_b, "GT-101")
    ingester = Ingester(zone_broker.url, client_id="test-acl", flush_seconds=0.05)
    runner = _running(ingester)
    gateway = zone_broker.gateway("a")
    firm_a, firm_b = zone.enterprise_a.credit_code, zone.enterprise_b.credit_code
    publish_all(gateway, [(f"zhuqi/{firm_b}/GT-101", json.dumps({"t": 1763884800, "v": 9.9})),
                          (f"zhuqi/{firm_a}", json.dumps({"t": 1763884800, "v": {"PT-302": 0.5}}))])  # fmt: skip
    gateway.disconnect()
    assert _until(lambda: ingester.counters.stored == 1, 10)
    stranger = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="stranger")
    stranger.username_pw_set(zone_broker.gateway_a.mqtt_username, "zqgw_guessed")
    refused = []
    stranger.on_connect = lambda client, userdata, flags, reason, properties: refused.append(reason.is_failure)
    stranger.connect("127.0.0.1", zone_broker.port)
    stranger.loop_start()
    assert _until(lambda: refused, 5) and refused == [True]
    stranger.loop_stop()
    ingester.stop.set()
    runner.join(20)
    assert ingester.counters.messages == 1
    assert list(Reading.objects.values_list("point_id", flat=True)) == [mine.pk]
    assert not Reading.objects.filter(point=theirs).exists()


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_a_crash_before_the_store_loses_nothing_the_broker_sent(zone, zone_broker, monkeypatch):
    """Messages are acknowledged once stored: an ingester that dies with a batch it could not store leaves it
    with the broker, and the next one (the same session) stores it."""
    from django.db import OperationalError

    import zhuqi.monitoring.ingest as ingest

    point = _point(zone.enterprise_a)
    stored = ingest.grouped_readings_store

    def database_down(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr(ingest, "grouped_readings_store", database_down)
    ingester = Ingester(zone_broker.url, client_id="test-crash", flush_seconds=0.05, retry_seconds=0.05)
    runner = _running(ingester)
    gateway = zone_broker.gateway("a")
    topic = f"zhuqi/{zone.enterprise_a.credit_code}/PT-302"
    publish_all(gateway, [(topic, json.dumps({"t": 1763884800 + n, "v": 0.5})) for n in range(50)])
    assert _until(lambda: ingester.counters.messages == 50, 10)
    ingester.stop.set()
    runner.join(20)
    point.refresh_from_db()
    assert point.last_at is None  # nothing evaluated (on PostgreSQL the readings may be in their table already)
    monkeypatch.setattr(ingest, "grouped_readings_store", stored)
    again = Ingester(zone_broker.url, client_id="test-crash", flush_seconds=0.05)
    runner = _running(again)
    assert _until(lambda: again.counters.stored + again.counters.duplicates == 50, 15)
    again.stop.set()
    runner.join(20)
    point.refresh_from_db()
    assert again.counters.messages == 50 and point.last_at.timestamp() == 1763884800 + 49
    assert Reading.objects.filter(point=point).count() == 50


@needs_broker
@pytest.mark.django_db(transaction=True)
def test_with_the_database_down_the_ingester_stops_reading_at_its_bound_and_resumes(zone, zone_broker, monkeypatch):
    from django.db import OperationalError

    import zhuqi.monitoring.ingest as ingest

    point = _point(zone.enterprise_a)
    up = threading.Event()
    stored = ingest.grouped_readings_store

    def store_when_up(*args, **kwargs):
        if not up.is_set():
            raise OperationalError("the database is down")
        return stored(*args, **kwargs)

    monkeypatch.setattr(ingest, "grouped_readings_store", store_when_up)
    ingester = Ingester(zone_broker.url, client_id="test-bound", flush_seconds=0.05, retry_seconds=0.05, max_unacked=20)
    runner = _running(ingester)
    gateway = zone_broker.gateway("a")
    topic = f"zhuqi/{zone.enterprise_a.credit_code}/PT-302"
    publish_all(gateway, [(topic, json.dumps({"t": 1763884800 + n, "v": 0.5})) for n in range(300)])
    assert _until(lambda: ingester.counters.messages == 20, 10)
    assert not _until(lambda: ingester.counters.messages > 20, 1)  # the rest wait at the broker
    assert ingester.unacked == 20
    up.set()
    # on PostgreSQL the readings parsed while the database was "down" were written already: duplicates on retry
    assert _until(lambda: ingester.counters.stored + ingester.counters.duplicates == 300, 30)
    ingester.stop.set()
    runner.join(20)
    point.refresh_from_db()
    assert Reading.objects.filter(point=point).count() == 300 and ingester.unacked == 0
    assert point.last_at.timestamp() == 1763884800 + 299


@needs_broker
@pytest.mark.long(minutes=1.2)
@pytest.mark.django_db(transaction=True)
def test_an_ingester_stopped_for_a_minute_at_1000_messages_a_second_loses_nothing_acknowledged(zone, zone_broker):
    """The broker keeps the stopped ingester's session and its queue (Mosquitto's default of 1,000 queued
    messages per client would drop all but the first second). Takes a minute and more, as the issue asks."""
    points = [_point(zone.enterprise_a, f"PT-{n:03d}") for n in range(10)]
    ingester = Ingester(zone_broker.url, client_id="test-outage", flush_seconds=0.1)
    runner = _running(ingester)
    ingester.stop.set()
    runner.join(20)
    gateway = zone_broker.gateway("a")
    acknowledged = []
    gateway.on_publish = lambda client, userdata, mid, reason, properties: acknowledged.append(mid)
    firm, base, rate, seconds = zone.enterprise_a.credit_code, 1763884800, 1000, 60
    started = time.monotonic()
    for n in range(rate * seconds):
        point = points[n % len(points)]
        gateway.publish(f"zhuqi/{firm}/{point.code}", json.dumps({"t": base + n / rate, "v": 0.5}), qos=1)
        if n % 100 == 99:  # paced: 100 messages every tenth of a second
            time.sleep(max(0.0, started + (n + 1) / rate - time.monotonic()))
    assert _until(lambda: len(acknowledged) == rate * seconds, 30)
    gateway.disconnect()
    again = Ingester(zone_broker.url, client_id="test-outage", flush_seconds=0.1)
    runner = _running(again)
    assert _until(lambda: again.counters.stored >= len(acknowledged), 120)
    again.stop.set()
    runner.join(30)
    assert Reading.objects.filter(point__in=points).count() == len(acknowledged) == rate * seconds
