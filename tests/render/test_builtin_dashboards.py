"""The shipped dashboards: every promised panel is there and queries the right telemetry.

These assertions were written from what Pipecat and LiveKit emit (the span names and attributes in
docs/signoz-facts.md), not from the renderer's output: each one would fail on a choice the
official SigNoz dashboards made.
"""

from __future__ import annotations

import re

import pytest

import signoz_dac
from signoz_dac.resources import dashboards_dir
from signoz_dac.signoz.expressions import parse_filter
from tests.render.helpers import builder_specs, panel, query_plugin, sql, unit

PIPECAT = "pipecat-voice-agent"
LIVEKIT = "livekit-voice-agent"

EVERY_PANEL = [
    "turn-latency-p95", "turn-latency", "dead-air", "dead-air-over-time", "error-rate",
    "error-rate-over-time", "error-records", "logs",
    "component-latency-stt", "component-latency-llm", "component-latency-tts", "latency-by-provider",
    "http-request-duration",
    "conversations-below-threshold", "average-turns-per-conversation", "interruptions-per-call",
    "conversations-over-time", "call-duration", "conversations-below-threshold-list", "shortest-conversations",
    "services-and-languages", "model-distribution-stt", "model-distribution-llm", "model-distribution-tts",
    "tokens-per-call", "token-usage-input", "token-usage-cached-input", "token-usage-output", "token-usage-over-time",
    "realtime-latency",
]
# What only LiveKit's spans record: tool calls, the end-of-utterance wait, interruption sources, why calls end.
LIVEKIT_ONLY = ["tool-calls", "end-of-utterance", "interruptions-by-source", "call-end-reasons"]
# What only Pipecat needs: its TTS failures carry no error status, a `tts` span without first audio shows them.
PIPECAT_ONLY = ["tts-without-audio", "tts-without-audio-over-time"]


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_every_panel_is_present_and_placed_once(builtin_bodies, name):
    body = builtin_bodies[name]
    every = EVERY_PANEL + (LIVEKIT_ONLY if name == LIVEKIT else PIPECAT_ONLY)
    assert set(body["spec"]["panels"]) == set(every)
    placed = [
        item["content"]["$ref"].removeprefix("#/spec/panels/")
        for layout in body["spec"]["layouts"]
        for item in layout["spec"]["items"]
    ]
    assert sorted(placed) == sorted(every)


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_identity_is_stable_and_never_generated(builtin_bodies, name):
    body = builtin_bodies[name]
    assert body["name"] == name
    assert "generateName" not in body
    assert body["schemaVersion"] == "v6"


@pytest.mark.parametrize(
    ("name", "span", "attribute"),
    [(PIPECAT, "turn", "turn.user_bot_latency_seconds"), (LIVEKIT, "agent_turn", "lk.e2e_latency")],
)
def test_turn_latency_uses_the_latency_attribute_not_span_duration(builtin_bodies, name, span, attribute):
    body = builtin_bodies[name]
    for key in ("turn-latency", "turn-latency-p95"):
        specs = builder_specs(body, key)
        assert specs
        for spec in specs:
            (aggregation,) = spec["aggregations"]
            assert attribute in aggregation["expression"]
            assert "duration" not in aggregation["expression"]  # not turn.duration_seconds, not duration_nano
            assert f"name = '{span}'" in spec["filter"]["expression"]
        assert unit(body, key) == "s"
    expressions = [s["aggregations"][0]["expression"] for s in builder_specs(body, "turn-latency")]
    assert expressions == [f"p50({attribute})", f"p95({attribute})"]
    # one line per service and series: the latency rules fire per service
    assert all([g["name"] for g in s["groupBy"]] == ["service.name"] for s in builder_specs(body, "turn-latency"))


@pytest.mark.parametrize(
    ("name", "component", "span", "attribute"),
    [
        (PIPECAT, "stt", "stt", "metrics.ttfb"),
        (PIPECAT, "llm", "llm", "metrics.ttfb"),
        (PIPECAT, "tts", "tts", "metrics.ttfb"),
        (LIVEKIT, "stt", "user_turn", "lk.transcription_delay"),
        (LIVEKIT, "llm", "llm_node", "lk.response.ttft"),
        (LIVEKIT, "tts", "tts_node", "lk.response.ttfb"),
    ],
)
def test_component_latency_uses_latency_attributes(builtin_bodies, name, component, span, attribute):
    body = builtin_bodies[name]
    key = f"component-latency-{component}"
    for spec in builder_specs(body, key):
        assert attribute in spec["aggregations"][0]["expression"]
        assert f"name = '{span}'" in spec["filter"]["expression"]
    assert unit(body, key) == "s"


