"""Every case of SigNoz's own v1/v5 -> v6 conversion tests (`v1-to-v6.json`) passes through the
step of ours it names."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED, require_shared

from . import vectors


def _ids() -> list[str]:
    return [v["id"] for v in vectors.load(SHARED)] if SHARED.is_dir() else ["shared-absent"]


@pytest.fixture(scope="module")
def by_id() -> dict[str, dict]:
    return {v["id"]: v for v in vectors.load(require_shared())}


@pytest.mark.parametrize("vector_id", _ids())
def test_conversion_vector(by_id, vector_id):
    vector = by_id[vector_id]
    assert vectors.failures(vector) == [], f"{vector['what']} ({vector['source']})"


def test_every_unit_and_form_is_covered(by_id):
    # A vector whose unit we do not run would fail above; this guards the count against a
    # silently shrinking file.
    assert len(by_id) == 144
    assert {v["v6_form"] for v in by_id.values()} == {"exact", "assertions", "error"}
