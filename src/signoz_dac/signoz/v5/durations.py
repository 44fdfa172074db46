"""Durations between the two formats: v5 stores seconds as numbers, v6 stores duration strings.

SigNoz writes a v5 `spanGaps` of N seconds as Go's `time.Duration(N*s).String()` ("30s",
"1m0s", "1h30m0s"), and reads v6 durations in Go or Prometheus syntax ("5m", "1h30m", "1d").
"""

from __future__ import annotations

import re

_NS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9,
       "d": 86400 * 10**9, "w": 7 * 86400 * 10**9, "y": 365 * 86400 * 10**9}  # fmt: skip
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w|y)")


def seconds(text: str) -> float | None:
    """The seconds in a duration such as "90s", "1m30s", "1.5h" or "1d"; None if it is not one."""
    text = text.strip()
    if not text:
        return None
    total = 0.0
    pos = 0
    for match in _PART.finditer(text):
        if match.start() != pos:
            return None
        total += float(match.group(1)) * _NS[match.group(2)]
        pos = match.end()
    if pos != len(text):
        return None
    return total / 10**9


def _decimal(value: int, unit: int) -> str:
    """value/unit written like Go: the whole part, then the fraction without trailing zeros."""
    whole, rest = divmod(value, unit)
    if not rest:
        return str(whole)
    digits = str(rest).rjust(len(str(unit)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"


def go_duration(secs: float) -> str:
    """Go's time.Duration.String() of a number of seconds: 30 -> "30s", 60 -> "1m0s"."""
    ns = round(secs * 10**9)
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    ns = abs(ns)
    if ns < 1_000:
        return f"{sign}{ns}ns"
    if ns < 1_000_000:
        return f"{sign}{_decimal(ns, 1_000)}µs"
    if ns < 10**9:
        return f"{sign}{_decimal(ns, 1_000_000)}ms"
    hours, rest = divmod(ns, 3600 * 10**9)
    minutes, rest = divmod(rest, 60 * 10**9)
    text = f"{hours}h" if hours else ""
    if hours or minutes:
        text += f"{minutes}m"
    return f"{sign}{text}{_decimal(rest, 10**9)}s"
