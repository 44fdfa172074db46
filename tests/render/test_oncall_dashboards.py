"""The shipped dashboards read top to bottom for an on-call engineer, and only promise what SigNoz's
UI (v0.138) really does: links where the UI shows them, `columnUnits` keyed as the UI reads them,
`IN $var` for every dynamic variable, no default time range the UI would ignore. The lines on the
charts are the alert rules' levels, and the options that need a definition's data say so."""

from __future__ import annotations

import re
import textwrap

import pytest

import signoz_dac
from signoz_dac.errors import DefinitionError
from tests.render.helpers import builder_specs, panel, query_plugin, sql
from tests.support.definitions import starts_at

PIPECAT = "pipecat-voice-agent"
LIVEKIT = "livekit-voice-agent"
BOTH = [PIPECAT, LIVEKIT]
SECTIONS = ["SLO", "Errors", "Latency by stage and provider", "Conversations", "Cost"]


def _render(tmp_path, text: str) -> dict:
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(text))
    return signoz_dac.render(signoz_dac.load_definition(path))


@pytest.mark.parametrize("name", BOTH)
def test_sections_read_top_to_bottom_with_the_slo_tiles_first(builtin_bodies, name):
    layouts = builtin_bodies[name]["spec"]["layouts"]
    assert [g["spec"]["display"]["title"] for g in layouts] == SECTIONS
    first_row = sorted((i["x"], i["content"]["$ref"].rsplit("/", 1)[1]) for i in layouts[0]["spec"]["items"] if i["y"] == 0)
    # Pipecat adds its TTS failures, which its error rate cannot see
    assert [key for _, key in first_row] == ["turn-latency-p95", "dead-air", "error-rate"] + (
        ["tts-without-audio"] if name == PIPECAT else [])


@pytest.mark.parametrize("name", BOTH)
def test_links_only_where_the_ui_shows_them(builtin_bodies, name):
    """SigNoz shows panel links only in the drilldown menu of builder-query panels (not SQL, not List)."""
    body = builtin_bodies[name]
    linked = {key for key, p in body["spec"]["panels"].items() if p["spec"].get("links")}
    assert linked == {"shortest-conversations"}
    spec = panel(body, "shortest-conversations")
    assert spec["plugin"]["kind"] == "signoz/TablePanel"
    assert query_plugin(body, "shortest-conversations")["kind"] == "signoz/BuilderQuery"
    (link,) = spec["links"]
    assert link["url"] == "/trace/{{_trace_id}}" and link["name"] == "Open trace"
    (table,) = builder_specs(body, "shortest-conversations")
    assert [g["name"] for g in table["groupBy"]] == ["trace_id"]  # the clicked row's _trace_id
    assert table["order"] == [{"key": {"name": "turns"}, "direction": "asc"}]


@pytest.mark.parametrize("name", BOTH)
def test_column_units_are_keyed_as_the_ui_reads_them(builtin_bodies, name):
    """Builder and formula columns by query name (A, B); ClickHouse SQL columns by their alias."""
    body = builtin_bodies[name]
    tables = {k: p for k, p in body["spec"]["panels"].items() if p["spec"]["plugin"]["kind"] == "signoz/TablePanel"}
    assert len(tables) >= 4
    for key, p in tables.items():
        units = p["spec"]["plugin"]["spec"]["formatting"]["columnUnits"]
        assert units, key
        plugin = query_plugin(body, key)
        if plugin["kind"] == "signoz/ClickHouseSQL":
            assert all(re.search(rf"\bAS {re.escape(column)}\b", plugin["spec"]["query"]) for column in units), key
        else:
            names = {s["name"] for s in builder_specs(body, key)}
            assert set(units) <= names, (key, units)


