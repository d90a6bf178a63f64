import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhuqi.core import registry

logger = logging.getLogger("zhuqi.worker")


def _did_something(result) -> bool:
    return bool(any(result.values()) if isinstance(result, dict) else result)


class Command(BaseCommand):
    help = "后台任务进程：按时限发送黄牌预警、到期和超期提醒、督办回复提醒等各模块登记的定时任务（make run 会同时启动它）"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只检查一次后退出")
        parser.add_argument("--interval", type=int, default=None, help="两次检查之间的秒数")

    def handle(self, *args, once, interval, **options):
        interval = interval or settings.ZHUQI_WORKER_INTERVAL_SECONDS
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            close_old_connections()
            # every module's periodic tasks, as registered from its AppConfig.ready(); one failing task does not
            # keep the others from running, and the next round tries it again
            for task in registry.periodic_tasks():
                try:
                    result = task()
                except Exception:
                    logger.exception("periodic task %s failed", task.name)
                    continue
                if _did_something(result):
                    logger.info("%s: %s", task.name, result)
            if once:
                break
            stop.wait(interval)
        self.stdout.write("worker stopped")
