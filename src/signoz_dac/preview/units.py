"""Values in a panel's unit, formatted the way SigNoz's UI formats them (Grafana's value formats):
`s` → "850 ms", "1.20 s", "2.5 min"; `percentunit` (a 0–1 fraction) → "4.76%"; `percent` (already
in percent) → "4.76%"; `none` → the number; `short` → "12.3 K"; byte units in IEC steps.

`decimals` is the panel's decimalPrecision: "0"…"4", or "full" for every significant digit; SigNoz's
default is 2. `to_base` converts a value to its quantity's base (seconds, a fraction) so values in
different units compare: the truth tests use it.
"""

from __future__ import annotations

import math
from typing import Any

# Time units: SigNoz/Grafana id → seconds per unit.
TIME_UNITS = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_SUFFIX = {
    "reqps": " req/s", "rps": " req/s", "ops": " ops/s", "opm": " ops/min", "wps": " wr/s", "rpm": " req/min",
    "cps": " c/s", "mps": " m/s", "tps": " tps", "Bps": " B/s", "bps": " b/s", "hertz": " Hz", "celsius": " °C",
}  # fmt: skip
_BYTES = {"bytes": 0, "decbytes": 0, "kbytes": 1, "deckbytes": 1, "mbytes": 2, "decmbytes": 2, "gbytes": 3, "decgbytes": 3}


def precision(decimals: Any) -> int | None:
    """decimalPrecision as a number of decimals; None for "full"."""
    if decimals is None or decimals == "":
        return 2
    if str(decimals).lower() == "full":
        return None
    try:
        return max(0, min(4, int(decimals)))
    except ValueError:
        return 2


def _fixed(value: float, decimals: int | None) -> str:
    """Grafana's toFixed: zero is "0"; otherwise rounded to `decimals`, zero-padded."""
    if value == 0:
        return "0"
    if decimals is None:
        text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    text = f"{value:.{decimals}f}"
    return text.lstrip("-") if float(text) == 0 else text


def _time(seconds: float, decimals: int | None) -> str:
    """Grafana's time ladder from nanoseconds up to years, picked by size."""
    size = abs(seconds)
    if size == 0:
        return f"{_fixed(0, decimals)} s"
    steps = ((1e-6, 1e-9, "ns"), (1e-3, 1e-6, "µs"), (1, 1e-3, "ms"), (60, 1, "s"), (3600, 60, "min"),
             (86400, 3600, "hour"), (604800, 86400, "day"), (31536000, 604800, "week"))  # fmt: skip
    for limit, scale, name in steps:
        if size < limit:
            return f"{_fixed(seconds / scale, decimals)} {name}"
    return f"{_fixed(seconds / 31536000, decimals)} year"


def _scaled(value: float, base: int, names: tuple[str, ...], decimals: int | None) -> str:
    size, i = abs(value), 0
    while size >= base and i < len(names) - 1:
        size /= base
        value /= base
        i += 1
    return f"{_fixed(value, decimals)}{names[i]}"


def format_value(value: Any, unit: str | None, decimals: Any = None) -> str:
    """A value as the panel shows it; "No data" for a missing or non-finite value."""
    if value is None:
        return "No data"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return "No data"
    d = precision(decimals)
    unit = unit or "none"
    if unit in TIME_UNITS:
        return _time(number * TIME_UNITS[unit], d)
    if unit == "percentunit":
        return f"{_fixed(number * 100, d)}%"
    if unit == "percent":
        return f"{_fixed(number, d)}%"
    if unit == "short":
        return _scaled(number, 1000, ("", " K", " Mil", " Bil", " Tri"), d)
    if unit in _BYTES:
        names = (" B", " KiB", " MiB", " GiB", " TiB", " PiB")
        return _scaled(number * 1024 ** _BYTES[unit], 1024, names, d)
    if unit in _SUFFIX:
        return f"{_fixed(number, d)}{_SUFFIX[unit]}"
    if unit == "none" or not unit:
        return _fixed(number, d)
    return f"{_fixed(number, d)} {unit}"


# Data units: id → bytes per unit (k/m/g in steps of 1024, their `dec` forms in steps of 1000).
DATA_UNITS = {
    "bits": 1 / 8, "decbits": 1 / 8, "bytes": 1.0, "decbytes": 1.0, "kbytes": 1024.0, "deckbytes": 1e3,
    "mbytes": 1024.0**2, "decmbytes": 1e6, "gbytes": 1024.0**3, "decgbytes": 1e9,
}  # fmt: skip


def to_base(value: float, unit: str | None) -> float:
    """The value in its quantity's base: seconds for time units, bytes for data, a fraction for
    percentages."""
    unit = unit or "none"
    if unit in TIME_UNITS:
        return value * TIME_UNITS[unit]
    if unit in DATA_UNITS:
        return value * DATA_UNITS[unit]
    if unit == "percent":
        return value / 100
    return value


def convert(value: float, from_unit: str | None, to_unit: str | None) -> float:
    """A threshold's value in the panel's unit, where both measure the same quantity (time, data, percent)."""
    if not from_unit or not to_unit or from_unit == to_unit:
        return value
    percent = ("percent", "percentunit")
    same_kind = any(from_unit in kind and to_unit in kind for kind in (TIME_UNITS, DATA_UNITS, percent))
    if not same_kind:
        return value
    return to_base(value, from_unit) / to_base(1.0, to_unit)
