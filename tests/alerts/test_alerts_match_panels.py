"""Each rule queries what its panel shows: the same span names, attribute keys and conditions as the
matching panel of the same rendered dashboard (the panel's dashboard-variable conditions aside)."""

from __future__ import annotations

import pytest

from signoz_dac.profiles import get_profile
from signoz_dac.spec import load_definition
from signoz_dac.resources import builtin_definitions
from tests.alerts.helpers import conditions, fields_of, rule_builders
from tests.render.helpers import builder_specs, sql

DASHBOARDS = ["pipecat-voice-agent", "livekit-voice-agent"]
# rule id -> the panel whose single builder query the rule's query A must match
LATENCY_PANELS = {
    "turn-latency-p95": "turn-latency-p95",
    "component-latency-p95-stt": "component-latency-stt",
    "component-latency-p95-llm": "component-latency-llm",
    "component-latency-p95-tts": "component-latency-tts",
}


def _profile(dashboard: str):
    for path in builtin_definitions():
        definition = load_definition(path)
        if definition.name == dashboard:
            return get_profile(definition.profile)
    raise AssertionError(dashboard)


@pytest.mark.parametrize("dashboard", DASHBOARDS)
@pytest.mark.parametrize("rule_id", list(LATENCY_PANELS))
def test_latency_rules_query_their_panel(builtin_bodies, shipped_rules, dashboard, rule_id):
    rule = rule_builders(shipped_rules[dashboard][rule_id])["A"]
    panel_specs = builder_specs(builtin_bodies[dashboard], LATENCY_PANELS[rule_id])
    p95 = [s for s in panel_specs if s["aggregations"][0]["expression"].startswith("p95(")]
    assert len(p95) == 1, "the panel shows a P95"
    assert fields_of(rule) == fields_of(p95[0])
    assert rule["aggregations"] == p95[0]["aggregations"]
    assert conditions(rule) == conditions(p95[0])


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_error_rate_rule_queries_the_error_rate_panel(builtin_bodies, shipped_rules, dashboard):
    rule = rule_builders(shipped_rules[dashboard]["error-rate"])
    panel = {s["name"]: s for s in builder_specs(builtin_bodies[dashboard], "error-rate")}
    assert set(rule) == set(panel) == {"A", "B"}
    for name in "AB":
        assert fields_of(rule[name]) == fields_of(panel[name])
        assert conditions(rule[name]) == conditions(panel[name])
        assert rule[name]["aggregations"] == panel[name]["aggregations"]
    assert "has_error = true" in conditions(rule["A"])


@pytest.mark.parametrize("dashboard", DASHBOARDS)
def test_tokens_per_turn_queries_the_token_panel_and_the_turn_spans(builtin_bodies, shipped_rules, dashboard):
    rule = rule_builders(shipped_rules[dashboard]["tokens-per-turn"])
    panel = {s["legend"]: s for s in builder_specs(builtin_bodies[dashboard], "token-usage-over-time")}
    for name, part in (("A", "input"), ("B", "output")):
        assert fields_of(rule[name]) == fields_of(panel[part])
        assert rule[name]["aggregations"] == panel[part]["aggregations"]
        assert conditions(rule[name]) == conditions(panel[part])
    # C counts turns as the dashboard's turn panels do
    turns = fields_of(rule["C"])
    (turn_span,) = turns.spans
    assert turn_span == _profile(dashboard).turns.span
    assert f"countIf(name = '{turn_span}'" in sql(builtin_bodies[dashboard], "average-turns-per-conversation")


def test_legacy_livekit_counts_turns_like_its_sql_panels(tmp_path):
    """livekit-legacy leaves follow-up generations out of the turn count, in the rule as in SQL."""
    import signoz_dac

    text = next(p for p in builtin_definitions() if p.stem == "livekit").read_text()
    path = tmp_path / "legacy.yaml"
    path.write_text(text.replace("profile: livekit\n", "profile: livekit-legacy\n"))
    definition = load_definition(path)
    body = signoz_dac.render(definition)
    rule = next(r for r in signoz_dac.render_alerts(definition) if r["labels"]["signoz_dac_rule"] == "tokens-per-turn")
    unless = get_profile("livekit-legacy").turns.unless_attribute
    assert fields_of(rule_builders(rule)["C"]).absent == {unless}
    assert f"NOT mapContains(attributes_string, '{unless}')" in sql(body, "average-turns-per-conversation")
