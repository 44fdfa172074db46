"""`signoz-dac emulator`: the SigNoz emulator in the foreground, for users' CI."""

from __future__ import annotations

import os
import selectors
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from tests.support import wire

from .support import cli

DEADLINE = 20.0  # seconds for start-up and for stopping; both take well under one


def start(*args: str) -> tuple[subprocess.Popen, str]:
    """The command in a process of its own, and the URL it printed once ready."""
    command = [sys.executable, "-m", "signoz_dac.cli", "emulator", *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    if not selector.select(timeout=DEADLINE):
        process.kill()
        raise AssertionError("no URL line within the deadline")
    return process, process.stdout.readline().strip()


def stop(process: subprocess.Popen, how: int) -> tuple[int, str, str]:
    process.send_signal(how)
    try:
        stdout, stderr = process.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return process.returncode, stdout, stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow  # a real signoz-dac process
def test_serves_the_keys_it_was_given_and_stops_on_sigterm():
    port = free_port()
    process, url = start("--port", str(port), "--key", "ci-editor-7a", "--key", "ci-viewer-9b:viewer")
    try:
        assert url == f"http://127.0.0.1:{port}"
        with wire.Client(base_url=url, timeout=5) as http:
            assert http.get("/api/v1/version").json()["version"] == "v0.138.0"
            assert http.get("/api/v2/dashboards", headers={"SIGNOZ-API-KEY": "ci-editor-7a"}).status_code == 200
            assert http.get("/api/v2/dashboards", headers={"SIGNOZ-API-KEY": "nope"}).status_code == 401
            viewer = http.post("/api/v2/dashboards", headers={"SIGNOZ-API-KEY": "ci-viewer-9b"}, json={})
            assert viewer.status_code == 403
    finally:
        started = time.monotonic()
        code, stdout, stderr = stop(process, signal.SIGTERM)
    assert code == 0 and time.monotonic() - started < 5
    assert stdout == ""  # the URL line was all
    assert "ci-editor-7a" not in stderr and "ci-viewer-9b" not in stderr
    with pytest.raises(httpx.ConnectError):
        wire.get(f"{url}/api/v1/version", timeout=2)


@pytest.mark.slow  # a real signoz-dac process
def test_push_to_it_then_ctrl_c_exits_130(tmp_path):
    process, url = start("--port", "0", "--key", "push-key-3c", "--version", "0.134.0")
    try:
        version = wire.get(f"{url}/api/v1/version", timeout=5).json()["version"]
        env = {**os.environ, "SIGNOZ_URL": url, "SIGNOZ_API_KEY": "push-key-3c"}
        pushed = subprocess.run([sys.executable, "-m", "signoz_dac.cli", "push"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=120)
        assert pushed.returncode == 0, pushed.stderr
    finally:
        code, _, _ = stop(process, signal.SIGINT)
    assert version == "v0.134.0"
    assert code == 130


def test_a_bad_role_is_usage():
    result = cli("emulator", "--port", "0", "--key", "k:owner")
    assert result.exit_code == 2 and "admin, editor, viewer" in result.stderr


def test_a_port_in_use_is_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        result = cli("emulator", "--port", str(taken.getsockname()[1]))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: cannot listen on 127.0.0.1:")
