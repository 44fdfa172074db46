"""The real `signoz-dac` entry point in a subprocess: exit codes, streams, the key, start-up imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from signoz_dac.testing import SigNozEmulator
from tests.client.support import CANARY, KEYS

from .cli_support import write_bodies


def _signoz_dac(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SIGNOZ_") or k == "SIGNOZ_DAC_CACHE_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "signoz_dac.cli", *args], env={**clean, **env}, cwd=cwd,
        capture_output=True, text=True, timeout=60, check=False,
    )


@pytest.mark.slow  # a real signoz-dac process
def test_push_and_diff_in_a_real_process(tmp_path):
    files = write_bodies(tmp_path / "in", "proc-a", "proc-b")
    with SigNozEmulator(api_keys=KEYS) as emulator:
        env = {"SIGNOZ_URL": emulator.url, "SIGNOZ_API_KEY": CANARY}
        pushed = _signoz_dac(["push", *files], env, tmp_path)
        assert pushed.returncode == 0, pushed.stderr
        assert pushed.stderr == ""  # no progress bar or warning when stderr is not a terminal
        diffed = _signoz_dac(["diff", *files], env, tmp_path)
        assert diffed.returncode == 0, diffed.stderr
        refused = _signoz_dac(["push", *files], {**env, "SIGNOZ_API_KEY": "wrong"}, tmp_path)
        assert refused.returncode == 3 and refused.stderr.startswith("error: ")
        for result in (pushed, diffed, refused):
            assert CANARY not in result.stdout + result.stderr
            assert "Traceback" not in result.stderr
    assert not any(CANARY in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


@pytest.mark.slow
def test_bad_input_in_a_real_process_is_one_line(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  \"name\": \n")
    result = _signoz_dac(["push", str(broken)], {"SIGNOZ_URL": "http://127.0.0.1:9", "SIGNOZ_API_KEY": CANARY}, tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "broken.json:3" in result.stderr


@pytest.mark.slow  # a real signoz-dac process
@pytest.mark.parametrize("module", ["signoz_dac.cli.push", "signoz_dac.cli.diff"])
def test_command_modules_import_nothing_heavy(module):
    code = (
        f"import sys, {module}; "
        "heavy = [m for m in ('httpx', 'rich', 'pydantic', 'yaml', 'jinja2') if m in sys.modules]; "
        "print(heavy); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout
