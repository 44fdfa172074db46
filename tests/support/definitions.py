"""Checking how a definition is refused: one line, at its file and line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError


def starts_at(message: str, path: Path | str, line: int, then: str = "") -> bool:
    """Whether `message` starts at `path:line:` (and a column, where the error has one), followed
    by `then`."""
    return re.match(rf"{re.escape(str(path))}:{line}(:[0-9]+)?: {re.escape(then)}", message) is not None


def refused_at(path: Path, line: int, *words: str) -> str:
    """The message `load_definition` refuses `path` with: one line, starting at `path:line`, holding
    every one of `words`."""
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    message = str(info.value)
    assert starts_at(message, path, line), message
    for word in words:
        assert word in message, message
    assert "\n" not in message
    return message
