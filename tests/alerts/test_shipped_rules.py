"""The shipped dashboards carry the voice-agent alert table, rendered as valid SigNoz v2 rules."""

from __future__ import annotations

import pytest

import signoz_dac
from signoz_dac.identity import DASHBOARD_LABEL, MANAGED_LABEL, MANAGED_VALUE, RULE_LABEL
from signoz_dac.resources import builtin_definitions
from signoz_dac.signoz.rules import given_body, parse_rule
from tests.alerts.helpers import rule_builders

DASHBOARDS = ["pipecat-voice-agent", "livekit-voice-agent"]

# rule id -> (compositeQuery.unit, targetUnit or None, {level: target}, op, matchType, evalWindow, stepInterval)
# Ratio rules compare one value over the whole window: their step (a day) is far longer than it.
TABLE = {
    "turn-latency-p95-warning": ("percent", "percent", {"warning": 5}, "above", "on_average", "5m", 86400),
    "turn-latency-p95-critical": ("percent", "percent", {"critical": 5}, "above", "on_average", "5m", 86400),
    "dead-air": ("percent", "percent", {"warning": 5, "critical": 10}, "above", "on_average", "10m", 86400),
    "error-rate": ("percent", "percent", {"warning": 1, "critical": 5}, "above", "on_average", "5m", 86400),
    "component-latency-p95-tts-warning": ("percent", "percent", {"warning": 5}, "above", "on_average", "5m", 86400),
    "component-latency-p95-llm-warning": ("percent", "percent", {"warning": 5}, "above", "on_average", "5m", 86400),
    "component-latency-p95-stt-warning": ("percent", "percent", {"warning": 5}, "above", "on_average", "5m", 86400),
    "tokens-per-call": ("none", None, {"warning": 100000, "critical": 200000}, "above", "on_average", "30m", 86400),
    "no-data": ("none", None, {"warning": 1}, "below", "at_least_once", "30m", 60),
}


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_each_dashboard_ships_the_alert_table(shipped_rules, dashboard):
    rules = shipped_rules[dashboard]
    assert list(rules) == list(TABLE)
    for rule_id, (unit, target_unit, targets, op, match, window, step) in TABLE.items():
        rule = rules[rule_id]
        condition = rule["condition"]
        assert condition["compositeQuery"]["unit"] == unit, rule_id
        levels = condition["thresholds"]["spec"]
        assert {t["name"]: t["target"] for t in levels} == targets, rule_id
        assert all(t.get("targetUnit") == target_unit for t in levels), rule_id
        assert all(t["op"] == op and t["matchType"] == match for t in levels), rule_id
        assert rule["evaluation"] == {"kind": "rolling", "spec": {"evalWindow": window, "frequency": "1m"}}
        assert {spec["stepInterval"] for spec in rule_builders(rule).values()} == {step}, rule_id
        assert rule["labels"]["severity"] == ("critical" if "critical" in targets else "warning")
        assert condition.get("alertOnAbsent", False) == (rule_id == "no-data"), rule_id


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_each_shipped_rule_validates_and_round_trips(shipped_rules, dashboard):
    for rule in shipped_rules[dashboard].values():
        assert given_body(parse_rule(rule)) == rule


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_rule_shape_is_the_v2_traces_threshold_rule(shipped_rules, dashboard):
    for rule_id, rule in shipped_rules[dashboard].items():
        assert (rule["version"], rule["schemaVersion"]) == ("v5", "v2alpha1")
        assert (rule["alertType"], rule["ruleType"]) == ("TRACES_BASED_ALERT", "threshold_rule")
        composite = rule["condition"]["compositeQuery"]
        assert (composite["queryType"], composite["panelType"]) == ("builder", "graph")
        assert rule["condition"]["thresholds"]["kind"] == "basic"
        per_service = [] if rule_id == "no-data" else ["service.name"]  # no data concerns a whole rule
        for spec in rule_builders(rule).values():
            assert spec["signal"] == "traces"
            assert [g["name"] for g in spec["groupBy"]] == per_service  # one alert per service
        assert rule["notificationSettings"]["groupBy"] == per_service
        assert rule["disabled"] is False
        assert set(rule["annotations"]) == {"summary", "description"}


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_every_rule_carries_a_stable_identity(shipped_rules, dashboard):
    for rule_id, rule in shipped_rules[dashboard].items():
        labels = rule["labels"]
        assert labels[MANAGED_LABEL] == MANAGED_VALUE
        assert (labels[DASHBOARD_LABEL], labels[RULE_LABEL]) == (dashboard, rule_id)


def test_rule_names_are_unique_across_dashboards(shipped_rules):
    names = [rule["alert"] for rules in shipped_rules.values() for rule in rules.values()]
    assert len(names) == len(set(names)) == 2 * len(TABLE)


def test_formula_rules_select_the_formula_over_disabled_inputs(shipped_rules):
    for rules in shipped_rules.values():
        assert rules["error-rate"]["condition"]["selectedQueryName"] == "F1"
        queries = rules["error-rate"]["condition"]["compositeQuery"]["queries"]
        assert [(q["type"], q["spec"]["disabled"]) for q in queries] == [
            ("builder_query", True), ("builder_query", True), ("builder_formula", False)]
        assert queries[2]["spec"]["expression"] == "(A / B) * 100"
        assert [q["spec"]["expression"] for q in rules["dead-air"]["condition"]["compositeQuery"]["queries"][2:]] == [
            "((A - B) / A) * 100"]
        tokens = rules["tokens-per-call"]["condition"]["compositeQuery"]["queries"]
        assert tokens[3]["spec"]["expression"] == "(A + B) / C"


def test_rendering_is_deterministic():
    first = [signoz_dac.dump(r) for p in builtin_definitions() for r in signoz_dac.render_alerts(signoz_dac.load_definition(p))]
    second = [signoz_dac.dump(r) for p in builtin_definitions() for r in signoz_dac.render_alerts(signoz_dac.load_definition(p))]
    assert first == second and len(first) == 2 * len(TABLE)
