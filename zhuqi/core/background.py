"""Work that outlives its request (a large import), run on a thread of the serving process.

Progress goes to the cache, never to the database, so it is visible while the work's own
transaction is still open. Tests run the work inline (ZHUQI_BACKGROUND_INLINE)."""

import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections

log = logging.getLogger(__name__)


def run_in_background(fn, *args, **kwargs) -> None:
    def target():
        try:
            fn(*args, **kwargs)
        except Exception:
            log.exception("background job %s failed", getattr(fn, "__name__", fn))
        finally:
            close_old_connections()

    if getattr(settings, "ZHUQI_BACKGROUND_INLINE", False):
        fn(*args, **kwargs)
        return
    threading.Thread(target=target, daemon=True).start()


def progress_set(key: str, done: int, total: int) -> None:
    cache.set(f"progress:{key}", (done, total), timeout=120)


def progress_get(key: str) -> tuple[int, int] | None:
    return cache.get(f"progress:{key}")
