"""Every fault kind on the rule and channel routes, through `signoz-dac push`: no duplicate rule,
nothing lost, the documented exit code, and a re-run converges; against SigNoz 0.138 (/api/v2/rules)
and 0.119 (/api/v1/rules). Over real HTTP; retries are quick and read timeouts short (conftest.py)."""

from __future__ import annotations

import time

import pytest

from signoz_dac.identity import HASH_LABEL
from signoz_dac.sync import RULE
from signoz_dac.testing.emulator import CHANNELS, RULE_CREATE, RULE_GET, RULE_UPDATE, RULES_LIST
from tests.support.sampled import sampled
from tests.support.timing import SLOW, STALL
from tests.support.versions import versions

from .support import RULES, TURN_RULE, TURN_WARNING, definition, run

pytestmark = versions("0.138", "0.119")


def _assert_converged(emulator, path, warning):
    """One rule per name, each as pushed, and another push writes nothing."""
    names = {r["alert"] for r in emulator.rules.values()}
    assert len(names) == RULES and len(emulator.rules) == RULES  # nothing lost, no duplicate
    for rule in emulator.rules.values():
        assert rule["labels"][HASH_LABEL] == RULE.content_hash(rule)
    assert emulator.rule(TURN_RULE)["condition"]["thresholds"]["spec"][0]["target"] == warning
    emulator.reset_counters()
    again = run(["push", path], url=emulator.url)
    assert again.code == 0 and emulator.writes == 0, again.text


# (id, route, fault options, pushing an update rather than a create?)
TRANSIENT = [
    ("429 with Retry-After on create", RULE_CREATE, {"kind": "status", "status": 429, "retry_after": 1, "times": 2}, False),
    ("slow create (response after the timeout)", RULE_CREATE, {"kind": "slow", "delay": SLOW, "times": 2}, False),
    ("create committed, response lost", RULE_CREATE, {"kind": "commit_then_drop", "times": 3}, False),
    ("502 burst on list", RULES_LIST, {"kind": "status", "status": 502, "times": 3}, False),
    ("reset on list", RULES_LIST, {"kind": "reset", "times": 2}, False),
    ("503 burst on channels", CHANNELS, {"kind": "status", "status": 503, "times": 2}, False),
    ("reset on get", RULE_GET, {"kind": "reset", "times": 2}, True),
    ("5xx burst on update", RULE_UPDATE, {"kind": "status", "status": 504, "times": 2}, True),
    ("429 on update", RULE_UPDATE, {"kind": "status", "status": 429, "retry_after": 1}, True),
    ("reset on update", RULE_UPDATE, {"kind": "reset"}, True),
    ("slow update", RULE_UPDATE, {"kind": "slow", "delay": SLOW}, True),
    ("update committed, response lost", RULE_UPDATE, {"kind": "commit_then_drop", "times": 2}, True),
]


@pytest.mark.parametrize(("route", "fault", "update"), sampled(TRANSIENT))
def test_transient_faults_are_survived(emulator, tmp_path, route, fault, update):
    fault = dict(fault)  # the table is shared by every release the test runs against
    path = definition(tmp_path / "a", channels=["slack-voice"])
    if update:
        assert run(["push", path], url=emulator.url).code == 0
        path = definition(tmp_path / "b", channels=["slack-voice"], turn_warning=900)
    emulator.inject(fault.pop("kind"), route=emulator.route_for(route), **fault)
    result = run(["push", "--concurrency", "2", path], url=emulator.url)
    assert result.code == 0, result.text
    assert emulator.pending_faults() == 0  # every injected fault was met
    _assert_converged(emulator, path, 900 if update else TURN_WARNING)


# A create that may have committed, with nothing found right after: SigNoz would accept a second
# rule with the same identity, so push does not POST again; the item fails and a re-run reconciles.
UNCERTAIN = [
    ("create commits after the client's timeout", {"kind": "stall", "delay": STALL}),
    ("5xx burst on create", {"kind": "status", "status": 503, "times": 3}),
    ("reset on create", {"kind": "reset", "times": 2}),
]