def test_pipecat_llm_ttfb_leaves_out_failed_calls(builtin_bodies):
    # On a failed call Pipecat stores the elapsed time (with SDK retries) as metrics.ttfb.
    for spec in builder_specs(builtin_bodies[PIPECAT], "component-latency-llm"):
        assert "has_error = false" in spec["filter"]["expression"]


@pytest.mark.parametrize(
    ("name", "spans"),
    [(PIPECAT, {"stt": "name = 'stt'", "llm": "name IN ('llm', 'llm_response')", "tts": "name = 'tts'"}),
     (LIVEKIT, {"stt": "name = 'user_turn'", "llm": "name IN ('llm_request', 'realtime_inference')",
                "tts": "name = 'tts_node'"})],
)
def test_each_model_distribution_is_filtered_to_its_component_span(builtin_bodies, name, spans):
    """An LLM's calls are its call spans and a speech-to-speech model's replies, one span each."""
    body = builtin_bodies[name]
    for component, span in spans.items():
        (spec,) = builder_specs(body, f"model-distribution-{component}")
        assert spec["filter"]["expression"].startswith(span + " ")
        assert [g["name"] for g in spec["groupBy"]] == ["gen_ai.request.model"]


@pytest.mark.parametrize(("name", "spans"), [(PIPECAT, "'llm', 'llm_response'"),
                                            (LIVEKIT, "'llm_request', 'realtime_inference'")])
def test_tokens_are_counted_once_per_model_call(builtin_bodies, name, spans):
    """On the LLM call's span and a speech-to-speech model's reply only: never also on a parent."""
    body = builtin_bodies[name]
    for key in ("token-usage-input", "token-usage-cached-input", "token-usage-output", "token-usage-over-time"):
        for spec in builder_specs(body, key):
            assert spec["filter"]["expression"].startswith(f"name IN ({spans}) ")
            assert spec["aggregations"][0]["expression"].startswith(("sum(gen_ai.usage.", "rate_sum(gen_ai.usage."))
    # The chart is a rate: a sum per automatic bucket would change its scale with the zoom.
    rates = [s["aggregations"][0]["expression"] for s in builder_specs(body, "token-usage-over-time")]
    assert rates == ["rate_sum(gen_ai.usage.input_tokens)", "rate_sum(gen_ai.usage.cache_read.input_tokens)",
                     "rate_sum(gen_ai.usage.output_tokens)"]


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_error_rate_is_a_fraction_in_percentunit_from_a_composite_formula(builtin_bodies, name):
    body = builtin_bodies[name]
    for key in ("error-rate", "error-rate-over-time"):
        plugin = query_plugin(body, key)
        assert plugin["kind"] == "signoz/CompositeQuery"
        queries = plugin["spec"]["queries"]
        formulas = [q["spec"] for q in queries if q["type"] == "builder_formula"]
        assert [f["expression"] for f in formulas] == ["A / B"]
        assert formulas[0]["legend"]
        inputs = [q["spec"] for q in queries if q["type"] == "builder_query"]
        assert all(q["disabled"] for q in inputs)
        assert "has_error = true" in inputs[0]["filter"]["expression"]
        assert "has_error" not in inputs[1]["filter"]["expression"]
        assert unit(body, key) == "percentunit"


