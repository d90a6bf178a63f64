import logging
import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from zhuqi.monitoring.ingest import Ingester

logger = logging.getLogger("zhuqi.monitoring")


class Command(BaseCommand):
    help = "监测数据接入：订阅 MQTT 主题 zhuqi/#（QoS 1），批量写入读数并判定告警（make run 会同时启动它）"

    def add_arguments(self, parser):
        parser.add_argument("--url", default=None, help="MQTT 代理地址，默认取 ZHUQI_MQTT_URL")
        parser.add_argument("--seconds", type=float, default=None, help="运行若干秒后退出（测试和基准用）")
        parser.add_argument("--client-id", default="zhuqi-ingester")

    def handle(self, *args, url, seconds, client_id, **options):
        ingester = Ingester(url or settings.ZHUQI_MQTT_URL, client_id=client_id)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: ingester.stop.set())
        ingester.run(seconds=seconds)
        c = ingester.counters
        self.stdout.write(
            f"接入结束：消息 {c.messages} 条，读数 {c.readings} 个，写入 {c.stored} 个，重复 {c.duplicates} 个，"
            f"格式错误 {c.malformed} 条，未知监测点 {c.unknown_points} 个"
        )
