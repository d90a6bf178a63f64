"""SMS: one small interface so that a carrier's gateway (阿里云短信, 腾讯云短信 …) can be plugged in by setting
ZHUQI_SMS_BACKEND. The default writes each message to the log (the number masked) and sends nothing, which the
production settings refuse (notifications.checks); HttpSMSBackend posts to a gateway of the zone's own."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from zhuqi.core.masking import mask_phone

logger = logging.getLogger("zhuqi.sms")


class BaseSMSBackend:
    sends = True  # False: a stand-in that delivers nothing, refused in production

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSMSBackend(BaseSMSBackend):
    sends = False

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_phone(phone), text)


class MemorySMSBackend(BaseSMSBackend):
    """For tests: keeps what would have been sent in `outbox`."""

    sends = False
    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))


class HttpSMSBackend(BaseSMSBackend):
    """POSTs {"phone": …, "text": …} as JSON to ZHUQI_SMS_GATEWAY_URL (with ZHUQI_SMS_GATEWAY_TOKEN as a bearer
    token when set): the shape of the zone's own SMS relay; any answer but 2xx is a failure, tried again."""

    def send(self, phone: str, text: str) -> None:
        url = settings.ZHUQI_SMS_GATEWAY_URL
        if not url.startswith(("https://", "http://")):
            raise ValueError("ZHUQI_SMS_GATEWAY_URL must be an http(s) address")
        headers = {"Content-Type": "application/json"}
        if settings.ZHUQI_SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.ZHUQI_SMS_GATEWAY_TOKEN}"
        data = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        # the scheme is checked above: no file:// or custom opener reaches urlopen
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310  # nosec B310
            if not 200 <= response.status < 300:
                raise RuntimeError(f"SMS gateway answered {response.status}")


def sms_backend() -> BaseSMSBackend:
    return import_string(getattr(settings, "ZHUQI_SMS_BACKEND", "zhuqi.notifications.sms.LoggingSMSBackend"))()
