"""The alarm rule for one point, as plain functions: where a value stands against the limits (with the dead
band holding a level already reached), and how a state changes only after the minimum duration."""

import datetime
from dataclasses import dataclass

from .models import AlarmLevel

NORMAL = "normal"
H, HH, L = AlarmLevel.HIGH, AlarmLevel.HIGH_HIGH, AlarmLevel.LOW


@dataclass(frozen=True)
class Limits:
    low: float | None = None
    high: float | None = None
    high_high: float | None = None
    dead_band: float = 0.0
    min_duration: datetime.timedelta = datetime.timedelta(0)

    @classmethod
    def of(cls, point) -> "Limits":
        return cls(
            point.low_limit,
            point.high_limit,
            point.high_high_limit,
            point.dead_band,
            datetime.timedelta(seconds=point.min_duration_seconds),
        )


def standing(limits: Limits, value: float, state: str) -> str:
    """The level the value stands at. A level already held is left only once the value is back past its limit
    by the dead band."""
    band = limits.dead_band
    if limits.high_high is not None and value >= limits.high_high - (band if state == HH else 0):
        return HH
    if limits.high is not None and value >= limits.high - (band if state in (H, HH) else 0):
        return H
    if limits.low is not None and value <= limits.low + (band if state == L else 0):
        return L
    return NORMAL


@dataclass
class Step:
    state: str
    pending_level: str
    pending_since: datetime.datetime | None
    changed_to: str | None  # the new state when it changed with this reading


def step(limits: Limits, state: str, pending_level: str, pending_since, at: datetime.datetime, value: float) -> Step:
    """One reading: the state changes once the value has stood at another level for the minimum duration."""
    now = standing(limits, value, state if state != AlarmLevel.OFFLINE else NORMAL)
    if now == state:
        return Step(state, "", None, None)
    if now != pending_level or pending_since is None:
        pending_level, pending_since = now, at
    if at - pending_since >= limits.min_duration:
        return Step(now, "", None, now)
    return Step(state, pending_level, pending_since, None)
