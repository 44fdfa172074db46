"""Each rule queries what its panel shows: the same span names, attribute keys and conditions as the
matching panel of the same rendered dashboard (the panel's dashboard-variable conditions aside),
and the panel draws its lines at the rule's levels."""

from __future__ import annotations

import pytest

from tests.alerts.helpers import conditions, fields_of, rule_builders
from tests.render.helpers import builder_specs, panel

DASHBOARDS = ["pipecat-voice-agent", "livekit-voice-agent"]
# rule id (without the level) -> (the panel whose P95 series the rule's query B counts over, levels in s)
LATENCY = {
    "turn-latency-p95": ("turn-latency", {"warning": 0.8, "critical": 1.2}),
    "component-latency-p95-stt": ("component-latency-stt", {"warning": 0.4}),
    "component-latency-p95-llm": ("component-latency-llm", {"warning": 1.0}),
    "component-latency-p95-tts": ("component-latency-tts", {"warning": 0.4}),
}


def lines(body: dict, key: str) -> dict[str, float]:
    return {t["label"]: t["value"] for t in panel(body, key)["plugin"]["spec"]["thresholds"]}


@pytest.mark.parametrize("dashboard", DASHBOARDS)
@pytest.mark.parametrize("rule_id", list(LATENCY))
def test_latency_rules_count_the_turns_their_panel_shows(builtin_bodies, shipped_rules, dashboard, rule_id):
    key, levels = LATENCY[rule_id]
    (p95,) = [s for s in builder_specs(builtin_bodies[dashboard], key) if s["aggregations"][0]["expression"].startswith("p95(")]
    attribute = p95["aggregations"][0]["expression"][4:-1]
    for level, seconds in levels.items():
        rule = rule_builders(shipped_rules[dashboard][f"{rule_id}-{level}"])
        assert conditions(rule["B"]) == conditions(p95)
        assert fields_of(rule["B"]).spans == fields_of(p95).spans
        assert conditions(rule["A"]) == conditions(p95) | {f"{attribute} > {seconds:g}"}
    assert lines(builtin_bodies[dashboard], key) == levels  # the chart's lines are the rules' levels


@pytest.mark.parametrize("dashboard", DASHBOARDS)
@pytest.mark.parametrize(("rule_id", "key"), [("error-rate", "error-rate"), ("dead-air", "dead-air")])
def test_ratio_rules_query_their_tile(builtin_bodies, shipped_rules, dashboard, rule_id, key):
    rule = rule_builders(shipped_rules[dashboard][rule_id])
    tile = {s["name"]: s for s in builder_specs(builtin_bodies[dashboard], key)}
    assert set(rule) == set(tile) == {"A", "B"}
    for name in "AB":
        assert fields_of(rule[name]) == fields_of(tile[name])
        assert conditions(rule[name]) == conditions(tile[name])
        assert rule[name]["aggregations"] == tile[name]["aggregations"]
    formula = lambda q: [x["spec"]["expression"] for x in q if x["type"] == "builder_formula"]  # noqa: E731
    tile_formula = formula(panel(builtin_bodies[dashboard], key)["queries"][0]["spec"]["plugin"]["spec"]["queries"])
    assert formula(shipped_rules[dashboard][rule_id]["condition"]["compositeQuery"]["queries"]) == [f"({tile_formula[0]}) * 100"]
    # the rule is in percent, the panel a fraction: the lines are the rule's levels / 100
    levels = {t["name"]: t["target"] / 100 for t in shipped_rules[dashboard][rule_id]["condition"]["thresholds"]["spec"]}
    assert lines(builtin_bodies[dashboard], f"{key}-over-time") == pytest.approx(levels)


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_tokens_per_call_queries_the_token_tiles_and_the_call_starts(builtin_bodies, shipped_rules, dashboard):
    body = builtin_bodies[dashboard]
    rule = rule_builders(shipped_rules[dashboard]["tokens-per-call"])
    for name, key in (("A", "token-usage-input"), ("B", "token-usage-output")):
        (tile,) = builder_specs(body, key)
        assert fields_of(rule[name]) == fields_of(tile)
        assert rule[name]["aggregations"] == tile["aggregations"]
        assert conditions(rule[name]) == conditions(tile)
    (starts,) = builder_specs(body, "conversations-over-time")
    assert conditions(rule["C"]) == conditions(starts) and fields_of(rule["C"]).spans == fields_of(starts).spans
