"""Contract: the rendered dashboards pass SigNoz's own schema and server rules, as checked by the
independent oracle in ../shared/tools (SigNoz's OpenAPI as strict JSON Schema + the cross-field rules)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from signoz_dac.cli.render import render_command  # noqa: F401  (the CLI is what users run)


@pytest.mark.slow  # a real signoz-dac process
def test_oracle_reports_the_rendered_dashboards_valid(shared, tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "signoz_dac.cli", "render", "-d", str(tmp_path)],
        capture_output=True, text=True, check=True,
    )
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 2, result.stdout
    oracle = subprocess.run(
        [sys.executable, str(shared / "tools" / "signoz_v6_oracle.py"), *map(str, files)],
        capture_output=True, text=True,
    )
    assert oracle.returncode == 0, oracle.stdout + oracle.stderr
    assert oracle.stdout.strip().endswith("2 valid, 0 invalid")
    assert "INVALID" not in oracle.stdout
