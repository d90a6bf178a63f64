import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from zhuqi.accounts.services import accounts_disable_idle
from zhuqi.cases.services import reminders_send
from zhuqi.core.idempotency import idempotency_purge
from zhuqi.core.personal import personal_data_purge
from zhuqi.monitoring.housekeeping import housekeeping
from zhuqi.monitoring.services import alarms_sweep

logger = logging.getLogger("zhuqi.worker")


class Command(BaseCommand):
    help = "后台任务进程：按时限发送黄牌预警、到期和超期提醒、督办回复提醒（make run 会同时启动它）"

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
            try:
                sent = reminders_send()
                if sent:
                    logger.info("sent %d reminders", sent)
                swept = alarms_sweep()
                if any(swept.values()):
                    logger.info("monitoring sweep: %s", swept)
                disabled = accounts_disable_idle()
                if disabled:
                    logger.info("disabled %d idle accounts", disabled)
                idempotency_purge()
                anonymised = personal_data_purge()
                if any(anonymised.values()):
                    logger.info("personal data past its keeping period anonymised: %s", anonymised)
                kept = housekeeping()
                if any(kept.values()):
                    logger.info("readings housekeeping: %s", kept)
            except Exception:  # the worker must outlive one bad run; the next run tries again
                logger.exception("reminder run failed")
            if once:
                break
            stop.wait(interval)
        self.stdout.write("worker stopped")
