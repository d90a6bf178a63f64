"""Live sensors for BENCH alarm_latency, in a process of their own: every firm's gateway publishes a scan of its
points at QoS 1, as fast as asked (readings/s) for as long as asked, each scan stamped with its time of
publication. Every `cross_every` seconds one point, a different one each time, reads past its high-high limit
(then back to normal). Prints one JSON line: what was published, acknowledged and crossed, and the rate reached.

    python -m bench.sensors_live <spec.json>   (spec: host, port, rate, seconds, cross_every, firms)"""

import json
import os
import random
import sys
import threading
import time

import paho.mqtt.client as mqtt


def main(spec_path: str) -> None:
    with open(spec_path) as f:
        spec = json.load(f)
    firms = spec["firms"]  # [[credit code, [point code, ...]], ...]
    rng = random.Random(14)
    variants = {  # a few normal scans per firm, serialised once: the publisher's work per message is small
        firm: [
            json.dumps({c: round(rng.uniform(40, 60), 3) for c in codes}, separators=(",", ":")).encode()
            for _ in range(8)
        ]
        for firm, codes in firms
    }
    crossings = [(firm, code) for firm, codes in firms for code in codes]
    rng.shuffle(crossings)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"bench-live-{os.getpid()}")
    client.username_pw_set(os.environ["BENCH_MQTT_USER"], os.environ["BENCH_MQTT_PASSWORD"])
    client.max_inflight_messages_set(5000)
    client.max_queued_messages_set(0)
    acked = [0]
    lock = threading.Lock()

    def on_publish(client, userdata, mid, reason, properties):
        with lock:
            acked[0] += 1

    client.on_publish = on_publish
    client.connect(spec["host"], spec["port"])
    client.loop_start()
    per_scan = len(firms[0][1])
    scans_per_second = spec["rate"] / per_scan
    started = time.monotonic()
    published, crossed, n, next_cross = 0, 0, 0, started + spec["cross_every"]
    end = started + spec["seconds"]
    while True:
        now = time.monotonic()
        if now >= end:
            break
        due = int((now - started) * scans_per_second)
        while n < due:
            firm, _codes = firms[n % len(firms)]
            v = variants[firm][(n // len(firms)) % 8]
            if now >= next_cross and crossed < len(crossings):
                firm, code = crossings[crossed]
                scan = json.loads(variants[firm][0])
                scan[code] = 95.0
                v = json.dumps(scan, separators=(",", ":")).encode()
                crossed += 1
                next_cross += spec["cross_every"]
            client.publish(f"zhuqi/{firm}", b'{"t":%r,"v":%s}' % (time.time(), v), qos=1)
            published += 1
            n += 1
        time.sleep(0.005)
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 60
    while acked[0] < published and time.monotonic() < deadline:
        time.sleep(0.05)
    client.loop_stop()
    client.disconnect()
    print(json.dumps({"published": published, "acknowledged": acked[0], "crossed": crossed,
                      "readings_per_second": published * per_scan / elapsed}))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1])
