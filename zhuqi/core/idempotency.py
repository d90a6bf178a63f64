"""Idempotency-Key on the API's create requests (POST): the first request's response is kept for
ZHUQI_IDEMPOTENCY_HOURS and a replay with the same key gets it back; the same key with another request is
refused. The request, its writes and the kept response commit together, so a crash never leaves a created object
without its key (which would let the retry create a second) nor a key without its object."""

import datetime
import hashlib

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone

from .models import IdempotentRequest

HEADER = "Idempotency-Key"


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status)


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return self.get_response(request)  # the API refuses it anyway
        if not 1 <= len(key) <= 100:
            return _refusal(400, "invalid", "Idempotency-Key 须为 1 至 100 个字符")
        fingerprint = hashlib.sha256(request.path.encode() + b"\n" + request.body).hexdigest()
        try:
            with transaction.atomic():
                earlier = IdempotentRequest.objects.filter(
                    user=request.user, key=key, created_at__gte=_kept_since()
                ).first()
                if earlier is not None:
                    if earlier.fingerprint != fingerprint:
                        return _refusal(
                            422, "idempotency_key_reused", "该 Idempotency-Key 已用于另一个请求，请换一个新键"
                        )
                    replay = HttpResponse(bytes(earlier.body), status=earlier.status, content_type=earlier.content_type)
                    replay["Idempotent-Replayed"] = "true"
                    return replay
                response = self.get_response(request)
                if 200 <= response.status_code < 300 and not response.streaming:
                    IdempotentRequest.objects.filter(user=request.user, key=key).delete()  # an expired one
                    IdempotentRequest.objects.create(
                        user=request.user, key=key, fingerprint=fingerprint, status=response.status_code,
                        content_type=response.get("Content-Type", "application/json"), body=response.content,
                    )  # fmt: skip
                elif response.status_code >= 400:
                    transaction.set_rollback(True)  # a refused request leaves nothing behind, and may be retried
                return response
        except IntegrityError:  # the same key, at the same moment, from another connection
            return _refusal(409, "idempotency_key_in_use", "同一 Idempotency-Key 的请求正在处理，请稍后重试")


def _kept_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.ZHUQI_IDEMPOTENCY_HOURS)


def idempotency_purge() -> int:
    """Kept responses past their time go (run by the worker)."""
    deleted, _kinds = IdempotentRequest.objects.filter(created_at__lt=_kept_since()).delete()
    return deleted
