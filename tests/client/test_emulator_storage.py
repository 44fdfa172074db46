"""The emulator stores like SigNoz v0.138 over raw HTTP: a re-read differs from what was sent exactly
where SigNoz's does (its decoders' defaults and normalisation, its tag module, its rule reads).
The minimal body covers every panel, query and variable kind; the expectations are SigNoz's
(dashboardtypes, querybuildertypesv5, telemetrytypes, ruletypes), not read back from our code."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from signoz_dac.testing import SigNozEmulator
from tests.signoz_v6.bodies import get_path, make_body, set_path
from tests.support import wire

from .support import CANARY, KEYS

AUTH = {"SIGNOZ-API-KEY": CANARY}
P = "spec.panels"
TS = f"{P}.latency.spec.plugin.spec"  # TimeSeriesPanel with a traces builder query
TSB = f"{P}.latency.spec.queries[0].spec.plugin.spec"
BAR = f"{P}.bars.spec.plugin.spec"
NUM = f"{P}.errors.spec.plugin.spec"
HISTB = f"{P}.hist.spec.queries[0].spec.plugin.spec"
DROP = object()  # a change that removes the field


def _stored(emulator: SigNozEmulator, body: dict[str, Any]) -> dict[str, Any]:
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        created = http.post("/api/v2/dashboards", json=body)
        assert created.status_code == 201, created.text
        read = http.get(f"/api/v2/dashboards/{created.json()['data']['id']}")
    return read.json()["data"]


def _changed(*changes: tuple[str, Any]) -> dict[str, Any]:
    body = make_body()
    for path, value in changes:
        set_path(body, path, value)
    return body


# (what SigNoz does, the change to the minimal body, the path to read back, what SigNoz returns there)
STORED = [
    ("stepInterval becomes seconds", [(f"{TSB}.stepInterval", "1m")], f"{TSB}.stepInterval", 60),
    ("a numeric stepInterval stays", [(f"{TSB}.stepInterval", 90)], f"{TSB}.stepInterval", 90),
    ("function names lower-cased", [(f"{TSB}.functions", [{"name": "timeShift", "args": [{"value": 3600}]}])],
     f"{TSB}.functions[0].name", "timeshift"),
    ("a context prefix is split off the key", [(f"{TSB}.groupBy", [{"name": "resource.service.name"}])],
     f"{TSB}.groupBy[0]", {"name": "service.name", "fieldContext": "resource"}),
    ("a data type suffix is split off the key", [(f"{TSB}.groupBy", [{"name": "http.route:string"}])],
     f"{TSB}.groupBy[0]", {"name": "http.route", "fieldDataType": "string"}),
    ("tag is attribute", [(f"{TSB}.groupBy", [{"name": "llm.model", "fieldContext": "tag"}])],
     f"{TSB}.groupBy[0].fieldContext", "attribute"),
    ("an unknown context is empty", [(f"{TSB}.groupBy", [{"name": "llm.model", "fieldContext": "planet"}])],
     f"{TSB}.groupBy[0]", {"name": "llm.model"}),
    ("float64 is number", [(f"{TSB}.groupBy", [{"name": "x", "fieldDataType": "float64"}])],
     f"{TSB}.groupBy[0].fieldDataType", "number"),
    ("int64 is number", [(f"{TSB}.groupBy", [{"name": "x", "fieldDataType": "int64"}])],
     f"{TSB}.groupBy[0].fieldDataType", "number"),
    ("enums folded", [(f"{TS}.chartAppearance.lineStyle", " Dashed")], f"{TS}.chartAppearance.lineStyle", "dashed"),
    ("metric aggregation enums folded", [(f"{HISTB}.aggregations[0].spaceAggregation", "P95")],
     f"{HISTB}.aggregations[0].spaceAggregation", "p95"),
    ("an integer precision is a string", [(f"{TS}.formatting.decimalPrecision", 3)], f"{TS}.formatting.decimalPrecision", "3"),
    ("enum defaults written out", [], f"{BAR}.legend", {"position": "bottom", "mode": "list", "customColors": None}),
    ("the bar chart's visualization defaults", [], f"{BAR}.visualization",
     {"timePreference": "global_time", "fillSpans": False, "stackedBarChart": True}),
    ("the number threshold's defaults", [], f"{NUM}.thresholds[0]",
     {"value": 0.05, "operator": "above", "unit": "", "color": "Red", "format": "text"}),
    ("thresholds null when unset", [], f"{BAR}.thresholds", None),
    ("axes with null soft limits", [], f"{BAR}.axes", {"softMin": None, "softMax": None, "isLogScale": False}),
    ("spanGaps written out", [(f"{TS}.chartAppearance", {})], f"{TS}.chartAppearance.spanGaps",
     {"fillOnlyBelow": False, "fillLessThan": ""}),
    ("a sort default", [], "spec.variables[0].spec.sort", "none"),
    ("a dynamic signal default", [("spec.variables[0].spec.plugin.spec", {"name": "service.name"})],
     "spec.variables[0].spec.plugin.spec.signal", "all"),
    ("duration and refreshInterval always there", [("spec.duration", DROP)], "spec.duration", ""),
    ("display.name filled from name", [("spec.display.name", "")], "spec.display", {"name": "voice-agents", "description": ""}),
    ("description present", [("spec.display", {"name": "Voice agents"})], "spec.display.description", ""),
    ("image present", [("image", DROP)], "image", ""),
]


@pytest.mark.parametrize(("what", "changes", "path", "expected"), STORED, ids=[s[0] for s in STORED])
def test_a_dashboard_reads_back_as_signoz_stores_it(emulator, what, changes, path, expected):
    body = make_body()
    for where, value in changes:
        if value is DROP:
            parent, _, last = where.rpartition(".")
            del (get_path(body, parent) if parent else body)[last]
        else:
            set_path(body, where, value)
    assert get_path(_stored(emulator, body), path) == expected


def test_an_empty_links_list_is_left_out(emulator):
    body = make_body()
    assert body["spec"]["links"] == [] and body["spec"]["panels"]["latency"]["spec"].get("links") is None
    set_path(body, f"{P}.latency.spec.links", [])
    stored = _stored(emulator, body)
    assert "links" not in stored["spec"] and "links" not in stored["spec"]["panels"]["latency"]["spec"]
    body["spec"]["links"] = [{"name": "Runbook", "url": "https://r"}]
    # A link that is there is written out whole.
    assert _stored(emulator, {**body, "name": "with-links"})["spec"]["links"] == [
        {"name": "Runbook", "url": "https://r", "tooltip": "", "renderVariables": False, "targetBlank": False}
    ]


def test_tags_are_trimmed_deduplicated_and_recased_to_the_org(emulator):
    first = _stored(emulator, _changed(("tags", [{"key": "Team", "value": "Voice"}])))
    assert first["tags"] == [{"key": "Team", "value": "Voice"}]
    second = _changed(("name", "second"), ("tags", [
        {"key": " team ", "value": "voice"}, {"key": "TEAM", "value": "VOICE"}, {"key": "env", "value": "prod"}]))
    assert _stored(emulator, second)["tags"] == [{"key": "Team", "value": "Voice"}, {"key": "env", "value": "prod"}]


def test_a_put_is_stored_the_same_way(emulator):
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        created = http.post("/api/v2/dashboards", json=make_body()).json()["data"]
        changed = _changed((f"{TSB}.stepInterval", "2m"))
        assert http.put(f"/api/v2/dashboards/{created['id']}", json=changed).status_code == 200
        read = http.get(f"/api/v2/dashboards/{created['id']}").json()["data"]
    assert get_path(read, f"{TSB}.stepInterval") == 120


def test_verbatim_storage_keeps_what_was_sent():
    # Only for a test that must see its own bytes again: SigNoz never does this.
    with SigNozEmulator(api_keys=KEYS, normaliser=None) as emulator:
        body = _changed((f"{TSB}.stepInterval", "1m"))
        stored = _stored(emulator, body)
    assert {k: stored[k] for k in ("schemaVersion", "name", "image", "tags")} == {k: body[k] for k in ("schemaVersion", "name", "image", "tags")}
    assert stored["spec"] == body["spec"]


# --- rules ----------------------------------------------------------------------------------------

V2 = {
    "alert": "cpu high", "alertType": "METRIC_BASED_ALERT", "schemaVersion": "v2alpha1",
    "condition": {
        "compositeQuery": {"queryType": "builder", "panelType": "graph", "queries": [
            {"type": "builder_query", "spec": {"name": "A", "signal": "metrics", "stepInterval": "1m",
             "aggregations": [{"metricName": "cpu", "spaceAggregation": "P50", "timeAggregation": "avg"}]}}]},
        "thresholds": {"kind": "basic", "spec": [{"name": "critical", "target": 90.0, "matchType": "1", "op": "1"}]},
    },
    "evaluation": {"kind": "rolling", "spec": {"evalWindow": "5m", "frequency": "1m"}},
    "notificationSettings": {},
}
V1 = {
    "alert": "cpu high v1", "version": "v5", "preferredChannels": ["slack"],
    "condition": {
        "compositeQuery": {"queryType": "promql", "panelType": "graph", "queries": [
            {"type": "promql", "spec": {"name": "A", "query": "up == 0"}}]},
        "target": 1, "matchType": "1", "op": "1",
    },
}


def _rule_round_trip(emulator: SigNozEmulator, rule: dict[str, Any]) -> tuple[httpx.Response, dict[str, Any]]:
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        created = http.post("/api/v2/rules", json=rule)
        assert created.status_code == 201, created.text
        read = http.get(f"/api/v2/rules/{created.json()['data']['id']}").json()["data"]
    return created, read


def test_a_rule_post_answers_with_zero_audit_fields_and_no_state(emulator):
    created, read = _rule_round_trip(emulator, V2)
    data = created.json()["data"]
    assert (data["state"], data["createdAt"], data["updatedAt"], data["createdBy"], data["updatedBy"]) == (
        "", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "", "")
    assert read["state"] == "inactive" and read["createdAt"] != "0001-01-01T00:00:00Z" and read["createdBy"]


def test_a_rule_put_answers_204_with_no_body(emulator):
    _, read = _rule_round_trip(emulator, V2)
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        put = http.put(f"/api/v2/rules/{read['id']}", json={**V2, "disabled": True})
    assert put.status_code == 204 and put.content == b""


def test_a_v2alpha1_rule_reads_back_with_signoz_defaults(emulator):
    _, read = _rule_round_trip(emulator, V2)
    assert read["version"] == "v5" and read["schemaVersion"] == "v2alpha1" and read["ruleType"] == "threshold_rule"
    assert read["alertType"] == "METRIC_BASED_ALERT"
    assert read["condition"]["thresholds"]["spec"] == [
        {"name": "critical", "target": 90, "targetUnit": "", "recoveryTarget": None, "matchType": "1", "op": "1", "channels": None}
    ]
    assert read["notificationSettings"] == {"usePolicy": False}  # groupBy, renotify, newGroupEvalDelay omitted
    query = read["condition"]["compositeQuery"]["queries"][0]["spec"]
    assert query["stepInterval"] == 60 and query["aggregations"][0]["spaceAggregation"] == "p50"


def test_a_v1_rule_reads_back_without_what_the_server_derives(emulator):
    emulator.add_channel("slack")
    _, read = _rule_round_trip(emulator, V1)
    assert read["ruleType"] == "promql_rule"  # the PromQL query type decides
    assert (read["evalWindow"], read["frequency"]) == ("5m", "1m")
    assert not {"thresholds"} & read["condition"].keys()
    assert not {"evaluation", "notificationSettings", "schemaVersion"} & read.keys()
    assert read["preferredChannels"] == ["slack"] and read["condition"]["target"] == 1


def test_a_promql_rule_that_says_threshold_rule_reads_back_as_promql_rule(emulator):
    emulator.add_channel("slack")
    _, read = _rule_round_trip(emulator, {**V1, "ruleType": "threshold_rule"})
    assert read["ruleType"] == "promql_rule"


def test_a_rule_naming_a_missing_channel_is_refused(emulator):
    rule = copy.deepcopy(V2)
    rule["condition"]["thresholds"]["spec"][0]["channels"] = ["pager"]
    with wire.Client(base_url=emulator.url, headers=AUTH) as http:
        response = http.post("/api/v2/rules", json=rule)
    assert response.status_code == 400 and "channels do not exist: pager" in response.json()["error"]["message"]
    assert emulator.rules == {}


def test_a_seeded_body_signoz_would_refuse_is_kept_as_given(emulator):
    # For tests of what a legacy or hostile server holds; POST and PUT still validate.
    broken = {**make_body(), "spec": "x"}
    assert emulator.seed(broken)["spec"] == "x"
    rule = {"alert": "old", "labels": {"bad-name": "v"}}
    assert emulator.seed_rule(rule)["labels"] == {"bad-name": "v"}
