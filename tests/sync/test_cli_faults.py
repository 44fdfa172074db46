"""Every fault kind, through `signoz-dac push`: no duplicate, nothing lost, the documented exit code,
and a re-run converges; against SigNoz 0.138 (v6 through /api/v2, unique names), 0.134 and 0.120
(v5 through /api/v1, where nothing refuses a duplicate). Over real HTTP; retries are quick (FAST_RETRY)
and read timeouts short."""

from __future__ import annotations

import httpx
import pytest

from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY
from signoz_dac.testing.emulator import CREATE, GET, LIST, LOCK, UPDATE
from tests.support.sampled import sampled
from tests.support.timing import READ_TIMEOUT, SLOW
from tests.support.versions import unique_names, versions

from .cli_support import run, write_bodies

NAMES = ("f-one", "f-two", "f-three")
pytestmark = versions("0.138", "0.134", "0.120")


@pytest.fixture(autouse=True)
def fast_client(monkeypatch, tmp_path):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", httpx.Timeout(5.0, read=READ_TIMEOUT))
    monkeypatch.chdir(tmp_path)


def _assert_converged(emulator, files, title=None):
    """Exactly one dashboard per name, each with the content pushed; another push writes nothing."""
    for name in NAMES:
        [stored] = emulator.by_name(name)
        if title:
            assert stored["spec"]["display"]["name"] == title
    emulator.reset_counters()
    again = run(["push", *files], url=emulator.url)
    assert again.code == 0 and emulator.writes == 0, again.stdout + again.stderr


# (id, route, fault options, pushing an update rather than a create?)
TRANSIENT = [
    ("502 burst on list", LIST, {"kind": "status", "status": 502, "times": 3}, False),
    ("429 with Retry-After on create", CREATE, {"kind": "status", "status": 429, "retry_after": 1, "times": 2}, False),
    ("reset on get", GET, {"kind": "reset", "times": 2}, True),
    ("slow create (response after the timeout)", CREATE, {"kind": "slow", "delay": SLOW, "times": 2}, False),
    ("slow update", UPDATE, {"kind": "slow", "delay": SLOW}, True),
    ("create committed, response lost", CREATE, {"kind": "commit_then_drop", "times": 3}, False),
    ("update committed, response lost", UPDATE, {"kind": "commit_then_drop", "times": 2}, True),
    ("5xx burst on update", UPDATE, {"kind": "status", "status": 504, "times": 2}, True),
    ("reset on lock", LOCK, {"kind": "reset"}, False),
]


@pytest.mark.parametrize(("route", "fault", "update"), sampled(TRANSIENT))
def test_transient_faults_are_survived(emulator, tmp_path, route, fault, update):
    fault = dict(fault)  # the table is shared by every release the test runs against
    files = write_bodies(tmp_path / "in", *NAMES)
    flags = ["--lock"] if route == LOCK else []
    if update:
        assert run(["push", *files], url=emulator.url).code == 0
        files = write_bodies(tmp_path / "in", *NAMES, title="Second version")
    emulator.inject(fault.pop("kind"), route=emulator.route_for(route), **fault)
    result = run(["push", "--concurrency", "2", *flags, *files], url=emulator.url)
    assert result.code == 0, result.stdout + result.stderr
    assert emulator.pending_faults() == 0  # every injected fault was met
    _assert_converged(emulator, files, "Second version" if update else None)


# A create refused before it did anything, which the client cannot tell from one that committed
# (a 5xx may come from a proxy after the commit; a reset may follow it). Where SigNoz refuses a
# duplicate name (0.135+) the POST is sent again; elsewhere push stops there (the first create it
# meets is its lock's: nothing is written), exit 3, and a re-run converges.
UNCERTAIN = [
    ("5xx burst on create", {"kind": "status", "status": 503, "times": 3}),
    ("reset on create", {"kind": "reset", "times": 2}),
]


@pytest.mark.parametrize("fault", sampled(UNCERTAIN))
def test_a_create_of_uncertain_fate_is_sent_again_only_where_names_are_unique(emulator, tmp_path, fault):
    fault = dict(fault)  # the table is shared by every release the test runs against
    files = write_bodies(tmp_path / "in", *NAMES)
    emulator.inject(fault.pop("kind"), route=emulator.route_for(CREATE), **fault)
    result = run(["push", "--concurrency", "2", *files], url=emulator.url)
    if unique_names(emulator):
        assert result.code == 0, result.stdout + result.stderr
        assert emulator.pending_faults() == 0
    else:
        assert result.code == 3 and "run push again to reconcile" in result.stderr, result.text
        assert emulator.writes == 1 and emulator.dashboards == {}  # one POST, refused: never sent twice
        emulator.clear_faults()
        assert run(["push", *files], url=emulator.url).code == 0
    _assert_converged(emulator, files)


# (id, route, fault options, exit code). A create whose every response is lost still succeeds:
# the first attempt committed, and listing finds it.
PERSISTENT = [
    ("create keeps failing with 503", CREATE, {"kind": "status", "status": 503}, 3),
    ("create keeps resetting", CREATE, {"kind": "reset"}, 3),
    ("create keeps losing its response", CREATE, {"kind": "commit_then_drop"}, 0),
    ("update keeps failing with 500", UPDATE, {"kind": "status", "status": 500}, 3),
    ("update keeps resetting", UPDATE, {"kind": "reset"}, 3),
    ("list keeps resetting", LIST, {"kind": "reset"}, 3),
]


@pytest.mark.parametrize(("route", "fault", "code"), sampled(PERSISTENT))
def test_persistent_faults_exit_3_and_a_rerun_converges(emulator, tmp_path, route, fault, code):
    fault = dict(fault)  # the table is shared by every release the test runs against
    files = write_bodies(tmp_path / "in", *NAMES)
    if route == UPDATE:
        assert run(["push", *files], url=emulator.url).code == 0
        files = write_bodies(tmp_path / "in", *NAMES, title="Second version")
    emulator.inject(fault.pop("kind"), route=emulator.route_for(route), times=1000, **fault)
    result = run(["push", *files], url=emulator.url)
    assert result.code == code, result.stdout + result.stderr
    assert result.problems.startswith("error: ") if code else result.problems == ""
    for name in NAMES:
        assert len(emulator.by_name(name)) <= 1  # never a duplicate
    emulator._faults.clear()  # the outage ends
    rerun = run(["push", *files], url=emulator.url)
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    _assert_converged(emulator, files, "Second version" if route == UPDATE else None)


def test_diff_on_a_flaky_server_still_answers(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", *NAMES)
    run(["push", *files], url=emulator.url)
    emulator.inject("reset", route=emulator.route_for(GET), times=2)
    emulator.inject("status", route=emulator.route_for(LIST), status=503, times=2)
    assert run(["diff", *files], url=emulator.url).code == 0


def test_diff_on_a_dead_server_exits_3(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", *NAMES)
    emulator.inject("reset", times=1000)
    result = run(["diff", *files], url=emulator.url)
    assert result.code == 3 and "cannot reach" in result.stderr
