"""Every example runs, as a user would run it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

EXAMPLES = REPO / "examples"


def run(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_ci_render_and_validate_builtin(tmp_path):
    result = run(str(EXAMPLES / "ci_render_and_validate.py"), "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["livekit-voice-agent.json", "pipecat-voice-agent.json"]
    assert result.stdout.count("ok   ") == 2


def test_ci_render_and_validate_fails_on_a_bad_definition(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((EXAMPLES / "custom-latency.yaml").read_text().replace("type: turn_latency", "type: turn_lag"))
    result = run(str(EXAMPLES / "ci_render_and_validate.py"), str(bad), "--out", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert f"FAIL {bad}:" in result.stderr and "unknown type 'turn_lag'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_custom_yaml_example_renders(tmp_path):
    result = run("-m", "signoz_dac.cli", "render", str(EXAMPLES / "custom-latency.yaml"), "--stdout", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    llm = body["spec"]["panels"]["component-latency-llm"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["queries"]
    assert all("deployment.environment = 'production'" in q["spec"]["filter"]["expression"] for q in llm if q["type"] == "builder_query")


def test_custom_dashboard_in_python(tmp_path):
    result = run(str(EXAMPLES / "custom_dashboard.py"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["name"] == "livekit-latency"
    assert set(body["spec"]["panels"]) == {
        "turn-latency", "turn-latency-p95", "component-latency-stt", "component-latency-llm", "component-latency-tts",
    }


@pytest.mark.slow
def test_github_workflow_steps_run_against_the_emulator(tmp_path):
    """Each `run:` step of the example workflow, in a copy of a user's repo, with the secrets
    pointing at a local SigNoz emulator: lint, render, diff (changes), push, diff (none)."""
    import os
    import shutil

    import yaml

    from signoz_dac.testing import SigNozEmulator

    workflow = yaml.safe_load((EXAMPLES / "github-workflow.yml").read_text())
    steps = {s["name"]: s["run"] for s in workflow["jobs"]["dashboards"]["steps"] if "run" in s}
    assert list(steps) == ["Install signoz-dac", "Lint", "Render", "Install the preview extra", "Preview",
                           "What a push would change", "Deploy"]
    shutil.copytree(REPO / "dashboards", tmp_path / "dashboards")
    # A checkout, as actions/checkout leaves it: the definition set comes from its remote.
    for git in (["init", "-q"], ["remote", "add", "origin", "https://github.com/acme/voice-dashboards.git"]):
        subprocess.run(["git", *git], cwd=tmp_path, check=True, capture_output=True)
    bin_dir = os.path.dirname(sys.executable)  # this venv's signoz-dac stands in for `pip install`
    with SigNozEmulator(api_keys={"ci-key-0c1d": "editor"}) as emulator:
        env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}",
               "SIGNOZ_URL": emulator.url, "SIGNOZ_API_KEY": "ci-key-0c1d"}

        def step(name: str) -> subprocess.CompletedProcess:
            return subprocess.run(["bash", "-c", steps[name]], cwd=tmp_path, env=env,
                                  capture_output=True, text=True, timeout=120)

        for name in ("Lint", "Render", "Preview", "What a push would change", "Deploy"):
            result = step(name)
            assert result.returncode == 0, (name, result.stdout[-2000:], result.stderr[-2000:])
            assert "ci-key-0c1d" not in result.stdout + result.stderr
        assert (tmp_path / "build" / "pipecat-voice-agent.json").is_file()
        assert "LiveKit voice agent" in (tmp_path / "preview.html").read_text()
        assert emulator.writes > 0
        writes = emulator.writes
        again = subprocess.run(["bash", "-c", "signoz-dac diff dashboards/*.yaml"], cwd=tmp_path, env=env,
                               capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stdout[-2000:]  # deployed: nothing left to change
        assert emulator.writes == writes
