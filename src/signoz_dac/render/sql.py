"""ClickHouse SQL values: literals escaped for SQL string syntax, never pasted raw."""

from __future__ import annotations


def sql_string(value: str) -> str:
    """A ClickHouse string literal: backslash and quote escaped, wrapped in '…'."""
    if not isinstance(value, str):
        raise TypeError(f"sql_string expects a string, got {type(value).__name__}")
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def sql_int(value: int) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"sql_int expects an int, got {type(value).__name__}")
    return str(value)


def sql_number(value: int | float) -> str:
    """A ClickHouse number literal for a finite int or float (a price, a level)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (float("inf"), float("-inf")):
        raise TypeError(f"sql_number expects a finite number, got {value!r}")
    return repr(value) if isinstance(value, int) else f"{value:.12g}"
