"""Work that outlives its request (a large import), run on a thread of the serving process.

Tests run the work inline (ZHUQI_BACKGROUND_INLINE)."""

import logging
import threading

from django.conf import settings
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
