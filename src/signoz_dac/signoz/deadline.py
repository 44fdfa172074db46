"""A point in time after which a run stops trying: retries, waits for a lock and new writes end there."""

from __future__ import annotations

import time
from collections.abc import Callable


class Deadline:
    """`seconds` from now, on a monotonic clock (a changed wall clock does not move it)."""

    def __init__(self, seconds: float, *, clock: Callable[[], float] = time.monotonic):
        self.seconds = seconds
        self._clock = clock
        self._ends = clock() + seconds

    def remaining(self) -> float:
        return max(0.0, self._ends - self._clock())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def __str__(self) -> str:
        return f"{self.seconds:g} s"

    def __repr__(self) -> str:
        return f"Deadline({self.seconds:g}, remaining={self.remaining():.1f})"
