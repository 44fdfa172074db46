"""`signoz-dac push` and `diff` with alert rules, over real HTTP against the emulator: the lifecycle,
drift, conflicts and channels; against SigNoz 0.138 and 0.120 (/api/v2/rules; 0.120 with v1
dashboards) and 0.119 (/api/v1/rules, its `{"rules": [...]}` list and `createAt` spellings). Faults are in test_rules_faults.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from signoz_dac.identity import DASHBOARD_LABEL, HASH_LABEL, RULE_LABEL, is_managed, rule_key
from signoz_dac.sync import RULE
from signoz_dac.testing.emulator import RULE_CREATE, RULE_UPDATE, RULES_LIST
from tests.support.sampled import sampled
from tests.support.versions import versions

from .support import DASHBOARD, FIRST_RULE, RULES, TURN_RULE, TURN_WARNING, VIEWER, definition, rule_writes, run

pytestmark = versions("0.138", "0.120", "0.119")


def _targets(rule):
    return [level["target"] for level in rule["condition"]["thresholds"]["spec"]]


def test_builtins_deploy_with_their_rules_and_a_second_push_writes_nothing(emulator):
    first = run(["push"], url=emulator.url)
    assert first.code == 0, first.text
    assert len(emulator.dashboards) == 2 and len(emulator.rules) == 2 * RULES
    for rule in emulator.rules.values():
        assert is_managed(rule) and rule_key(rule) is not None
        assert rule["labels"][HASH_LABEL] == RULE.content_hash(rule)  # the round trip hashes the same
    assert "rule" in first.stdout and "18 created" not in first.stdout and "20 created" in first.stdout

    emulator.reset_counters()
    second = run(["push"], url=emulator.url)
    assert second.code == 0 and emulator.writes == 0, second.text
    assert "20 unchanged" in second.stdout
    diff = run(["diff"], url=emulator.url)
    assert diff.code == 0 and "@@" not in diff.stdout and emulator.writes == 0


def test_no_alerts_leaves_rules_alone(emulator, tmp_path):
    path = definition(tmp_path / "in")
    result = run(["push", "--no-alerts", path], url=emulator.url)
    assert result.code == 0 and len(emulator.dashboards) == 1 and emulator.rules == {}
    assert emulator.calls[emulator.route_for(RULES_LIST)] == 0
    assert run(["diff", "--no-alerts", path], url=emulator.url).code == 0
    assert run(["diff", path], url=emulator.url).code == 1  # the rules are missing


def test_json_output_says_what_each_item_is(emulator, tmp_path):
    path = definition(tmp_path / "in")
    report = run(["push", "--output", "json", path], url=emulator.url).json()
    kinds = [row["kind"] for row in report["items"]]
    assert kinds == ["dashboard"] + ["rule"] * RULES and report["exit_code"] == 0
    turn = next(row for row in report["items"] if row["name"] == f"{DASHBOARD}/tokens-per-call")
    assert turn["result"] == "created" and turn["id"] == emulator.rule(TURN_RULE)["id"]
    plan = run(["push", "--dry-run", "--output", "json", path], url=emulator.url).json()
    assert {row["action"] for row in plan["items"]} == {"unchanged"}


def test_a_changed_definition_updates_only_that_rule(emulator, tmp_path):
    assert run(["push", definition(tmp_path / "a")], url=emulator.url).code == 0
    before = {r["id"]: r["updatedAt"] for r in emulator.rules.values()}
    emulator.reset_counters()
    changed = definition(tmp_path / "b", turn_warning=900)
    diff = run(["diff", changed], url=emulator.url)
    assert diff.code == 1 and f"~ rule {DASHBOARD}/tokens-per-call (update" in diff.stdout
    assert "~ condition.thresholds: changed" in diff.stdout and '+          "target": 900' in diff.stdout

    result = run(["push", changed], url=emulator.url)
    route = emulator.route_for
    assert result.code == 0 and emulator.calls[route(RULE_UPDATE)] == 1 and emulator.calls[route(RULE_CREATE)] == 0
    assert _targets(emulator.rule(TURN_RULE)) == [900, 200000]
    assert sum(r["updatedAt"] != before[r["id"]] for r in emulator.rules.values()) == 1


def _ui_edit(emulator):
    emulator.edit_rule(TURN_RULE, lambda r: r["condition"]["thresholds"]["spec"][0].update(target=2000))


def _ui_edit_as_code(emulator):
    emulator.edit_rule(TURN_RULE, lambda r: r["condition"]["thresholds"]["spec"][0].update(target=TURN_WARNING))


def _deleted(emulator):
    del emulator.rules[emulator.rule(TURN_RULE)["id"]]


def _unmanaged(emulator):
    _deleted(emulator)
    emulator.seed_rule(_rendered_turn_rule(managed=False, target=2000))


def _another_signoz_dac_rule(emulator):
    _deleted(emulator)
    other = _rendered_turn_rule(managed=True, target=2000)
    other["labels"][RULE_LABEL] = "renamed-rule"
    emulator.seed_rule(other)


def _two_unmanaged(emulator):
    _deleted(emulator)
    emulator.seed_rule(_rendered_turn_rule(managed=False, target=2000))
    emulator.seed_rule(_rendered_turn_rule(managed=False, target=2000))


def _two_with_our_identity(emulator):
    emulator.seed_rule(emulator.rule(TURN_RULE))  # an unedited copy, as two racing pushes leave


def _two_edited_with_our_identity(emulator):
    _ui_edit(emulator)
    emulator.seed_rule(emulator.rule(TURN_RULE))  # a copy of the edited rule: edited too


def _rendered_turn_rule(*, managed: bool, target: int) -> dict:
    import signoz_dac

    from .support import PIPECAT

    [rule] = [r for r in signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT)) if r["alert"] == TURN_RULE]
    rule["condition"]["thresholds"]["spec"][0]["target"] = target
    if not managed:
        rule["labels"] = {"severity": "critical", "team": "voice"}
    return rule


# (id, change on the server after a first push, flags, exit code, the turn rule's warning target
# afterwards (None: several rules), its number of rules with that name afterwards)
SCENARIOS = [
    ("UI edit is drift, kept", _ui_edit, [], 1, 2000, 1),
    ("UI edit overwritten with --force", _ui_edit, ["--force"], 0, TURN_WARNING, 1),
    ("UI edit equal to the code refreshes the label", _ui_edit_as_code, [], 0, TURN_WARNING, 1),
    ("deleted in the UI is created again", _deleted, [], 0, TURN_WARNING, 1),
    ("unmanaged rule of the same name is a conflict", _unmanaged, [], 1, 2000, 1),
    ("--force does not adopt", _unmanaged, ["--force"], 1, 2000, 1),
    ("--adopt takes it over", _unmanaged, ["--adopt"], 0, TURN_WARNING, 1),
    # A rule is found by its identity labels, never by its title: another managed rule with our title
    # (the old rule of a renamed dashboard, another rule's copy) is no conflict. SigNoz allows both.
    ("another signoz-dac rule of the same name is not ours, and no conflict", _another_signoz_dac_rule, [], 0, None,
     2),
    ("two unmanaged rules of the same name is a conflict, even with --adopt", _two_unmanaged, ["--adopt"], 1, None, 2),
    ("an unedited copy with our identity is deleted", _two_with_our_identity, [], 0, TURN_WARNING, 1),
    ("two edited rules with our identity is a conflict", _two_edited_with_our_identity, ["--adopt", "--force"], 1,
     None, 2),
]


@pytest.mark.parametrize(("change", "flags", "code", "target", "count"), sampled(SCENARIOS, every=2))
def test_drift_and_conflicts(emulator, tmp_path, change, flags, code, target, count):
    path = definition(tmp_path / "in")
    assert run(["push", path], url=emulator.url).code == 0
    change(emulator)
    emulator.reset_counters()
    result = run(["push", *flags, path], url=emulator.url)
    assert result.code == code, result.text
    found = emulator.rules_named(TURN_RULE)
    assert len(found) == count
    if target is not None:
        assert _targets(found[0])[0] == target
    if code == 1:
        assert rule_writes(emulator) == 0 and ("drift" in result.stdout or "conflict" in result.stdout)
        assert run(["diff", path], url=emulator.url).code == 1
    else:
        assert is_managed(found[0]) and found[0]["labels"][DASHBOARD_LABEL] == DASHBOARD
        emulator.reset_counters()
        assert run(["push", path], url=emulator.url).code == 0 and emulator.writes == 0  # converged


def test_a_rule_edit_between_plan_and_apply_is_not_overwritten(emulator, tmp_path):
    """apply re-reads the rule before its PUT: a UI save after the plan was made is drift, kept."""
    import signoz_dac
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.sync import Action, Outcome, apply, make_plan
    from signoz_dac.testing import FAST_RETRY

    from .support import CANARY, PIPECAT

    assert run(["push", definition(tmp_path / "in")], url=emulator.url).code == 0
    rules = signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))
    for rule in rules:
        if rule["alert"] == TURN_RULE:
            rule["condition"]["thresholds"]["spec"][0]["target"] = 900  # the code changed
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [], rules=[("pipecat.yaml", rule) for rule in rules])
        [item] = [i for i in plan.items if i.action != Action.UNCHANGED]
        assert item.action == Action.UPDATE and item.desired["alert"] == TURN_RULE
        emulator.edit_rule(TURN_RULE, lambda r: r["condition"]["thresholds"]["spec"][0].update(target=2000))
        emulator.reset_counters()
        results = apply(client, plan)
    [result] = [r for r in results if r.item is item]
    assert result.outcome == Outcome.DRIFT and "after the plan was made" in result.message
    assert _targets(emulator.rule(TURN_RULE))[0] == 2000 and rule_writes(emulator) == 0


def test_drift_diff_shows_the_ui_edit(emulator, tmp_path):
    path = definition(tmp_path / "in")
    run(["push", path], url=emulator.url)
    _ui_edit(emulator)
    report = run(["diff", "--output", "json", path], url=emulator.url).json()
    [entry] = [e for e in report["items"] if e["action"] != "unchanged"]
    assert entry["kind"] == "rule" and entry["action"] == "drift" and "--force" in entry["reason"]
    assert entry["other"] == ["condition.thresholds"]
    assert '-          "target": 2000\n' in entry["diff"] and f'+          "target": {TURN_WARNING}\n' in entry["diff"]


def test_channels_that_exist_are_pushed(emulator, tmp_path):
    path = definition(tmp_path / "in", channels=["slack-voice"])
    assert run(["push", path], url=emulator.url).code == 0
    assert emulator.rule(TURN_RULE)["condition"]["thresholds"]["spec"][0]["channels"] == ["slack-voice"]
    emulator.reset_counters()
    assert run(["push", path], url=emulator.url).code == 0 and emulator.writes == 0


@pytest.mark.parametrize("command", ["push", "diff"])
def test_an_unknown_channel_is_bad_input_and_nothing_is_written(emulator, tmp_path, command):
    path = definition(tmp_path / "in", channels=["slack-voice", "slack-typo"])
    result = run([command, path], url=emulator.url)
    assert result.code == 2, result.text
    assert result.problems.startswith("error: unknown notification channel") and result.stdout == ""
    assert "'slack-typo'" in result.stderr and "'slack-voice'" not in result.stderr.split("Channels in SigNoz")[0]
    assert path in result.stderr and FIRST_RULE in result.stderr
    assert "Channels in SigNoz: pagerduty-oncall, slack-voice" in result.stderr
    assert emulator.writes == 0 and emulator.dashboards == {} and emulator.rules == {}


def test_a_viewer_key_diffs_rules_but_cannot_push_them(emulator, tmp_path):
    path = definition(tmp_path / "in")
    assert run(["diff", "--summary", path], url=emulator.url, key=VIEWER).code == 1
    denied = run(["push", path], url=emulator.url, key=VIEWER)
    assert denied.code == 3 and "403" in denied.stderr and emulator.rules == {}


def test_duplicate_rule_names_across_definitions_are_bad_input(emulator, tmp_path):
    first = definition(tmp_path / "a")
    second = tmp_path / "b" / "other.yaml"
    second.parent.mkdir()
    text = Path(first).read_text().replace("name: pipecat-voice-agent", "name: pipecat-copy", 1)
    second.write_text(text)
    result = run(["push", first, str(second)], url=emulator.url)
    assert result.code == 2 and "is also used by" in result.stderr and FIRST_RULE in result.stderr
    assert sum(emulator.calls.values()) == 0
