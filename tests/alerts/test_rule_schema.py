"""The rule models accept what SigNoz accepts: SigNoz's own rule examples pass; a rule SigNoz refuses
fails at the exact JSON path. (What we demand of our own rules on top: tests/render/test_output_checks.py.)"""

from __future__ import annotations

import copy

import pytest
import yaml

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.rules import given_body, parse_rule

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
    "notificationSettings": {"groupBy": ["service.name"]},
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
    ("missing name", lambda b: b.pop("alert"), "alert", "required"),
    ("blank name", lambda b: b.update(alert=" "), "alert", "required"),
    ("alert type", lambda b: b.update(alertType="TRACE_BASED_ALERT"), "alertType", "TRACES_BASED_ALERT"),
    ("alert type is case-sensitive", lambda b: b.update(alertType="traces_based_alert"), "alertType", "TRACES_BASED_ALERT"),
    ("rule type", lambda b: b.update(ruleType="static_rule"), "ruleType", "threshold_rule"),
    ("schema version", lambda b: b.update(schemaVersion="v2"), "schemaVersion", "v2alpha1"),
    ("version", lambda b: b.update(version="v4"), "version", "v5"),
    ("not a bool", lambda b: b.update(disabled="false"), "disabled", "true or false"),
    ("label value", lambda b: b["labels"].update(team=1), "labels.team", "must be a string"),
    ("label name with a dash", lambda b: b["labels"].update({"on-call": "x"}), "labels", "invalid label name 'on-call'"),
    ("annotation template", lambda b: b["annotations"].update(summary="{{.Value"), "annotations.summary", "unclosed action"),
    ("panel type", lambda b: b["condition"]["compositeQuery"].update(panelType="time_series"), f"{Q}.panelType", "graph"),
    ("query type", lambda b: b["condition"]["compositeQuery"].update(queryType="sql"), f"{Q}.queryType", "builder"),
    ("no condition", lambda b: b.pop("condition"), "condition", "required"),
    ("no queries", lambda b: b["condition"]["compositeQuery"].update(queries=[]), f"{Q}.queries", "at least one query"),
    ("envelope type", lambda b: _query(b, 0).update(type="builder_sql"), f"{Q}.queries[0].type", "builder_query"),
    ("duplicate query name", lambda b: _query(b, 1)["spec"].update(name="A"), f"{Q}.queries[1].spec.name", "duplicate"),
    ("builder unknown field", lambda b: _query(b, 0)["spec"].update(function=[]), f"{Q}.queries[0].spec.function", "unknown field"),
    ("aggregation with as", lambda b: _query(b, 0)["spec"].update(aggregations=[{"expression": "count() as n"}]),
     f"{Q}.queries[0].spec.aggregations[0].expression", "' as '"),
    ("formula blank", lambda b: _query(b, 2)["spec"].update(expression=" "), f"{Q}.queries[2].spec.expression", "blank"),
    ("selected query missing", lambda b: b["condition"].update(selectedQueryName="F2"), "condition.selectedQueryName", "'F2'"),
    ("min points", lambda b: b["condition"].update(requireMinPoints=True), "condition.requiredNumPoints", "positive"),
    ("no thresholds", lambda b: b["condition"].pop("thresholds"), "condition.thresholds", "v2alpha1"),
    ("threshold kind", lambda b: b["condition"]["thresholds"].update(kind="advanced"), "condition.thresholds.kind", "basic"),
    ("empty thresholds", lambda b: b["condition"]["thresholds"].update(spec=[]), "condition.thresholds.spec", "at least one"),
    ("operator", lambda b: _threshold(b).update(op="greater"), f"{T}.op", "unsupported comparison operator"),
    ("match type", lambda b: _threshold(b).update(matchType="always"), f"{T}.matchType", "unsupported match type"),
    ("target as text", lambda b: _threshold(b).update(target="1"), f"{T}.target", "must be a number"),
    ("target null", lambda b: _threshold(b).update(target=None), f"{T}.target", "required"),
    ("target missing", lambda b: _threshold(b).pop("target"), f"{T}.target", "required"),
    ("channels not a list", lambda b: _threshold(b).update(channels="slack"), f"{T}.channels", "must be a list"),
    ("no evaluation", lambda b: b.pop("evaluation"), "evaluation", "v2alpha1"),
    ("no notification settings", lambda b: b.pop("notificationSettings"), "notificationSettings", "v2alpha1"),
    ("evaluation kind", lambda b: b["evaluation"].update(kind="sliding"), "evaluation.kind", "rolling"),
    ("evaluation window", lambda b: b["evaluation"]["spec"].update(evalWindow="5 minutes"), "evaluation.spec.evalWindow",
     "positive duration"),
    ("evaluation window zero", lambda b: b["evaluation"]["spec"].update(evalWindow="0s"), "evaluation.spec.evalWindow",
     "positive duration"),
    ("renotify state", lambda b: b.update(notificationSettings={"renotify": {"enabled": True, "interval": "1h", "alertStates": ["burning"]}}),
     "notificationSettings.renotify.alertStates[0]", "firing"),
    ("renotify without interval", lambda b: b.update(notificationSettings={"renotify": {"enabled": True}}),
     "notificationSettings.renotify.interval", "positive interval"),
]

# What SigNoz accepts although a stricter reading would not: each stays accepted.
ACCEPTED = [
    ("an unknown top-level field (SigNoz ignores it)", lambda b: b.update(alertname="x")),
    ("an unknown threshold field (ignored)", lambda b: _threshold(b).update(severity="x")),
    ("no ruleType (a read fills threshold_rule)", lambda b: b.pop("ruleType")),
    ("no alertType", lambda b: b.pop("alertType")),
    ("a PromQL rule that says threshold_rule (SigNoz makes it promql_rule)", lambda b: b["condition"].update(
        compositeQuery={"queryType": "promql", "panelType": "graph", "queries": [{"type": "promql", "spec": {"name": "A", "query": "up"}}]},
        selectedQueryName="A")),
    ("a packed aggregation list (only dashboards refuse it)",
     lambda b: _query(b, 0)["spec"].update(aggregations=[{"expression": "p95(a), p99(b)"}])),
    ("a formula naming a query the rule lacks", lambda b: _query(b, 2)["spec"].update(expression="A / D")),
    ("the selected query disabled", lambda b: b["condition"].update(selectedQueryName="A")),
    ("several queries, none selected", lambda b: b["condition"].pop("selectedQueryName")),
    ("the op as a symbol and the match type as a number", lambda b: _threshold(b).update(op=">=", matchType="2")),
    ("a target unit SigNoz cannot convert", lambda b: _threshold(b).update(targetUnit="ms")),
    ("a join query", lambda b: b["condition"]["compositeQuery"]["queries"].append(
        {"type": "builder_join", "spec": {"name": "J", "left": {"name": "A"}, "right": {"name": "B"}, "type": "inner", "on": "x = x"}})),
]


@pytest.mark.parametrize(("case", "change"), ACCEPTED, ids=[c[0] for c in ACCEPTED])
def test_what_signoz_accepts_is_accepted(case, change):
    body = copy.deepcopy(VALID)
    change(body)
    assert given_body(parse_rule(body)) == body


def test_the_valid_rule_parses_and_round_trips():
    assert given_body(parse_rule(VALID)) == VALID


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
        assert given_body(rule) == example["value"], name
