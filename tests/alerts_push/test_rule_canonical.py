"""The canonical form, content hash and summary of a rule: what SigNoz adds or spells differently
never shows as a change; what a person edits always does."""

from __future__ import annotations

import copy

import pytest

import signoz_dac
from signoz_dac.errors import InputError
from signoz_dac.identity import HASH_LABEL
from signoz_dac.signoz.rules import parse_rule
from signoz_dac.sync import RULE, canonical, channels_of, summarize, unified_diff

from .support import PIPECAT


stamp_rule, rule_content_hash, recorded_rule_hash = RULE.stamp, RULE.content_hash, RULE.recorded_hash
summarize_rule = summarize


@pytest.fixture(scope="module")
def rules() -> list[dict]:
    return signoz_dac.render_alerts(signoz_dac.load_definition(PIPECAT))


def _as_signoz_returns_it(rule: dict) -> dict:
    """Every field filled in (Go's zero values), server fields added, empty lists as null, whole
    numbers as floats."""
    stored = parse_rule(rule).model_dump(mode="json")
    for level in stored["condition"]["thresholds"]["spec"]:
        level["channels"] = None
        level["target"] = float(level["target"])
    return {**stored, "id": "0190", "state": "inactive", "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-02T00:00:00Z", "createdBy": "ci@x", "updatedBy": "ci@x"}


def test_a_round_trip_through_signoz_is_no_change(rules):
    for rule in rules:
        stamped = stamp_rule(rule)
        assert rule_content_hash(_as_signoz_returns_it(stamped)) == recorded_rule_hash(stamped)
        assert summarize_rule(_as_signoz_returns_it(stamped), stamped).other == []


@pytest.mark.parametrize(
    ("edit", "parts"),
    [
        (lambda r: r["condition"]["thresholds"]["spec"][0].update(target=999), ["condition.thresholds"]),
        (lambda r: r.update(disabled=True), ["disabled"]),
        (lambda r: r["labels"].update(team="voice"), ["labels.team"]),
        (lambda r: r["evaluation"]["spec"].update(evalWindow="15m"), ["evaluation.spec"]),
        (lambda r: r["annotations"].update(summary="x", runbook_url="https://r"), ["annotations.runbook_url", "annotations.summary"]),
    ],
)
def test_edits_change_the_hash_and_are_named(rules, edit, parts):
    stamped = stamp_rule(rules[0])
    edited = copy.deepcopy(stamped)
    edit(edited)
    assert rule_content_hash(edited) != recorded_rule_hash(stamped)
    assert summarize_rule(edited, stamped).other == parts


def test_the_hash_label_takes_no_part_and_is_replaced(rules):
    stamped = stamp_rule(rules[0])
    assert HASH_LABEL in stamped["labels"] and HASH_LABEL not in rules[0]["labels"]  # no mutation
    assert stamp_rule(stamped) == stamped
    assert HASH_LABEL not in canonical(stamped, drop=frozenset({HASH_LABEL}))["labels"]
    assert "signoz_dac_hash" not in unified_diff(None, stamped, "x")


def test_a_field_our_models_do_not_know_is_compared_as_it_is(rules):
    stamped = stamp_rule(rules[0])
    newer = {**_as_signoz_returns_it(stamped), "fieldFromANewerSigNoz": {"on": True}}
    assert rule_content_hash(newer) != recorded_rule_hash(stamped)
    assert summarize_rule(newer, stamped).other == ["fieldFromANewerSigNoz"]
    # Left at its zero value (a newer SigNoz marshalling a field nobody set), it is no change.
    quiet = _as_signoz_returns_it(stamped)
    quiet["condition"]["newOption"] = ""
    quiet["newList"] = None
    assert rule_content_hash(quiet) == recorded_rule_hash(stamped)


def test_only_our_rules_can_be_stamped(rules):
    with pytest.raises(InputError, match="identity labels"):
        stamp_rule({**rules[0], "labels": {"severity": "warning"}})


def test_channels_of_a_rule():
    rule = {"preferredChannels": ["b"], "condition": {"thresholds": {"spec": [{"channels": ["a", "b"]}, {"channels": None}]}}}
    assert channels_of(rule) == ["b", "a"]
    assert channels_of({"condition": {}}) == []
