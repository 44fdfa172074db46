"""The strict rule models: SigNoz's own rule examples pass; broken rules fail at the exact JSON path."""

from __future__ import annotations

import copy

import pytest
import yaml

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.rules import dump_rule, parse_rule

VALID = {
    "alert": "Voice agent: error rate", "alertType": "TRACES_BASED_ALERT", "ruleType": "threshold_rule",
    "version": "v5", "schemaVersion": "v2alpha1",
    "condition": {
        "compositeQuery": {"queryType": "builder", "panelType": "graph", "unit": "percent", "queries": [
            {"type": "builder_query", "spec": {"name": "A", "signal": "traces", "stepInterval": 60, "disabled": True,
             "aggregations": [{"expression": "count()"}], "filter": {"expression": "name = 'llm' AND has_error = true"}}},
            {"type": "builder_query", "spec": {"name": "B", "signal": "traces", "stepInterval": 60, "disabled": True,
             "aggregations": [{"expression": "count()"}], "filter": {"expression": "name = 'llm'"}}},
            {"type": "builder_formula", "spec": {"name": "F1", "expression": "(A / B) * 100"}},
        ]},
        "selectedQueryName": "F1",
        "thresholds": {"kind": "basic", "spec": [
            {"name": "warning", "target": 1, "targetUnit": "percent", "op": "above", "matchType": "all_the_times", "channels": ["slack"]},
        ]},
    },
    "evaluation": {"kind": "rolling", "spec": {"evalWindow": "5m", "frequency": "1m"}},
    "labels": {"severity": "warning"},
    "annotations": {"summary": "s"},
}


def _threshold(body: dict) -> dict:
    return body["condition"]["thresholds"]["spec"][0]


def _query(body: dict, index: int) -> dict:
    return body["condition"]["compositeQuery"]["queries"][index]


Q = "condition.compositeQuery"
T = "condition.thresholds.spec[0]"

# (case, how to break VALID, expected JSON path, words the message must contain)
CASES = [
    ("unknown field", lambda b: b.update(alertname="x"), "alertname", "unknown field"),
    ("missing name", lambda b: b.pop("alert"), "alert", "missing required field"),
    ("blank name", lambda b: b.update(alert=" "), "alert", "needs a name"),
    ("alert type", lambda b: b.update(alertType="TRACE_BASED_ALERT"), "alertType", "TRACES_BASED_ALERT"),
    ("empty rule type", lambda b: b.update(ruleType=""), "ruleType", "must not be empty"),
    ("schema version", lambda b: b.update(schemaVersion="v2"), "schemaVersion", "v2alpha1"),
    ("not a bool", lambda b: b.update(disabled="false"), "disabled", "true or false"),
    ("label value", lambda b: b["labels"].update(team=1), "labels.team", "must be a string"),
    ("panel type", lambda b: b["condition"]["compositeQuery"].update(panelType="time_series"), f"{Q}.panelType", "graph"),
    ("query type", lambda b: b["condition"]["compositeQuery"].update(queryType="sql"), f"{Q}.queryType", "builder"),
    ("no queries", lambda b: b["condition"]["compositeQuery"].update(queries=[]), f"{Q}.queries", "at least one query"),
    ("envelope type", lambda b: _query(b, 0).update(type="builder_join"), f"{Q}.queries[0].type", "builder_query"),
    ("promql in a builder rule", lambda b: b["condition"]["compositeQuery"]["queries"].append(
        {"type": "promql", "spec": {"name": "P", "query": "up"}}), f"{Q}.queries[3].type", "does not belong"),
    ("duplicate query name", lambda b: _query(b, 1)["spec"].update(name="A"), f"{Q}.queries[1].spec.name", "duplicate"),
    ("formula names a missing query", lambda b: _query(b, 2)["spec"].update(expression="A / D"),
     f"{Q}.queries[2].spec.expression", "'D'"),
    ("signal vs alert type", lambda b: _query(b, 0)["spec"].update(signal="logs"), f"{Q}.queries[0].spec.signal",
     "TRACES_BASED_ALERT"),
    ("packed aggregations", lambda b: _query(b, 0)["spec"].update(aggregations=[{"expression": "p95(a), p99(b)"}]),
     f"{Q}.queries[0].spec.aggregations[0].expression", "one aggregation entry per function"),
    ("selected query missing", lambda b: b["condition"].update(selectedQueryName="F2"), "condition.selectedQueryName", "'F2'"),
    ("selected query disabled", lambda b: b["condition"].update(selectedQueryName="A"), "condition.selectedQueryName",
     "disabled"),
    ("selected query absent", lambda b: b["condition"].pop("selectedQueryName"), "condition.selectedQueryName", "required"),
    ("no thresholds", lambda b: b["condition"].pop("thresholds"), "condition.thresholds", "v2alpha1"),
    ("threshold kind", lambda b: b["condition"]["thresholds"].update(kind="advanced"), "condition.thresholds.kind", "basic"),
    ("empty thresholds", lambda b: b["condition"]["thresholds"].update(spec=[]), "condition.thresholds.spec", "at least one"),
    ("duplicate level", lambda b: b["condition"]["thresholds"]["spec"].append(dict(_threshold(b))),
     "condition.thresholds.spec[1].name", "duplicate"),
    ("unknown threshold field", lambda b: _threshold(b).update(severity="x"), f"{T}.severity", "unknown field"),
    ("operator", lambda b: _threshold(b).update(op="greater"), f"{T}.op", "above"),
    ("match type", lambda b: _threshold(b).update(matchType="always"), f"{T}.matchType", "all_the_times"),
    ("target as text", lambda b: _threshold(b).update(target="1"), f"{T}.target", "must be a number"),
    ("target null", lambda b: _threshold(b).update(target=None), f"{T}.target", "must be a number"),
    ("target missing", lambda b: _threshold(b).pop("target"), f"{T}.target", "missing required field"),
    ("channels not a list", lambda b: _threshold(b).update(channels="slack"), f"{T}.channels", "must be a list"),
    ("target unit of another kind", lambda b: _threshold(b).update(targetUnit="ms"), f"{T}.targetUnit", "cannot be converted"),
    ("target unit without query unit", lambda b: b["condition"]["compositeQuery"].pop("unit"), f"{T}.targetUnit",
     "compositeQuery.unit"),
    ("no evaluation", lambda b: b.pop("evaluation"), "evaluation", "v2alpha1"),
    ("evaluation kind", lambda b: b["evaluation"].update(kind="sliding"), "evaluation.kind", "rolling"),
    ("evaluation window", lambda b: b["evaluation"]["spec"].update(evalWindow="5 minutes"), "evaluation.spec.evalWindow",
     "Go duration"),
    ("renotify state", lambda b: b.update(notificationSettings={"renotify": {"enabled": True, "alertStates": ["burning"]}}),
     "notificationSettings.renotify.alertStates[0]", "firing"),
]


def test_the_valid_rule_parses_and_round_trips():
    assert dump_rule(parse_rule(VALID)) == VALID


@pytest.mark.parametrize(("case", "breaks", "path", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_rule_is_rejected_at_its_path(case, breaks, path, words):
    body = copy.deepcopy(VALID)
    breaks(body)
    with pytest.raises(SchemaError) as info:
        parse_rule(body, source="rule.json")
    first = info.value.issues[0]
    assert (first.path, words in first.message) == (path, True), info.value.issues
    assert str(info.value).startswith(f"rule.json: {path}: ")


def test_a_body_that_is_not_an_object():
    with pytest.raises(SchemaError, match="must be a JSON object"):
        parse_rule([VALID])


def test_signoz_own_rule_examples_parse(shared):
    """Every example of POST /api/v2/rules in SigNoz's OpenAPI (v1 and v2alpha1 shapes) is accepted."""
    text = (shared / "reference" / "signoz" / "openapi-v0.138.0.yml").read_text(encoding="utf-8")
    spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    examples = spec["paths"]["/api/v2/rules"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    assert len(examples) >= 10
    for name, example in examples.items():
        rule = parse_rule(example["value"], source=name)
        assert dump_rule(rule) == example["value"], name
