"""Prune, opt-in and scoped: what a definition set pushed and no input holds any more is an orphan.
`diff` lists it (exit 1), `push` leaves it, `push --prune --dry-run` shows it going, `push --prune`
deletes it. Nothing else is ever deleted: not what signoz-dac does not manage, not another set's
(two repositories pushing to one SigNoz), not a dashboard or rule pushed before sets existed, not one
edited in SigNoz since (unless --force). Over real HTTP against the emulator, faults included."""

from __future__ import annotations

import pytest

from signoz_dac.identity import MANAGED_TAG, MANAGED_VALUE, SET_LABEL, SET_TAG, tag
from signoz_dac.sync.lock import LOCK_NAME
from signoz_dac.testing.emulator import (
    DELETE,
    GET,
    LIST,
    RULE_DELETE,
    RULE_GET,
    RULE_UPDATE,
    RULES_LIST,
    UNLOCK,
    UPDATE,
)
from tests.support.sampled import sampled
from tests.support.timing import SLOW
from tests.support.versions import versions

from .cli_support import run
from .lifecycle_support import (  # noqa: F401  (fast_client: autouse)
    dashboard_body,
    dashboard_json,
    definition,
    fast_client,
    git_checkout,
    rules_of,
)

# v2 dashboards with unique names, and v1 dashboards (v5 JSON, found by our identity tag).
pytestmark = versions("0.138", "0.134")

def _push(emulator, *args: str, set_name: str = "team-a"):
    return run(["push", "--set", set_name, *args], url=emulator.url)


def _diff(emulator, *args: str, set_name: str = "team-a"):
    return run(["diff", "--set", set_name, *args], url=emulator.url)


def test_a_dashboard_no_definition_holds_is_an_orphan_until_pruned(emulator, tmp_path):
    one = definition(tmp_path / "in", "agent-one")
    two = definition(tmp_path / "in", "agent-two")
    assert _push(emulator, one, two).code == 0
    assert len(rules_of(emulator, "agent-two")) == 2

    diff = _diff(emulator, one)  # agent-two.yaml was deleted from the repository
    assert diff.code == 1, diff.text
    assert "- agent-two (orphan: no definition of the set 'team-a' holds it any more" in diff.stdout
    assert "- rule agent-two/error-rate (orphan" in diff.stdout and "- rule agent-two/dead-air (orphan" in diff.stdout

    emulator.reset_counters()
    kept = _push(emulator, "--output", "json", one)  # without --prune: reported, left alone
    assert kept.code == 0 and emulator.writes == 0, kept.text
    assert {(r["kind"], r["name"]) for r in kept.json()["items"] if r["result"] == "orphan"} == {
        ("dashboard", "agent-two"), ("rule", "agent-two/error-rate"), ("rule", "agent-two/dead-air")}

    text = _push(emulator, one)  # the summary line counts them in plain words
    assert text.code == 0 and "3 orphans" in text.stdout, text.text

    dry = _push(emulator, "--prune", "--dry-run", "--output", "json", one)
    assert dry.code == 0 and emulator.writes == 0, dry.text
    assert dry.json()["set"] == "team-a"
    assert sorted(r["name"] for r in dry.json()["items"] if r["action"] == "delete") == [
        "agent-two", "agent-two/dead-air", "agent-two/error-rate"]

    pruned = _push(emulator, "--prune", "--output", "json", one)
    assert pruned.code == 0, pruned.text
    assert sorted(r["name"] for r in pruned.json()["items"] if r["result"] == "deleted") == [
        "agent-two", "agent-two/dead-air", "agent-two/error-rate"]
    assert emulator.by_name("agent-two") == [] and rules_of(emulator, "agent-two") == []
    assert len(emulator.by_name("agent-one")) == 1 and len(rules_of(emulator, "agent-one")) == 2

    emulator.reset_counters()
    assert _diff(emulator, one).code == 0
    assert _push(emulator, "--prune", one).code == 0 and emulator.writes == 0


def test_a_rule_removed_from_its_definition_is_pruned_alone(emulator, tmp_path):
    path = definition(tmp_path / "a", "agent")
    assert _push(emulator, path).code == 0
    fewer = definition(tmp_path / "b", "agent", rules=("error_rate",))
    diff = _diff(emulator, fewer)
    assert diff.code == 1 and "- rule agent/dead-air (orphan" in diff.stdout
    emulator.reset_counters()
    assert _push(emulator, "--prune", fewer).code == 0
    assert [r["labels"]["signoz_dac_rule"] for r in rules_of(emulator, "agent")] == ["error-rate"]
    # That one DELETE, nothing else written (besides the push lock's marker dashboard).
    assert emulator.calls[emulator.route_for(RULE_DELETE)] == 1 and emulator.calls[emulator.route_for(UPDATE)] + emulator.calls[emulator.route_for(RULE_UPDATE)] == 0


def test_two_repositories_never_prune_each_other(emulator, tmp_path):
    """Each repository's set comes from its git remote (no --set): A's prune deletes only what A
    pushed, never B's dashboards and rules, nor anything signoz-dac does not manage."""
    repo_a = git_checkout(tmp_path / "voice-a", "https://github.com/acme/voice-a.git")
    repo_b = git_checkout(tmp_path / "voice-b", "git@github.com:acme/voice-b.git")
    a1, a2 = definition(repo_a / "dashboards", "a-one"), definition(repo_a / "dashboards", "a-two")
    b1 = definition(repo_b / "dashboards", "b-one")
    b2 = dashboard_json(repo_b / "dashboards", "b-two")
    assert run(["push", a1, a2], url=emulator.url).code == 0
    assert run(["push", b1, b2], url=emulator.url).code == 0
    assert tag(emulator.get("a-one"), SET_TAG) == "acme.voice-a" and tag(emulator.get("b-two"), SET_TAG) == "acme.voice-b"
    assert {r["labels"][SET_LABEL] for r in rules_of(emulator, "b-one")} == {"acme.voice-b"}
    # Beside them: someone's own dashboard and rule, and a dashboard pushed before sets existed.
    emulator.seed(dashboard_body("hand-made"))
    emulator.seed_rule({**rules_of(emulator, "b-one")[0], "alert": "Hand-made", "labels": {"team": "voice"}})
    emulator.seed(dashboard_body("older-push", tags=[{"key": MANAGED_TAG, "value": MANAGED_VALUE}]))
    before = {d["name"] for d in emulator.dashboards.values()}, len(emulator.rules)

    assert run(["diff", b1, b2], url=emulator.url).code == 0  # B sees none of A's, nor the others, as orphans
    emulator.reset_counters()
    assert run(["push", "--prune", b1, b2], url=emulator.url).code == 0 and emulator.writes == 0

    pruned = run(["push", "--prune", "--output", "json", a1], url=emulator.url)  # A dropped a-two
    assert pruned.code == 0, pruned.text
    assert sorted(r["name"] for r in pruned.json()["items"] if r["result"] == "deleted") == [
        "a-two", "a-two/dead-air", "a-two/error-rate"]
    names, rules = before
    assert {d["name"] for d in emulator.dashboards.values()} == names - {"a-two"}
    assert len(emulator.rules) == rules - 2 and len(rules_of(emulator, "b-one")) == 2
    assert run(["diff", b1, b2], url=emulator.url).code == 0


def test_another_sets_dashboard_of_the_same_name_is_a_conflict(emulator, tmp_path):
    path = definition(tmp_path, "shared-name", rules=())
    assert _push(emulator, path, set_name="team-b").code == 0
    taken = _push(emulator, "--output", "json", path)
    [row] = taken.json()["items"]
    assert taken.code == 1 and row["result"] == "conflict" and "managed by another definition set, 'team-b'" in row["reason"]
    assert tag(emulator.get("shared-name"), SET_TAG) == "team-b"
    assert _push(emulator, "--adopt", path).code == 0  # moved to this set on purpose
    assert tag(emulator.get("shared-name"), SET_TAG) == "team-a"


def test_a_locked_orphan_is_unlocked_then_deleted(emulator, tmp_path):
    keep, locked = definition(tmp_path, "keep", rules=()), definition(tmp_path, "locked-one", rules=(), locked=True)
    assert _push(emulator, keep, locked).code == 0 and emulator.get("locked-one")["locked"]
    emulator.reset_counters()
    assert _push(emulator, "--prune", keep).code == 0
    assert emulator.by_name("locked-one") == [] and emulator.calls[emulator.route_for(UNLOCK)] == 1
    assert emulator.calls[emulator.route_for(DELETE)] == 2  # it, and the push lock's marker


def test_an_orphan_edited_in_signoz_is_kept_unless_forced(emulator, tmp_path):
    keep, edited = definition(tmp_path, "keep", rules=()), definition(tmp_path, "edited", rules=())
    assert _push(emulator, keep, edited).code == 0
    emulator.edit("edited", lambda d: d["spec"]["display"].update(name="Someone's work"))
    emulator.reset_counters()
    result = _push(emulator, "--prune", "--output", "json", keep)
    [row] = [r for r in result.json()["items"] if r["name"] == "edited"]
    assert result.code == 1 and row["result"] == "drift" and row["reason"].endswith("--prune deletes it only with --force")
    assert emulator.writes == 0 and len(emulator.by_name("edited")) == 1
    assert _push(emulator, "--prune", "--force", keep).code == 0 and emulator.by_name("edited") == []


def test_an_orphan_edited_between_plan_and_apply_is_not_deleted(emulator, tmp_path):
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.sources import load_inputs
    from signoz_dac.sync import DASHBOARD, Action, Outcome, apply, make_plan
    from signoz_dac.testing import FAST_RETRY
    from tests.client.support import CANARY

    keep, gone = definition(tmp_path, "keep", rules=()), definition(tmp_path, "gone", rules=())
    assert _push(emulator, keep, gone).code == 0
    inputs = load_inputs([keep], alerts=False)
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, inputs.dashboards, set_name="team-a", orphans=(DASHBOARD,), prune=True)
        assert [i.action for i in plan.items] == [Action.UNCHANGED, Action.DELETE]
        emulator.edit("gone", lambda d: d["spec"]["display"].update(name="Saved in the UI meanwhile"))
        results = apply(client, plan)
    assert results[1].outcome == Outcome.DRIFT and "not deleted" in results[1].message
    assert len(emulator.by_name("gone")) == 1


def test_prune_needs_a_named_set_and_writes_nothing_without_one(emulator, tmp_path):
    """Outside a git repository, without --set, the set is the fallback `default`: listed by diff,
    but never pruned, since another repository's push could use it too."""
    keep = definition(tmp_path, "keep", rules=())
    result = run(["push", "--prune", keep], url=emulator.url)
    assert result.code == 2 and result.stderr.startswith("error: --prune ") and "--set NAME" in result.stderr
    assert sum(emulator.calls.values()) == 0
    assert run(["push", "--set", "Not Valid!", keep], url=emulator.url).code == 2


# Faults during a prune, as test_cli_faults.py has them for create and update: (id, route, fault,
# exit code). Every transient one is survived; a persistent one is exit 3, and a re-run converges.
PRUNE_FAULTS = [
    ("5xx burst on delete", DELETE, {"kind": "status", "status": 503, "times": 3}, 0),
    ("reset on delete", DELETE, {"kind": "reset", "times": 2}, 0),
    ("delete committed, response lost", DELETE, {"kind": "commit_then_drop", "times": 2}, 0),
    ("slow delete", DELETE, {"kind": "slow", "delay": SLOW}, 0),
    ("reset on unlock", UNLOCK, {"kind": "reset", "times": 2}, 0),
    ("reset on the re-read before delete", GET, {"kind": "reset", "times": 2}, 0),
    ("502 burst on list", LIST, {"kind": "status", "status": 502, "times": 2}, 0),
    ("5xx burst on rule delete", RULE_DELETE, {"kind": "status", "status": 504, "times": 2}, 0),
    ("rule delete committed, response lost", RULE_DELETE, {"kind": "commit_then_drop", "times": 2}, 0),
    ("reset on the rule re-read", RULE_GET, {"kind": "reset", "times": 2}, 0),
    ("reset on the rule list", RULES_LIST, {"kind": "reset", "times": 2}, 0),
    ("delete keeps failing with 500", DELETE, {"kind": "status", "status": 500, "times": 1000}, 3),
    ("delete keeps resetting", DELETE, {"kind": "reset", "times": 1000}, 3),
    ("unlock keeps failing with 500", UNLOCK, {"kind": "status", "status": 500, "times": 1000}, 3),
    ("rule delete keeps failing with 503", RULE_DELETE, {"kind": "status", "status": 503, "times": 1000}, 3),
    ("every delete's response lost, each committed", DELETE, {"kind": "commit_then_drop", "times": 1000}, 0),
]


@pytest.mark.parametrize(("route", "fault", "code"), sampled(PRUNE_FAULTS))
def test_prune_under_faults(emulator, tmp_path, route, fault, code):
    keep = definition(tmp_path / "in", "keep", rules=("error_rate",))
    gone = definition(tmp_path / "in", "gone", locked=True)
    assert _push(emulator, keep, gone).code == 0
    fault = dict(fault)  # each release gets its own copy
    emulator.inject(fault.pop("kind"), route=emulator.route_for(route), **fault)
    result = _push(emulator, "--prune", "--concurrency", "2", keep)
    assert result.code == code, result.text
    if code:
        assert any(line.startswith(("error: dashboard gone: ", "error: rule gone/")) for line in result.stderr.splitlines())
        assert len(emulator.by_name("gone")) + len(rules_of(emulator, "gone")) > 0  # not all gone
        if emulator.by_name("gone"):
            assert emulator.get("gone")["locked"]  # a failed delete leaves it locked, as it was found
        emulator.clear_faults()  # the outage ends
        if "could not remove the push lock" in result.stderr:  # every DELETE failed, the lock's too:
            [marker] = emulator.by_name(LOCK_NAME)  # someone deletes it, as the warning says
            del emulator.dashboards[marker["id"]]
        rerun = _push(emulator, "--prune", keep)
        assert rerun.code == 0, rerun.text
    elif fault.get("times", 1) < 1000:
        assert emulator.pending_faults() == 0  # every injected fault was met
    assert emulator.by_name("gone") == [] and rules_of(emulator, "gone") == []
    assert len(emulator.by_name("keep")) == 1 and len(rules_of(emulator, "keep")) == 1
    emulator.reset_counters()
    again = _push(emulator, "--prune", keep)
    assert again.code == 0 and emulator.writes == 0, again.text