@pytest.mark.parametrize("name", BOTH)
def test_every_dynamic_variable_filter_uses_in(builtin_bodies, name):
    """`k = $v` compares with the literal '__all__' when the variable is set to ALL; `k IN $v` drops."""
    body = builtin_bodies[name]
    expressions = [s["filter"]["expression"] for key in body["spec"]["panels"]
                   if query_plugin(body, key)["kind"] != "signoz/ClickHouseSQL" for s in builder_specs(body, key)]
    uses = [m for e in expressions for m in re.finditer(r"(\S+)\s+(\S+)\s+\$\w+", e)]
    assert uses and all(m.group(2) == "IN" for m in uses), [m.group(0) for m in uses if m.group(2) != "IN"]
    for key in body["spec"]["panels"]:
        if query_plugin(body, key)["kind"] == "signoz/ClickHouseSQL":
            assert re.findall(r"(\S+)\s+\$(?:service_name|language)\b", sql(body, key)) == ["IN"] * len(
                re.findall(r"\$(?:service_name|language)\b", sql(body, key)))


@pytest.mark.parametrize("name", BOTH)
def test_no_default_time_range_is_promised(builtin_bodies, name):
    """SigNoz's UI never reads spec.duration: the shipped definitions set none."""
    assert builtin_bodies[name]["spec"]["duration"] == ""


def test_time_range_is_still_accepted_and_written(tmp_path):
    body = _render(tmp_path, """\
        name: x
        title: X
        profile: pipecat
        time_range: 6h
        sections: [{title: S, panels: [{type: dead_air}]}]
        """)
    assert body["spec"]["duration"] == "6h"


@pytest.mark.parametrize("name", BOTH)
def test_component_latency_is_per_service_provider_and_model(builtin_bodies, name):
    for component in ("stt", "llm", "tts"):
        for spec in builder_specs(builtin_bodies[name], f"component-latency-{component}"):
            assert [g["name"] for g in spec["groupBy"]] == ["service.name", "gen_ai.provider.name", "gen_ai.request.model"]
            assert spec["legend"] == "p95 {{service.name}} {{gen_ai.provider.name}} {{gen_ai.request.model}}"


@pytest.mark.parametrize("name", BOTH)
def test_error_rate_chart_is_per_span_and_provider(builtin_bodies, name):
    body = builtin_bodies[name]
    for spec in builder_specs(body, "error-rate-over-time"):
        assert [g["name"] for g in spec["groupBy"]] == ["name", "gen_ai.provider.name"]
    probes = ["lk.fallback.recovery != true" in s["filter"]["expression"] for s in builder_specs(body, "error-rate")]
    assert probes == [name == LIVEKIT] * 2
    description = panel(body, "error-rate")["display"]["description"]
    assert "retried to success is not an error" in description
    if name == PIPECAT:
        assert "stays at 0 % during an STT or TTS outage" in description and "Dead air" in description


def test_chart_lines_follow_the_rules_or_the_panel(tmp_path):
    """With no rule, the defaults; with a rule, its levels; a panel's own thresholds win."""
    head = textwrap.dedent("""\
        name: x
        title: X
        profile: pipecat
        sections:
          - title: S
            panels:
              - {type: turn_latency}
              - {type: component_latency, component: tts}
              - {type: component_latency, component: llm, thresholds: {warning: 2.5}}
              - {type: dead_air}
        """)
    lines = lambda b, k: {t["label"]: t["value"] for t in panel(b, k)["plugin"]["spec"]["thresholds"]}  # noqa: E731
    bare = _render(tmp_path, head)
    assert lines(bare, "turn-latency") == {"warning": 0.8, "critical": 1.2}
    assert lines(bare, "component-latency-tts") == {}
    assert lines(bare, "dead-air-over-time") == {"warning": 0.05, "critical": 0.10}
    ruled = _render(tmp_path, head + textwrap.dedent("""\
        alerts:
          rules:
            - {type: turn_latency_p95, unit: s, warning: 0.6, critical: 1.5}
            - {type: component_latency_p95, component: tts, warning: 300}
            - {type: component_latency_p95, component: llm, warning: 900}
            - {type: dead_air, warning: 2}
        """))
    assert lines(ruled, "turn-latency") == {"warning": 0.6, "critical": 1.5}
    assert lines(ruled, "component-latency-tts") == {"warning": 0.3}
    assert lines(ruled, "component-latency-llm") == {"warning": 2.5}  # its own
    assert lines(ruled, "dead-air-over-time") == {"warning": 0.02}


def test_panels_a_framework_cannot_feed_are_left_out(tmp_path):
    """Pipecat records no tool-call span, end-of-utterance wait or close reason; LiveKit before
    1.8.2 no close reason or interruption source."""
    body = _render(tmp_path, """\
        name: x
        title: X
        profile: pipecat
        sections:
          - title: S
            panels: [{type: tool_calls}, {type: end_of_utterance}, {type: call_end_reasons}, {type: interruptions}]
        """)
    assert set(body["spec"]["panels"]) == {"interruptions-per-call"}
    legacy = _render(tmp_path, """\
        name: x
        title: X
        profile: livekit-legacy
        sections:
          - title: S
            panels: [{type: tool_calls}, {type: end_of_utterance}, {type: call_end_reasons}, {type: interruptions}]
        """)
    assert set(legacy["spec"]["panels"]) == {"tool-calls", "end-of-utterance", "interruptions-per-call"}
    assert len(builder_specs(legacy, "end-of-utterance")) == 2  # no eou_wait before 1.8.2: no endpointing series


COST = """\
    name: x
    title: X
    profile: {profile}
    sections: [{{title: Cost, panels: [{{type: cost_per_call}}]}}]
    """


def test_cost_per_call_needs_prices(tmp_path):
    with pytest.raises(DefinitionError, match="needs a `prices:` table"):
        _render(tmp_path, COST.format(profile="pipecat"))


def test_livekit_spans_carry_no_tts_or_stt_usage_to_price(tmp_path):
    text = COST.format(profile="livekit") + "prices: {llm: {gpt-4o-mini: {input: 0.15, output: 0.6}}, tts: {sonic-2: 40}}\n"
    with pytest.raises(DefinitionError, match="records no TTS usage"):
        _render(tmp_path, text)


@pytest.mark.parametrize(("prices", "message"), [
    ("{}", "set at least one of"),
    ("{llm: {gpt-4o-mini: {input: -1, output: 0.6}}}", "greater than or equal to 0"),
    ("{llm: {\"gpt'4o\": {input: 1, output: 1}}}", "is not allowed"),
    ("{tts: {sonic-2: -3}}", "must not be negative"),
])
def test_bad_prices_name_the_line(tmp_path, prices, message):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(COST.format(profile="pipecat")) + f"prices: {prices}\n")
    with pytest.raises(DefinitionError, match=message) as info:
        signoz_dac.load_definition(path)
    assert starts_at(str(info.value), path, 5, "prices")


def test_the_currency_labels_the_title_and_never_reaches_the_sql(tmp_path):
    # A comment is no place for a definition's text: a newline in it would end the comment and
    # turn the rest into SQL. The currency is a label for the title only.
    def cost_sql(currency: str) -> tuple[str, str]:
        body = _render(tmp_path, COST.format(profile="pipecat") + f"prices: {{currency: {currency}, llm: {{gpt-4o: {{input: 1, output: 2}}}}}}\n")
        panel = body["spec"]["panels"]["cost-per-call"]["spec"]
        return panel["display"]["name"], panel["queries"][0]["spec"]["plugin"]["spec"]["query"]

    title, sql = cost_sql("EUR")
    assert title == "Cost per call (EUR)"
    assert cost_sql('"$ ) --"') == ("Cost per call ($ ) --)", sql)


@pytest.mark.parametrize("currency", ['"US\\nD"', '"\\t"'])
def test_a_currency_is_one_line_of_printable_text(tmp_path, currency):
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(COST.format(profile="pipecat")) + f"prices: {{currency: {currency}, llm: {{gpt-4o: {{input: 1, output: 2}}}}}}\n")
    with pytest.raises(DefinitionError, match="currency") as info:
        signoz_dac.load_definition(path)
    assert starts_at(str(info.value), path, 5, "prices.currency")


def test_no_prices_no_cost_panel_in_the_shipped_definitions(builtin_bodies):
    assert all("cost-per-call" not in body["spec"]["panels"] for body in builtin_bodies.values())
