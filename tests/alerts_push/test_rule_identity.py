"""A rule's identity is its dashboard's `name` and its own id, never a display title: a new title
updates the rule in place; a new dashboard `name:` is a new identity, whose rules are created beside
the old ones without conflicting with them by title, and the old ones are orphans that `--prune`
removes. Over real HTTP against the emulator."""

from __future__ import annotations

from signoz_dac.identity import RULE_LABEL
from signoz_dac.testing.emulator import RULE_CREATE, RULE_DELETE, RULE_UPDATE

from tests.sync.lifecycle_support import definition, rules_of

from .support import DASHBOARD, RULES, run
from .support import definition as pipecat_definition


def test_a_new_dashboard_name_with_the_same_title_is_a_new_identity(emulator, tmp_path):
    """The README's scenario: change `name:` but not `title:`. It was six conflicts ("the name ... is
    used by another signoz-dac rule"), since every rule's title comes from the dashboard's."""
    old = pipecat_definition(tmp_path / "old")
    assert run(["push", "--set", "voice", old], url=emulator.url).code == 0
    old_ids = {r["id"] for r in rules_of(emulator, DASHBOARD)}
    renamed = tmp_path / "new" / "pipecat.yaml"
    renamed.parent.mkdir()
    renamed.write_text(open(old).read().replace(f"name: {DASHBOARD}", "name: pipecat-agent-v2", 1))

    diff = run(["diff", "--set", "voice", "--output", "json", str(renamed)], url=emulator.url).json()
    actions = {(i["kind"], i["action"]) for i in diff["items"]}
    assert ("rule", "conflict") not in actions and ("rule", "create") in actions and ("rule", "orphan") in actions

    result = run(["push", "--set", "voice", "--output", "json", str(renamed)], url=emulator.url)
    assert result.code == 0, result.text
    rows = result.json()["items"]
    assert [r["result"] for r in rows if r["kind"] == "rule" and r["name"].startswith("pipecat-agent-v2/")] == \
        ["created"] * RULES
    assert {r["id"] for r in rows if r["result"] == "orphan" and r["kind"] == "rule"} == old_ids
    new_rules = rules_of(emulator, "pipecat-agent-v2")
    assert len(new_rules) == RULES and len(rules_of(emulator, DASHBOARD)) == RULES  # both, until pruned
    # Same titles, two identities: SigNoz allows it, and push tells them apart by their labels.
    assert sorted(r["alert"] for r in new_rules) == sorted(r["alert"] for r in rules_of(emulator, DASHBOARD))

    pruned = run(["push", "--set", "voice", "--prune", str(renamed)], url=emulator.url)
    assert pruned.code == 0, pruned.text
    assert rules_of(emulator, DASHBOARD) == [] and emulator.by_name(DASHBOARD) == []
    assert len(rules_of(emulator, "pipecat-agent-v2")) == RULES and len(emulator.by_name("pipecat-agent-v2")) == 1


def test_a_new_dashboard_title_updates_its_rules_in_place(emulator, tmp_path):
    path = definition(tmp_path / "a", "agent", title="Support agent")
    assert run(["push", path], url=emulator.url).code == 0
    before = {r["labels"][RULE_LABEL]: (r["id"], r["alert"]) for r in rules_of(emulator, "agent")}
    retitled = definition(tmp_path / "b", "agent", title="Sales agent")
    emulator.reset_counters()
    result = run(["push", retitled], url=emulator.url)
    assert result.code == 0, result.text
    after = {r["labels"][RULE_LABEL]: (r["id"], r["alert"]) for r in rules_of(emulator, "agent")}
    assert {k: i for k, (i, _) in after.items()} == {k: i for k, (i, _) in before.items()}  # the same rules
    assert {a for _, a in after.values()} == {"Sales agent: Error rate", "Sales agent: Dead air"}
    assert emulator.calls[RULE_UPDATE] == 2 and emulator.calls[RULE_CREATE] == emulator.calls[RULE_DELETE] == 0


def test_a_new_rule_title_updates_the_rule_in_place(emulator, tmp_path):
    path = definition(tmp_path / "a", "agent")
    assert run(["push", path], url=emulator.url).code == 0
    [before] = [r for r in rules_of(emulator, "agent") if r["labels"][RULE_LABEL] == "error-rate"]
    retitled = tmp_path / "b" / "agent.yaml"
    retitled.parent.mkdir()
    retitled.write_text(open(path).read().replace("    - type: error_rate\n", "    - type: error_rate\n"
                                                                          "      title: Provider errors\n"))
    emulator.reset_counters()
    assert run(["push", str(retitled)], url=emulator.url).code == 0
    [after] = [r for r in rules_of(emulator, "agent") if r["labels"][RULE_LABEL] == "error-rate"]
    assert after["id"] == before["id"] and after["alert"] == "Agent: Provider errors"
    assert emulator.calls[RULE_UPDATE] == 1 and emulator.calls[RULE_CREATE] == 0
