"""Believable readings for the demo: each point drifts around its normal value, and now and then one makes an
excursion past its high limit for a minute or two before coming back."""

import json
import random
import time
from dataclasses import dataclass

from .models import MonitoringPoint, Quantity


@dataclass
class Walker:
    topic: str
    normal: float
    spread: float
    high: float | None
    value: float
    floor: float | None = None  # gas concentrations and levels do not go below zero
    excursion: int = 0  # readings left in an excursion

    def next(self, rng: random.Random, excursion_chance: float) -> float:
        if self.excursion == 0 and self.high is not None and rng.random() < excursion_chance:
            self.excursion = rng.randint(6, 20)
        if self.excursion:
            self.excursion -= 1
            target = (self.high or self.normal) * 1.08
        else:
            target = self.normal
        self.value += (target - self.value) * 0.3 + rng.gauss(0, self.spread)
        if self.floor is not None:
            self.value = max(self.value, self.floor)
        return round(self.value, 3)


def walkers_for(points) -> list[Walker]:
    walkers = []
    for p in points:
        high = p.high_limit
        low = p.low_limit if p.low_limit is not None else 0.0
        normal = (low + high) / 2 if high is not None else low + 1
        floor = None if p.quantity == Quantity.TANK_TEMPERATURE else 0.0
        spread = max((high or 1) * 0.01, 0.001)
        walkers.append(Walker(f"zhuqi/{p.enterprise.credit_code}/{p.code}", normal, spread, high, normal, floor))
    return walkers


def simulate(client, *, interval: float = 5.0, excursion_chance: float = 0.002, seconds: float | None = None,
             seed: int | None = None) -> int:  # fmt: skip
    rng = random.Random(seed)
    points = MonitoringPoint.objects.filter(is_active=True).select_related("enterprise")
    walkers = walkers_for(points)
    sent, started = 0, time.monotonic()
    while seconds is None or time.monotonic() - started < seconds:
        now = time.time()
        for w in walkers:
            client.publish(w.topic, json.dumps({"t": round(now, 3), "v": w.next(rng, excursion_chance)}), qos=1)
            sent += 1
        time.sleep(interval)
    return sent
