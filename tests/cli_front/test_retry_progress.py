"""A slow or failing SigNoz is visible: one line on stderr per retry, with the attempt and the
reason, never the key."""

from __future__ import annotations

import os
import re
import socket

import pytest

from signoz_dac.signoz.client import RetryPolicy, SigNozClient
from signoz_dac.testing import SigNozEmulator
from signoz_dac.testing.emulator import LIST
from tests.conftest import REPO

from .support import run

KEY = "retry-key-5e7f0a"


def test_the_client_reports_each_retry_before_waiting():
    heard: list[tuple[int, int, float, str]] = []
    waits: list[float] = []
    with SigNozEmulator(api_keys={KEY: "editor"}) as emulator:
        emulator.inject("status", route=LIST, times=2, status=503)
        client = SigNozClient(emulator.url, KEY, retry=RetryPolicy(attempts=4, backoff=0.01), sleep=waits.append,
                              on_retry=lambda n, of, delay, error: heard.append((n, of, delay, str(error))))
        with client:
            client.list_dashboards()
    assert [(n, of) for n, of, _, _ in heard] == [(1, 4), (2, 4)]
    assert [delay for _, _, delay, _ in heard] == waits
    assert all("503" in said and "GET /api/v2/dashboards" in said for *_, said in heard)


@pytest.mark.slow  # the real back-off: about 5 s
def test_diff_says_each_retry_when_signoz_is_down(tmp_path):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "SIGNOZ_URL": f"http://127.0.0.1:{port}", "SIGNOZ_API_KEY": KEY}
    result = run("diff", str(REPO / "dashboards" / "pipecat.yaml"), "--no-alerts", cwd=tmp_path, env=env, timeout=60)
    assert result.returncode == 3
    notes = [line for line in result.stderr.splitlines() if line.startswith("note: attempt")]
    assert len(notes) == 4, result.stderr
    for number, line in enumerate(notes, 1):
        assert re.fullmatch(rf"note: attempt {number} of 5 failed \(GET /api/v1/version: cannot reach "
                            rf"http://127\.0\.0\.1:{port}: .+\); retrying in \d+\.\d s", line), line
    assert KEY not in result.stdout + result.stderr
