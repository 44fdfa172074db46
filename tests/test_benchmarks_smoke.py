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
        capture_output=True, text=True, timeout=600, cwd=REPO,
    )


def test_completes_and_prints_the_table(small_run):
    assert small_run.returncode == 0, small_run.stdout[-3000:] + small_run.stderr[-3000:]
    out = small_run.stdout
    assert "measure" in out and "baseline" in out and "ratio" in out
    for section in ("[query cost:", "[query values: ours vs brute-force ground truth", "[query cost vs retention",
                    "[tool speed", "[start-up", "[push:"):
        assert section in out, f"missing section {section}"
    assert "correctness checks passed" in out


def test_start_up_is_measured_against_the_import_floor(small_run):
    """The start-up part prints render and lint, with inputs unchanged (cached) and on a first run,
    with their ratios to the floor and their goals (met or not: times are never asserted)."""
    out = small_run.stdout
    assert 'python -c "import typer, pydantic, jinja2, yaml"' in out and "(the floor)" in out
    assert any(line.startswith("the floor + one Pydantic model defined") and "(for information)" in line
               for line in out.splitlines())
    for command, goal in (("signoz-dac render (both built-ins and their alert rules)", "≤ 1.3× of floor"),
                          ("signoz-dac lint dashboards/pipecat.yaml", "≤ 1.5× of floor")):
        for case, target in ((", inputs unchanged (cached)", goal), (", first run (--no-cache)", "(for information)")):
            line = next(line for line in out.splitlines() if line.startswith(command + case))
            assert "wall," in line and "CPU" in line and target in line, line


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
