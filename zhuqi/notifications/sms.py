"""SMS: one small interface so that a carrier's gateway (阿里云短信, 腾讯云短信 …) can be plugged in by setting
ZHUQI_SMS_BACKEND; the default writes each message to the log and sends nothing."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("zhuqi.sms")


class BaseSMSBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySMSBackend(BaseSMSBackend):
    """For tests: keeps what would have been sent in `outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


def sms_backend() -> BaseSMSBackend:
    return import_string(getattr(settings, "ZHUQI_SMS_BACKEND", "zhuqi.notifications.sms.LoggingSMSBackend"))()
