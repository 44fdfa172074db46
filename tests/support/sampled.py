"""Fault and scenario tables in the fast loop: a sample of the cases runs there, all of them in the
whole suite (the others are marked `slow`), so `pytest -m "not slow"` stays a quick loop that still
touches every kind of case the table names."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest


def sampled(table: Sequence[Sequence[Any]], every: int = 3, *, id_is_a_value: bool = False) -> list[Any]:
    """`(id, value, ...)` rows as pytest params named by their id (and passed to the test too with
    `id_is_a_value`); every `every`-th row, from the first, is in the fast loop."""
    return [
        pytest.param(*(row if id_is_a_value else row[1:]), id=row[0],
                     marks=() if index % every == 0 else pytest.mark.slow)
        for index, row in enumerate(table)
    ]
