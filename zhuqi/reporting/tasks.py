"""The campaigns' periodic job, run by the task queue (registered with its timing in apps.py)."""

from . import services


def returns_remind() -> int:
    return services.returns_remind()
