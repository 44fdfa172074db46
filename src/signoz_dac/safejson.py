"""Limits for reading JSON (and files) we did not write: a dashboard file, a server's reply.

Python's `json` accepts `NaN` and `Infinity` (not JSON, and SigNoz's Go decoder refuses them) and
raises RecursionError on deep nesting (`[` × 100 000); code that walks a parsed body recursively
can hit the same limit on far less. SigNoz dashboards nest about 16 levels and rules about 10, so a
document nested deeper than MAX_DEPTH is refused before anything walks it, as is a file larger
than MAX_INPUT_BYTES (read no further than that, so `/dev/zero` costs nothing).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAX_DEPTH = 64  # objects and arrays nested in one another
MAX_INPUT_BYTES = 16 * 1024 * 1024  # a definition or dashboard file (push sends at most 8 MiB: see the client)


class JSONLimitError(ValueError):
    """Text that is not JSON we accept; `line` is where, when known."""

    def __init__(self, message: str, line: int | None = None):
        self.message = message
        self.line = line
        super().__init__(message)


class TooLarge(ValueError):
    """A file larger than the limit read from it."""


def _no_constants(name: str) -> Any:
    raise JSONLimitError(f"{name} is not a JSON number (non-finite numbers are refused)")


def loads(data: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads` without NaN or Infinity and without RecursionError: JSONLimitError instead
    (json.JSONDecodeError, a ValueError, for text that is not JSON at all)."""
    try:
        value = json.loads(data, parse_constant=_no_constants)
    except RecursionError:
        raise JSONLimitError(f"nested more than {max_depth} levels deep") from None
    except JSONLimitError as exc:
        raise JSONLimitError(exc.message, _constant_line(data)) from None
    if nesting_exceeds(value, max_depth):
        raise JSONLimitError(f"nested more than {max_depth} levels deep")
    return value


def nesting_exceeds(value: Any, max_depth: int = MAX_DEPTH) -> bool:
    """Whether objects and arrays nest deeper than `max_depth` in `value` (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def read_limited(path: Path, limit: int = MAX_INPUT_BYTES) -> bytes:
    """A file's bytes, reading at most `limit` + 1 of them; TooLarge beyond `limit` (OSError as usual)."""
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"larger than {_size(limit)}")
    return data


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit} bytes"


def _constant_line(data: str | bytes) -> int | None:
    """The line of the first NaN or Infinity outside a string (the decoder does not say where)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    line, in_string, escaped = 1, False, False
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "\n":
            line += 1
        elif char in "NI-" and text.startswith(("NaN", "Infinity", "-Infinity"), index):
            return line
    return None
