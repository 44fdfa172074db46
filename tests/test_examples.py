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


@pytest.mark.slow  # a real signoz-dac process
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


def test_github_workflow_installs_from_a_checkout_as_the_readme_does():
    """signoz-dac is not on PyPI: the workflow installs the checkout of signoz-dac's repository it
    makes, as the README's `pip install .` does, never a package named signoz-dac."""
    import re

    import yaml

    workflow = yaml.safe_load((EXAMPLES / "github-workflow.yml").read_text())
    steps = workflow["jobs"]["dashboards"]["steps"]
    [checkout] = [s for s in steps if s.get("uses", "").startswith("actions/checkout") and "with" in s]
    folder = checkout["with"]["path"]
    installs = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    assert installs and all(re.search(rf"pip install \"?\./{re.escape(folder)}(\[\w+\])?\"?", run) for run in installs), installs
    assert not any(re.search(r"pip install \"?signoz-dac", run) for run in installs)


@pytest.mark.slow
def test_github_workflow_steps_run_against_the_emulator(tmp_path):
    """Each `run:` step of the example workflow, in a copy of a user's repo, as GitHub runs it
    (bash -e), with the secrets pointing at a local SigNoz emulator: lint, render, preview, the
    rehearsal on the workflow's own `signoz-dac emulator` (started in the background, pushed to,
    diffed clean), diff (changes), push, diff (none)."""
    import contextlib
    import os
    import shutil
    import signal
    import socket

    import yaml

    from signoz_dac.testing import SigNozEmulator
    from tests.support import wire

    workflow = yaml.safe_load((EXAMPLES / "github-workflow.yml").read_text())
    job = workflow["jobs"]["dashboards"]
    steps = {s["name"]: s["run"] for s in job["steps"] if "run" in s}
    assert list(steps) == ["Install signoz-dac", "Lint", "Render", "Install the preview extra", "Preview",
                           "Start a SigNoz emulator", "Rehearse the push on the emulator",
                           "What a push would change", "Deploy"]
    shutil.copytree(REPO / "dashboards", tmp_path / "dashboards")
    # A checkout, as actions/checkout leaves it: the definition set comes from its remote.
    for git in (["init", "-q"], ["remote", "add", "origin", "https://github.com/acme/voice-dashboards.git"]):
        subprocess.run(["git", *git], cwd=tmp_path, check=True, capture_output=True)
    bin_dir = os.path.dirname(sys.executable)  # this venv's signoz-dac stands in for `pip install`
    with socket.socket() as probe:  # a free loopback port for the workflow's emulator
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started: list[subprocess.Popen] = []
    with SigNozEmulator(api_keys={"ci-key-0c1d": "editor"}) as emulator:
        env = {**os.environ, **job["env"], "EMULATOR_PORT": str(port), "PATH": f"{bin_dir}:{os.environ['PATH']}",
               "SIGNOZ_URL": emulator.url, "SIGNOZ_API_KEY": "ci-key-0c1d"}

        def step(name: str) -> subprocess.CompletedProcess:
            # its own process group, so the emulator a step leaves running can be stopped below
            process = subprocess.Popen(["bash", "-eo", "pipefail", "-c", steps[name]], cwd=tmp_path, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                       start_new_session=True)
            started.append(process)
            stdout, stderr = process.communicate(timeout=120)
            return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)

        try:
            for name in ("Lint", "Render", "Preview", "Start a SigNoz emulator", "Rehearse the push on the emulator",
                         "What a push would change", "Deploy"):
                result = step(name)
                assert result.returncode == 0, (name, result.stdout[-2000:], result.stderr[-2000:])
                assert "ci-key-0c1d" not in result.stdout + result.stderr
                assert job["env"]["EMULATOR_KEY"] not in result.stdout + result.stderr
            rehearsal = (tmp_path / "emulator.url").read_text().strip()
            assert rehearsal == f"http://127.0.0.1:{port}"
            # The rehearsal emulator holds what the step pushed.
            listed = wire.get(f"{rehearsal}/api/v2/dashboards", headers={"SIGNOZ-API-KEY": job["env"]["EMULATOR_KEY"]})
            assert listed.status_code == 200 and "pipecat-voice-agent" in listed.text
            assert (tmp_path / "build" / "pipecat-voice-agent.json").is_file()
            assert "LiveKit voice agent" in (tmp_path / "preview.html").read_text()
            assert emulator.writes > 0
            writes = emulator.writes
            again = subprocess.run(["bash", "-c", "signoz-dac diff dashboards/*.yaml"], cwd=tmp_path, env=env,
                                   capture_output=True, text=True, timeout=120)
            assert again.returncode == 0, again.stdout[-2000:]  # deployed: nothing left to change
            assert emulator.writes == writes
        finally:
            for process in started:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
