"""The push lock (sync/lock.py): a marker dashboard, taken by a push that writes, released when it
ends, waited for under the deadline, broken when stale, and never taken by a push with nothing to
write; where SigNoz enforces unique names (0.135+) and where it does not (older releases: v1
dashboards, or v2 ones with use_dashboard_v2 on). Over real HTTP against the emulator."""

from __future__ import annotations

import json
import threading
import time

import httpx
import pytest

from signoz_dac.identity import is_managed
from signoz_dac.signoz import client as client_module
from signoz_dac.signoz.deadline import Deadline
from signoz_dac.signoz.errors import DeadlineExceeded
from signoz_dac.sync.lock import LOCK_NAME, DashboardLock, lock_body
from signoz_dac.testing import FAST_RETRY
from signoz_dac.testing.emulator import CREATE, RULE_CREATE
from tests.alerts_push.support import DASHBOARD, definition
from tests.client.support import client
from tests.support.versions import versions

from .cli_support import run


@pytest.fixture(autouse=True)
def fast_client(monkeypatch, tmp_path):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", httpx.Timeout(10.0))
    monkeypatch.chdir(tmp_path)


def _lock(emulator, notes: list[str], **kwargs) -> DashboardLock:
    c = client(emulator.url, deadline=kwargs.pop("deadline", None))
    return DashboardLock(c, notice=notes.append, poll=(0.05, 0.2), **kwargs)


EVERY_KIND = versions("0.138", "0.134", "0.134-flag")  # unique names; v1 dashboards; v2 without unique names


@EVERY_KIND
def test_the_lock_is_a_dashboard_a_person_understands_and_it_goes_away(emulator):
    notes: list[str] = []
    lock = _lock(emulator, notes, holder="signoz-dac on ci-7 (pid 42)")
    lock.acquire()
    [marker] = emulator.by_name(LOCK_NAME)
    assert is_managed(marker) and {"key": "signoz-dac-lock", "value": "push"} in marker["tags"]
    display = marker["spec"]["display"]
    assert display["name"] == "signoz-dac: push in progress (lock, removed when it ends)"
    assert "held by signoz-dac on ci-7 (pid 42) since" in display["description"].lower()
    assert marker["spec"]["panels"] == {}
    assert lock.release() is None and emulator.by_name(LOCK_NAME) == [] and notes == []


@EVERY_KIND
def test_a_second_push_waits_for_the_lock(emulator):
    first, second_notes = _lock(emulator, []), []
    first.acquire()
    second = _lock(emulator, second_notes, deadline=Deadline(10))
    got = threading.Event()
    waiter = threading.Thread(target=lambda: (second.acquire(), got.set()))
    waiter.start()
    time.sleep(0.5)
    assert not got.is_set()  # still waiting while the first holds it
    first.release()
    waiter.join(5)
    assert got.is_set() and len(emulator.by_name(LOCK_NAME)) == 1
    [note] = second_notes
    assert note.startswith("waiting for another push to finish")
    second.release()


@EVERY_KIND
def test_a_held_lock_is_waited_for_until_the_deadline_only(emulator):
    _lock(emulator, []).acquire()
    notes: list[str] = []
    started = time.monotonic()
    with pytest.raises(DeadlineExceeded) as info:  # 2 s: the lock's own requests fit in it on a loaded machine too
        _lock(emulator, notes, deadline=Deadline(2.0)).acquire()
    assert time.monotonic() - started < 3.5
    assert "gave up waiting for another push" in str(info.value) and "nothing was written" in str(info.value)
    assert len(emulator.by_name(LOCK_NAME)) == 1  # the holder's, untouched


@EVERY_KIND
@pytest.mark.parametrize("record", [True, False], ids=["expired", "no expiry recorded"])
def test_a_stale_lock_is_broken_saying_so(emulator, tmp_path, record):
    """A push that crashed left its lock: the next push removes it and goes on."""
    stale = lock_body("ab" * 8, "signoz-dac on gone (pid 1)", time.time() - 900, time.time() - 300)
    if not record:
        stale["spec"]["display"]["description"] = "edited by someone"
    emulator.seed(stale)
    result = run(["push", definition(tmp_path)], url=emulator.url)
    assert result.code == 0, result.text
    assert "note: removing a stale push lock" in result.stderr and "did not end cleanly" in result.stderr
    assert emulator.by_name(LOCK_NAME) == [] and len(emulator.by_name(DASHBOARD)) == 1


