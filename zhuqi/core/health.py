"""For the load balancer: /healthz answers 200 while the process serves; /readyz answers 200 when the database, the
cache, the task queue's broker and the MQTT broker answer, 503 naming the part that does not (never why: no
address, no error text, no secret). Both are answered by HealthMiddleware, first in the chain, so neither needs a
login, a session, a second factor or an allowed Host header (a balancer probes by the node's address) and
neither is redirected to HTTPS."""

import logging
import socket
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

TIMEOUT = 2.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    token = uuid.uuid4().hex
    cache.set("readyz", token, timeout=30)
    if cache.get("readyz") != token:
        raise RuntimeError("the cache did not keep a value")


def _queue() -> None:
    if settings.ZHUQI_QUEUE_REDIS_URL:
        import redis

        client = redis.from_url(settings.ZHUQI_QUEUE_REDIS_URL, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT)
        try:
            client.ping()
        finally:
            client.close()
    else:
        from django_q.models import OrmQ

        OrmQ.objects.exists()


def _mqtt() -> None:
    url = urlparse(settings.ZHUQI_MQTT_URL)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 1883), timeout=TIMEOUT):
        pass


CHECKS = {"database": _database, "cache": _cache, "queue": _queue, "mqtt": _mqtt}


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # any failure of a part makes the node not ready; the log says why, the answer not
            logger.warning("readiness: %s is not available", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": results}, status=200 if ready else 503)


class HealthMiddleware:
    paths = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = self.paths.get(request.path.rstrip("/"))
        if view is not None and request.method in ("GET", "HEAD"):
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
