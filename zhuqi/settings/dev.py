"""The demo and local development: SQLite, debug on, a fixed secret only usable on this machine."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-zhuqi-demo-key-0123456789abcdef")
os.environ.setdefault("DJANGO_DEBUG", "true")
# the demo's broker (make mosquitto) takes these accounts only: the ingester reads, the simulator writes
os.environ.setdefault("ZHUQI_MQTT_URL", "mqtt://zhuqi-ingester:dev-only-ingester@127.0.0.1:1883")
os.environ.setdefault("ZHUQI_MQTT_SIMULATOR_URL", "mqtt://zhuqi-simulator:dev-only-simulator@127.0.0.1:1883")

from .base import *  # noqa: E402,F403
