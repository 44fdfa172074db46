"""The benchmarks run end to end at a small scale and print their table; times are never asserted.

What is asserted is correctness: our SQL panels' values agree with the brute-force ground truth
(run.py exits 1 otherwise, and the table says so per range), and an unchanged re-push writes nothing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require_shared

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_run() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--scale", "small", "--runs", "1"],
        capture_output=True, text=True, timeout=240, cwd=REPO,
    )


def test_completes_and_prints_the_table(small_run):
    assert small_run.returncode == 0, small_run.stdout[-3000:] + small_run.stderr[-3000:]
    out = small_run.stdout
    assert "measure" in out and "baseline" in out and "ratio" in out
    for section in ("[query cost:", "[query values: ours vs brute-force ground truth", "[query cost vs retention",
                    "[tool speed", "[push:"):
        assert section in out, f"missing section {section}"
    assert "correctness checks passed" in out


def test_our_sql_agrees_with_the_ground_truth(small_run):
    truth = [line for line in small_run.stdout.splitlines() if "all 3 panels equal" in line]
    assert len(truth) == 6  # two frameworks × three ranges
    assert all(line.rstrip().endswith("met") for line in truth), "\n".join(truth)


def test_official_sql_was_measured(small_run):
    require_shared()
    assert "official SigNoz template" in small_run.stdout


def test_unchanged_repush_writes_nothing(small_run):
    repush = [line for line in small_run.stdout.splitlines() if line.startswith("re-push unchanged")]
    assert len(repush) == 4  # concurrency 1, 4, 8 and the whole CLI process
    assert not any("POST" in line or "PUT" in line or "DELETE" in line for line in repush), "\n".join(repush)
