"""Fixtures for the v6 schema tests; the body builders live in bodies.py."""

from __future__ import annotations

from typing import Any

import pytest

from .bodies import make_body


@pytest.fixture
def body() -> dict[str, Any]:
    """A fresh minimal valid body (every panel, query and variable kind), safe to mutate."""
    return make_body()
