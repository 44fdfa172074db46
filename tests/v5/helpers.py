"""Helpers for the v5 tests: the comparison form of a v6 body, a readable diff, and the path
language of SigNoz's conversion vectors."""

from __future__ import annotations

from typing import Any

from signoz_dac.signoz.v5.durations import seconds
from signoz_dac.sync.canonical import canonical


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        pruned = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _normalised(value: Any, key: str = "") -> Any:
    """SigNoz's own equivalences on store: an integer decimalPrecision is its string, a step or
    span-gap duration is its number of seconds; grid items are a set of boxes."""
    if isinstance(value, dict):
        out = {k: _normalised(v, k) for k, v in value.items()}
        if isinstance(out.get("items"), list):
            out["items"] = sorted(out["items"], key=lambda i: (i["y"], i["x"], i["content"]["$ref"]))
        return out
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    if key == "decimalPrecision" and isinstance(value, int):
        return str(value)
    if key in ("stepInterval", "fillLessThan") and isinstance(value, str):
        return seconds(value) if value else 0
    if key == "stepInterval" and isinstance(value, (int, float)):
        return float(value)
    return value


def comparable(body: dict[str, Any]) -> dict[str, Any]:
    """A v6 body as SigNoz sees it: the canonical form (as SigNoz stores it, every default written
    out, empty values dropped), grid items as a set of boxes."""
    return _pruned(_normalised(canonical(body)))


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Paths where two JSON values differ, with both values."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                out.append(f"{sub}: {a.get(key, '<absent>')!r} != {b.get(key, '<absent>')!r}")
            else:
                out += differences(a[key], b[key], sub)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
