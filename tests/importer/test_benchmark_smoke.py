"""The import benchmark runs and prints its rows (its 40-panel dashboard round-trips; times are
reported in benchmarks/, never asserted here)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_import_benchmark_runs():
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--only", "import", "--runs", "1"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "[import (40-panel dashboard" in result.stdout
    for row in ("strict parse of the body", "import + YAML + render-back check"):
        assert row in result.stdout
    assert "import: 40 panels" in result.stdout
