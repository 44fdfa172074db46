"""Reading values out of v5 JSON that `shape.malformed` has checked: `null` and absent read as the
Go zero value, so the converters never branch on "missing or null"."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def as_number(value: Any) -> int | float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def positive(value: Any) -> int | None:
    """A positive count (limit, offset, page size) as an int; None for zero, negative or absent."""
    number = as_number(value)
    return int(number) if number is not None and number > 0 else None
