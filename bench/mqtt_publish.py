"""Publishes the messages in a file (one `topic<TAB>payload` per line) at QoS 1 and exits once the broker has
acknowledged every one: the sensors, in a process of their own, so that they do not share the measured
process's interpreter lock."""

import os
import sys

import paho.mqtt.client as mqtt


def main(path: str, host: str, port: int) -> None:
    with open(path, "rb") as f:
        messages = [line.rstrip(b"\n").split(b"\t", 1) for line in f]
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="bench-sensors")
    client.username_pw_set(os.environ["BENCH_MQTT_USER"], os.environ["BENCH_MQTT_PASSWORD"])
    client.max_inflight_messages_set(1000)
    client.connect(host, port)
    client.loop_start()
    infos = [client.publish(topic.decode(), payload, qos=1) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(120)
    client.loop_stop()
    client.disconnect()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
