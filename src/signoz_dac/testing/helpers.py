"""Small helpers for tests that drive SigNozClient against the emulator without waiting."""

from __future__ import annotations

from signoz_dac.signoz.client import RetryPolicy

# The same retry logic, with delays of milliseconds: fault tests stay fast.
FAST_RETRY = RetryPolicy(attempts=5, backoff=0.001, max_backoff=0.005, max_retry_after=0.05)


class SleepRecorder:
    """Stands in for time.sleep (SigNozClient(sleep=...)): remembers each wait instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)