@pytest.mark.parametrize(("name", "start"), [(PIPECAT, "name = 'turn' AND turn.number = 1"), (LIVEKIT, "name = 'session_start'")])
def test_conversations_are_counted_from_a_span_exported_as_the_call_starts(builtin_bodies, name, start):
    """Not from the root span: it is exported when the call ends but placed at its start, so the
    most recent stretch of the chart always dipped."""
    body = builtin_bodies[name]
    for key in ("conversations-over-time", "services-and-languages"):
        (spec,) = builder_specs(body, key)
        assert spec["filter"]["expression"].startswith(start)


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_resource_keys_are_grouped_with_resource_context(builtin_bodies, name):
    body = builtin_bodies[name]
    groups = [
        (key, group)
        for key in body["spec"]["panels"] if query_plugin(body, key)["kind"] != "signoz/ClickHouseSQL"
        for spec in builder_specs(body, key)
        for group in spec.get("groupBy", [])
        if group["name"].startswith(("service.", "telemetry.sdk."))
    ]
    assert len(groups) >= 3  # conversations over time, services and languages (two keys)
    assert all(group["fieldContext"] == "resource" for _, group in groups), groups


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_llm_model_variable_filters_only_llm_panels(builtin_bodies, name):
    body = builtin_bodies[name]
    with_model = {
        key for key in body["spec"]["panels"] if query_plugin(body, key)["kind"] != "signoz/ClickHouseSQL"
        for spec in builder_specs(body, key) if "$llm_model" in spec["filter"]["expression"]
    }
    assert with_model == {
        "token-usage-input", "token-usage-cached-input", "token-usage-output", "token-usage-over-time",
        "model-distribution-llm", "component-latency-llm", "latency-by-provider", "realtime-latency",
    }


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_variables(builtin_bodies, name):
    variables = {v["spec"]["name"]: v for v in builtin_bodies[name]["spec"]["variables"]}
    assert set(variables) == {"service_name", "language", "llm_model", "turns_threshold"}
    service = variables["service_name"]["spec"]
    assert service["plugin"] == {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "traces"}}
    assert service["allowAllValue"] and service["allowMultiple"]
    assert variables["language"]["spec"]["plugin"]["spec"]["name"] == "telemetry.sdk.language"
    model = variables["llm_model"]["spec"]["plugin"]
    assert model["kind"] == "signoz/QueryVariable"
    assert "name IN ('llm" in model["spec"]["queryValue"]  # scoped to LLM spans only
    assert variables["turns_threshold"] == {
        "kind": "TextVariable",
        "spec": {"name": "turns_threshold", "display": {"name": "Turns threshold", "description": variables["turns_threshold"]["spec"]["display"]["description"]}, "value": "3", "constant": False},
    }


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
@pytest.mark.parametrize(
    "key", ["conversations-below-threshold", "average-turns-per-conversation", "conversations-below-threshold-list"]
)
def test_sql_panels_filter_on_time_and_handle_all(builtin_bodies, name, key):
    text = sql(builtin_bodies[name], key)
    assert "signoz_traces.distributed_signoz_index_v3" in text
    assert "timestamp >= $start_datetime" in text and "timestamp <= $end_datetime" in text
    assert "ts_bucket_start >= $start_timestamp -" in text and "ts_bucket_start <= $end_timestamp" in text
    assert "'__all__' IN $service_name OR" in text
    assert "'__all__' IN $language OR" in text
    assert "{{" not in text  # SigNoz runs text/template over the SQL: a stray {{ is a 500


@pytest.mark.parametrize("name", [PIPECAT, LIVEKIT])
def test_list_panels_use_builder_queries_in_raw_mode(builtin_bodies, name):
    body = builtin_bodies[name]
    for key in ("error-records", "logs"):
        spec = panel(body, key)
        assert spec["queries"][0]["kind"] == "raw"
        assert spec["queries"][0]["spec"]["plugin"]["kind"] == "signoz/BuilderQuery"
    (errors,) = builder_specs(body, "error-records")
    assert errors["filter"]["expression"].startswith("has_error = true")
    assert "trace_id" in [f["name"] for f in errors["selectFields"]]


def _span_names(expression: str) -> set[str]:
    """The span names a filter keeps (`name = 'x'` or `name IN (...)`)."""
    return {v.text for c in parse_filter(expression).comparisons() if c.key.name == "name" and c.op in ("=", "IN")
            for v in c.values}


@pytest.mark.parametrize("profile", ["pipecat", "livekit", "livekit-legacy"])
def test_the_model_variable_lists_the_models_of_every_span_it_filters(profile):
    """At ALL, SigNoz sends a query variable's options: a span the panels filter by the LLM model
    whose models the variable does not list (livekit 1.7's speech-to-speech `agent_turn`) drops out."""
    dashboard = signoz_dac.load_definition(dashboards_dir() / ("pipecat.yaml" if profile == "pipecat" else "livekit.yaml"))
    body = signoz_dac.render(dashboard.model_copy(update={"profile": profile}))
    [variable] = [v for v in body["spec"]["variables"] if v["spec"]["name"] == "llm_model"]
    listed = set(re.findall(r"'([^']+)'", re.search(r"name IN \(([^)]*)\)", variable["spec"]["plugin"]["spec"]["queryValue"]).group(1)))
    filtered = {name for key in body["spec"]["panels"] if query_plugin(body, key)["kind"] != "signoz/ClickHouseSQL"
                for spec in builder_specs(body, key) if "$llm_model" in (spec.get("filter") or {}).get("expression", "")
                for name in _span_names(spec["filter"]["expression"])}
    assert filtered and filtered <= listed, filtered - listed
