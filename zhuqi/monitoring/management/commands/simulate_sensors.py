import signal
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from zhuqi.monitoring.ingest import _broker, broker_credentials
from zhuqi.monitoring.simulator import simulate


class Command(BaseCommand):
    help = "演示用传感器模拟：为演示危化企业的监测点发布读数（偶有超限），make run 会同时启动它"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=5.0, help="每轮发布间隔（秒）")
        parser.add_argument("--seconds", type=float, default=None)
        parser.add_argument("--excursion-chance", type=float, default=0.002)

    def handle(self, *args, interval, seconds, excursion_chance, **options):
        import paho.mqtt.client as mqtt

        url = settings.ZHUQI_MQTT_SIMULATOR_URL or settings.ZHUQI_MQTT_URL
        host, port = _broker(url)
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="zhuqi-simulator")
        username, password = broker_credentials(url)
        if username:  # the simulator's own account (make mosquitto writes it): it may publish under zhuqi/#
            client.username_pw_set(username, password)
        try:
            client.connect(host, port, keepalive=30)
        except OSError as error:
            self.stderr.write(f"无法连接 MQTT 代理 {host}:{port}（{error}），模拟数据未启动。")
            sys.exit(1)
        client.loop_start()
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            sent = simulate(client, interval=interval, excursion_chance=excursion_chance, seconds=seconds)
            self.stdout.write(f"已发布 {sent} 个读数")
        finally:
            client.loop_stop()
            client.disconnect()
