"""Several rules with one identity (pushes that raced before push took a lock, a copy made in the
UI): a later push keeps one and deletes the unedited copies, saying so; it never deletes an edited
rule nor one without our identity."""

from __future__ import annotations

from signoz_dac.identity import DASHBOARD_LABEL, HASH_LABEL, MANAGED_LABEL, rule_key

from .support import TURN_RULE, definition, rule_writes, run


def _copies(emulator, count: int) -> list[str]:
    original = emulator.rule(TURN_RULE)
    return [original["id"]] + [emulator.seed_rule(original)["id"] for _ in range(count)]


def test_unedited_copies_are_deleted_and_the_oldest_kept(emulator, tmp_path):
    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    oldest, *copies = _copies(emulator, 2)
    diff = run(["diff", path], url=emulator.url)
    assert diff.code == 1 and "2 duplicates to delete" in diff.stdout
    emulator.reset_counters()
    result = run(["push", "--output", "json", path], url=emulator.url)
    assert result.code == 0, result.text
    [row] = [r for r in result.json()["items"] if r["duplicates"]]
    assert row["result"] == "unchanged" and row["id"] == oldest and sorted(row["duplicates"]) == sorted(copies)
    assert row["message"].startswith("deleted 2 duplicates (ids ")
    assert [r["id"] for r in emulator.rules_named(TURN_RULE)] == [oldest]
    assert rule_writes(emulator) == 2  # the two deletes, nothing else
    assert run(["diff", path], url=emulator.url).code == 0


def test_an_edited_copy_is_kept_as_drift_and_the_unedited_one_deleted(emulator, tmp_path):
    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    original = emulator.rule(TURN_RULE)
    edited = dict(original, condition={**original["condition"]})
    edited["condition"]["thresholds"] = {**original["condition"]["thresholds"],
                                         "spec": [{**original["condition"]["thresholds"]["spec"][0], "target": 1999}]}
    kept = emulator.seed_rule(edited)["id"]  # carries our labels and hash, but not that content: edited
    result = run(["push", path], url=emulator.url)
    assert result.code == 1 and "drift" in result.stdout  # someone's edit is kept, not overwritten
    [rule] = emulator.rules_named(TURN_RULE)
    assert rule["id"] == kept and rule["condition"]["thresholds"]["spec"][0]["target"] == 1999


def test_only_rules_with_our_identity_are_touched(emulator, tmp_path):
    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    original = emulator.rule(TURN_RULE)
    foreign = {**original, "alert": "Someone's copy", "labels": {k: v for k, v in original["labels"].items()
                                                                  if k != MANAGED_LABEL}}
    other = {**original, "alert": "Another dashboard's", "labels": {**original["labels"],
                                                                     DASHBOARD_LABEL: "another"}}
    ids = {emulator.seed_rule(foreign)["id"], emulator.seed_rule(other)["id"]}
    assert rule_key(foreign) is None and HASH_LABEL in foreign["labels"]
    emulator.reset_counters()
    assert run(["push", path], url=emulator.url).code == 0
    assert ids <= set(emulator.rules) and rule_writes(emulator) == 0


def test_a_copy_edited_between_plan_and_apply_is_not_deleted(emulator, tmp_path):
    """apply reads a duplicate again before deleting it, as it does an orphan: a UI save after the
    plan was made keeps it (and says so)."""
    import signoz_dac
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.sync import apply, make_plan
    from signoz_dac.testing import FAST_RETRY

    from .support import CANARY, PIPECAT

    assert run(["push", definition(tmp_path)], url=emulator.url).code == 0
    _oldest, copy = _copies(emulator, 1)
    rules = signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        plan = make_plan(client, [], rules=[("pipecat.yaml", rule) for rule in rules])
        [item] = [i for i in plan.items if i.duplicates]
        assert item.duplicates == (copy,)
        with emulator._lock:  # someone saves the copy in the UI, by its id (both copies share a title)
            emulator.rules[copy]["condition"]["thresholds"]["spec"][0]["target"] = 1999
            emulator.rules[copy]["updatedAt"] = "2030-01-01T00:00:00Z"
        results = apply(client, plan)
    [result] = [r for r in results if r.item is item]
    assert copy in emulator.rules and emulator.rules[copy]["condition"]["thresholds"]["spec"][0]["target"] == 1999
    assert f"kept duplicate {copy}: edited in SigNoz after the plan was made" in result.message, result.message


def test_a_copy_another_definition_set_pushed_is_not_deleted(emulator, tmp_path):
    """Two repositories never delete each other's rules: a copy with this rule's identity that
    another set pushed (unedited: it hashes to what it carries) is not this push's to clean up."""
    from signoz_dac.identity import SET_LABEL
    from signoz_dac.signoz.owned import RULE_SERVER_FIELDS
    from signoz_dac.sync.kinds import RULE

    path = definition(tmp_path)
    assert run(["push", "--set", "team-a", path], url=emulator.url).code == 0
    original = emulator.rule(TURN_RULE)
    theirs = emulator.seed_rule(RULE.stamp({k: v for k, v in original.items() if k not in RULE_SERVER_FIELDS}, "team-b"))
    assert theirs["labels"][SET_LABEL] == "team-b" and RULE.content_hash(theirs) == RULE.recorded_hash(theirs)
    emulator.reset_counters()
    run(["push", "--set", "team-a", path], url=emulator.url)
    assert theirs["id"] in emulator.rules and rule_writes(emulator) == 0
