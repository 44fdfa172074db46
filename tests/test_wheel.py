"""The built wheel carries templates/ and dashboards/ and renders outside the repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_renders_outside_the_repo(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("signoz_dac-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(venv / "bin" / "signoz-dac"), "render"], cwd=work, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    files = sorted((work / "build").glob("*.json"))
    assert [f.name for f in files] == ["livekit-voice-agent.json", "pipecat-voice-agent.json"]
    assert json.loads(files[1].read_text())["name"] == "pipecat-voice-agent"
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "from signoz_dac.resources import templates_dir; print(templates_dir())"],
        cwd=work, capture_output=True, text=True, env=env, check=True,
    ).stdout.strip()
    assert "site-packages" in where and where.endswith("signoz_dac/_data/templates")
    # The first hour after `pip install`: render names the built-in definitions without the
    # site-packages path, `init` writes a shipped definition to edit, and the README's library
    # example finds the shipped definition by name.
    assert "site-packages" not in result.stdout and "(from <builtin>/pipecat.yaml)" in result.stdout
    init = subprocess.run([str(venv / "bin" / "signoz-dac"), "init", "pipecat", "my-agent.yaml"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=120)
    assert init.returncode == 0, init.stderr
    assert (work / "my-agent.yaml").read_text().startswith("# Pipecat voice agent")
    mine = subprocess.run([str(venv / "bin" / "signoz-dac"), "render", "my-agent.yaml", "--stdout"], cwd=work,
                          capture_output=True, text=True, env=env, timeout=120)
    assert mine.returncode == 0 and json.loads(mine.stdout)["name"] == "pipecat-voice-agent", mine.stderr
    library = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import signoz_dac; d = signoz_dac.load_definition("
         "signoz_dac.builtin_definition('livekit')); print(signoz_dac.render(d)['name'])"],
        cwd=work, capture_output=True, text=True, env=env, timeout=120,
    )
    assert library.returncode == 0 and library.stdout.strip() == "livekit-voice-agent", library.stderr