@EVERY_KIND
def test_a_push_gives_up_on_a_held_lock_at_its_timeout_and_writes_nothing(emulator, tmp_path):
    emulator.seed(lock_body("cd" * 8, "signoz-dac on other (pid 2)", time.time(), time.time() + 600))
    result = run(["push", "--timeout", "1.5", definition(tmp_path)], url=emulator.url)
    assert result.code == 3, result.text
    lines = [line for line in result.stderr.splitlines() if not line.startswith("note: SigNoz")]  # the version note
    assert lines[0].startswith("note: waiting for another push to finish")
    assert lines[-1].startswith("error: gave up waiting for another push") and "(--timeout" in lines[-1]
    assert emulator.by_name(DASHBOARD) == [] and emulator.rules == {}


@EVERY_KIND
def test_a_dashboard_we_do_not_manage_with_the_lock_name_stops_push(emulator, tmp_path):
    foreign = lock_body("ef" * 8, "x", 0, 0)
    foreign["tags"] = []
    emulator.seed(foreign)
    result = run(["push", definition(tmp_path)], url=emulator.url)
    assert result.code == 3
    [line] = [line for line in result.stderr.splitlines() if not line.startswith("note: SigNoz")]
    assert "signoz-dac did not create" in line and "rename or delete that dashboard" in line
    assert emulator.by_name(DASHBOARD) == []


def test_the_lock_name_is_reserved(emulator, tmp_path):
    path = tmp_path / "lock.json"
    body = lock_body("00" * 8, "x", 0, 0)
    body["tags"] = []
    path.write_text(json.dumps(body))
    result = run(["push", str(path)], url=emulator.url)
    assert result.code == 2 and "reserved for push's lock" in result.stderr
    assert sum(emulator.calls.values()) == 0


@EVERY_KIND
def test_a_push_with_nothing_to_write_takes_no_lock(emulator, tmp_path):
    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    emulator.reset_counters()
    assert run(["push", path], url=emulator.url).code == 0
    assert emulator.writes == 0 and emulator.calls[emulator.route_for(CREATE)] == 0


@EVERY_KIND
def test_the_lock_is_released_when_the_push_fails(emulator, tmp_path):
    emulator.inject("status", route=emulator.route_for(RULE_CREATE), status=500, times=100)
    result = run(["push", definition(tmp_path)], url=emulator.url)
    assert result.code == 3
    assert emulator.by_name(LOCK_NAME) == [] and emulator.calls[emulator.route_for(CREATE)] == 2  # the lock, the dashboard


@versions("0.134", "0.134-flag")
def test_where_names_are_not_unique_a_push_that_sees_another_marker_lets_its_own_go(emulator):
    """Nothing refuses a second marker here: a push holds the lock only when its marker is the only
    live one once created; otherwise it removes its own and waits."""
    emulator.seed(lock_body("cd" * 8, "signoz-dac on other (pid 2)", time.time(), time.time() + 600))
    with pytest.raises(DeadlineExceeded):
        _lock(emulator, [], deadline=Deadline(1.0)).acquire()
    [marker] = emulator.by_name(LOCK_NAME)
    assert "pid 2" in marker["spec"]["display"]["description"]  # the other's, untouched
    assert emulator.calls[emulator.route_for(CREATE)] >= 1  # ours was made, then removed


@versions("0.134", "0.134-flag")
def test_where_names_are_not_unique_the_lock_still_admits_one_holder_at_a_time(emulator):
    """Several pushes taking the lock over and over, at the same moments: never two holders at once."""
    emulator.latency = 0.005  # requests interleave as they do between CI jobs
    holding, most, errors = [0], [0], []
    guard = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(4):
                lock = _lock(emulator, [], deadline=Deadline(30))
                lock._poll = (0.01, 0.05)
                lock.acquire()
                with guard:
                    holding[0] += 1
                    most[0] = max(most[0], holding[0])
                time.sleep(0.02)
                with guard:
                    holding[0] -= 1
                assert lock.release() is None
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and most[0] == 1 and emulator.by_name(LOCK_NAME) == []


@versions("0.138", "0.134")
def test_planning_again_under_the_lock_fetches_only_what_moved(emulator, tmp_path):
    """The plan made under the lock lists again, but a dashboard the list shows unchanged since the
    first look is not fetched a second time."""
    from signoz_dac.testing.emulator import DELETE, GET, LIST

    assert run(["push", definition(tmp_path / "first")], url=emulator.url).code == 0
    emulator.reset_counters()
    result = run(["push", definition(tmp_path / "second", turn_warning=900)], url=emulator.url)  # a rule changed
    assert result.code == 0, result.text
    route = emulator.route_for
    assert emulator.calls[route(CREATE)] == 1 and emulator.calls[route(DELETE)] == 1  # the lock
    # Two plans list once each; where names are not unique the lock looks for other markers too.
    lists = 2 if emulator.version == "v0.138.0" else 3
    assert emulator.calls[route(LIST)] == lists and emulator.calls[route(GET)] == 1