@pytest.mark.parametrize("fault", sampled(UNCERTAIN))
def test_an_uncertain_create_is_never_sent_twice_and_a_rerun_converges(emulator, tmp_path, fault):
    fault = dict(fault)  # the table is shared by every release the test runs against
    path = definition(tmp_path / "a", channels=["slack-voice"])
    emulator.inject(fault.pop("kind"), route=emulator.route_for(RULE_CREATE), **fault)
    result = run(["push", path], url=emulator.url)
    assert result.code == 3 and "run push again to reconcile" in result.stderr, result.text
    deadline = time.monotonic() + 5  # a stalled POST commits after push has given up on it
    while len(emulator.rules) < RULES and fault.get("delay") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert emulator.calls[emulator.route_for(RULE_CREATE)] == RULES  # one POST per rule: none was sent twice
    rerun = run(["push", path], url=emulator.url)
    assert rerun.code == 0, rerun.text
    _assert_converged(emulator, path, TURN_WARNING)


# (id, route, fault options, exit code). A create whose every response is lost still succeeds:
# the first attempt committed, and listing by identity finds it.
PERSISTENT = [
    ("create keeps failing with 503", RULE_CREATE, {"kind": "status", "status": 503}, 3),
    ("create keeps resetting", RULE_CREATE, {"kind": "reset"}, 3),
    ("create keeps losing its response", RULE_CREATE, {"kind": "commit_then_drop"}, 0),
    ("update keeps failing with 500", RULE_UPDATE, {"kind": "status", "status": 500}, 3),
    ("update keeps resetting", RULE_UPDATE, {"kind": "reset"}, 3),
    ("list keeps resetting", RULES_LIST, {"kind": "reset"}, 3),
    ("channels keep failing with 503", CHANNELS, {"kind": "status", "status": 503}, 3),
]


@pytest.mark.parametrize(("route", "fault", "code"), sampled(PERSISTENT))
def test_persistent_faults_exit_3_and_a_rerun_converges(emulator, tmp_path, route, fault, code):
    fault = dict(fault)  # the table is shared by every release the test runs against
    path = definition(tmp_path / "a", channels=["slack-voice"])
    update = route == RULE_UPDATE
    if update:
        assert run(["push", path], url=emulator.url).code == 0
        path = definition(tmp_path / "b", channels=["slack-voice"], turn_warning=900)
    emulator.inject(fault.pop("kind"), route=emulator.route_for(route), times=1000, **fault)
    result = run(["push", path], url=emulator.url)
    assert result.code == code, result.text
    assert result.problems.startswith("error: ") if code else result.problems == ""
    assert all(len(emulator.rules_named(r["alert"])) == 1 for r in emulator.rules.values())  # never a duplicate
    emulator._faults.clear()  # the outage ends
    rerun = run(["push", path], url=emulator.url)
    assert rerun.code == 0, rerun.text
    _assert_converged(emulator, path, 900 if update else TURN_WARNING)


def test_a_rule_failing_does_not_stop_the_dashboard(emulator, tmp_path):
    """One failed item is exit 3, one line on stderr naming it; the others are in place."""
    path = definition(tmp_path / "a")
    emulator.inject("status", route=emulator.route_for(RULE_CREATE), status=500)  # not retried: a 500 is no retry status
    result = run(["push", path], url=emulator.url)
    assert result.code == 3 and result.stderr.count("error: rule ") == 1, result.text
    assert len(emulator.dashboards) == 1 and len(emulator.rules) == RULES - 1
    assert run(["push", path], url=emulator.url).code == 0
    _assert_converged(emulator, path, TURN_WARNING)


def test_diff_on_a_flaky_rules_api_still_answers(emulator, tmp_path):
    path = definition(tmp_path / "a")
    run(["push", path], url=emulator.url)
    emulator.inject("reset", route=emulator.route_for(RULES_LIST), times=2)
    emulator.inject("status", route=emulator.route_for(RULES_LIST), status=503)
    assert run(["diff", path], url=emulator.url).code == 0
