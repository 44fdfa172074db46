"""How a push stops, in real processes: at its --timeout deadline (a server that hangs or trickles
bytes cannot hold it), and at Ctrl-C (no new write starts, the one in flight ends, the report says
what was done, the lock is released, exit 130). Each case is bounded to a few seconds."""

from __future__ import annotations

import json
import signal
import time

import pytest

from signoz_dac.sync.lock import LOCK_NAME
from signoz_dac.testing import SigNozEmulator
from signoz_dac.testing.emulator import LIST, RULE_CREATE, SLOW, VERSION
from signoz_dac.testing.faults import HANG, TRICKLE, TRICKLE_BODY
from tests.alerts_push.support import DASHBOARD, RULES, definition
from tests.client.support import CANARY, KEYS

from .cli_support import process_env, spawn

pytestmark = pytest.mark.slow


def _finish(process, limit: float) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=limit)
    assert "Traceback" not in stderr and CANARY not in stdout + stderr
    return process.returncode, stdout, stderr


@pytest.mark.parametrize(
    ("route", "fault"),
    [(VERSION, dict(kind=HANG)), (LIST, dict(kind=TRICKLE, delay=0.3)), (VERSION, dict(kind=TRICKLE_BODY, delay=0.3))],
    ids=["a server that never answers", "a server trickling its answer", "a server trickling its body"],
)
def test_the_deadline_ends_a_push_on_a_stuck_server(tmp_path, route, fault):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        emulator.inject(fault.pop("kind"), route=route, times=1000, **fault)
        started = time.monotonic()
        process = spawn(["push", "--timeout", "2", definition(tmp_path)], process_env(emulator.url), tmp_path)
        code, stdout, stderr = _finish(process, 30)
        elapsed = time.monotonic() - started
    assert code == 3 and stdout == "", stderr
    [line] = stderr.splitlines()
    assert "gave up: the deadline of 2 s passed" in line and line.endswith("nothing was written")
    assert elapsed < 6, elapsed  # start-up, and the 2 s


def test_the_deadline_during_the_writes_says_what_was_done_and_a_rerun_converges(tmp_path):
    with SigNozEmulator(api_keys=KEYS, channels=[]) as emulator:
        emulator.inject(SLOW, route=RULE_CREATE, delay=0.8, times=RULES)  # each rule answers 0.8 s late
        path = definition(tmp_path)
        process = spawn(["push", "--timeout", "3", "--concurrency", "1", path], process_env(emulator.url), tmp_path)
        code, stdout, stderr = _finish(process, 30)
        assert code == 3, stdout + stderr
        assert "skipped" in stdout
        last = stderr.splitlines()[-1]
        assert last.startswith("error: the deadline of 3 s (--timeout) passed during the push: ")
        assert "not started" in last and last.endswith("run push again to finish")
        assert emulator.by_name(LOCK_NAME) == []
        emulator.clear_faults()
        again = spawn(["push", path], process_env(emulator.url), tmp_path)
        code, stdout, stderr = _finish(again, 60)
        assert code == 0, stdout + stderr
        assert len(emulator.rules) == RULES and len(emulator.by_name(DASHBOARD)) == 1  # no duplicate


def _interrupt_while_writing(tmp_path, emulator, signals: int, *flags: str):
    emulator.inject(SLOW, route=RULE_CREATE, delay=0.6, times=100)
    process = spawn(["push", "--concurrency", "1", *flags, definition(tmp_path)], process_env(emulator.url), tmp_path)
    deadline = time.monotonic() + 30
    while not emulator.rules and time.monotonic() < deadline:  # wait until rules are being written
        time.sleep(0.02)
    assert emulator.rules, "the push never started writing rules"
    started = time.monotonic()
    for _ in range(signals):
        process.send_signal(signal.SIGINT)
        time.sleep(0.1)
    code, stdout, stderr = _finish(process, 30)
    return code, stdout, stderr, time.monotonic() - started


def test_ctrl_c_during_the_writes_stops_new_ones_reports_and_releases_the_lock(tmp_path):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        code, stdout, stderr, elapsed = _interrupt_while_writing(tmp_path, emulator, signals=1)
        assert code == 130, stdout + stderr
        assert elapsed < 3, elapsed  # the write in flight (0.6 s) ends; nothing else starts
        assert "skipped" in stdout and "created" in stdout  # the usual report
        lines = stderr.splitlines()
        assert lines[0] == "note: interrupted: finishing the writes in progress (Ctrl-C again to stop waiting for them)"
        assert lines[-1].startswith("error: interrupted: ") and lines[-1].endswith("run push again to finish")
        created = stdout.count(" created ")
        assert len(emulator.rules) + 1 == created and len(emulator.rules) < RULES  # what it says is what was done
        time.sleep(0.8)
        assert len(emulator.rules) + 1 == created  # and nothing is written after it exits
        assert emulator.by_name(LOCK_NAME) == []
        emulator.clear_faults()
        again = spawn(["push", definition(tmp_path)], process_env(emulator.url), tmp_path)
        code, stdout, stderr = _finish(again, 60)
        assert code == 0 and len(emulator.rules) == RULES, stdout + stderr


def test_a_second_ctrl_c_abandons_the_write_in_flight_and_keeps_the_lock(tmp_path):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        code, stdout, stderr, elapsed = _interrupt_while_writing(tmp_path, emulator, 2, "--output", "json")
        assert code == 130 and elapsed < 1.5, (elapsed, stderr)
        last = stderr.splitlines()[-1]
        assert last.startswith("error: interrupted, writes in flight abandoned: ")
        report = json.loads(stdout)
        assert report["exit_code"] == 130
        [abandoned] = [item for item in report["items"] if item["result"] == "failed"]
        assert abandoned["kind"] == "rule" and "may or may not have reached SigNoz" in abandoned["message"]
        # The abandoned write may still land: the lock stays (until it expires) so no push races it.
        assert len(emulator.by_name(LOCK_NAME)) == 1


@pytest.mark.parametrize("command", ["push", "diff"])
def test_ctrl_c_while_planning_is_one_line_and_exit_130(tmp_path, command):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        emulator.inject(HANG, route=LIST, times=10)
        process = spawn([command, definition(tmp_path)], process_env(emulator.url), tmp_path)
        deadline = time.monotonic() + 30
        while not emulator.calls[LIST] and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        code, stdout, stderr = _finish(process, 10)
        assert code == 130 and stdout == ""
        [line] = stderr.splitlines()
        assert line.startswith("error: interrupted; nothing was written")
        assert emulator.by_name(LOCK_NAME) == [] and emulator.writes == 0
