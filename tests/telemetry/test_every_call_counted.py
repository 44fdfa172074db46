"""Every LiveKit call counted, whether the tracer provider is set at module level or inside the
entrypoint (LiveKit's own example; then `job_entrypoint` is never exported).

Proven on our captures (1.8.9 for `livekit`, 1.7.1 for `livekit-legacy`; the calls with the provider
in the entrypoint run as their own service) and on the shared reference capture, recorded apart from
our scripts:
- the ClickHouse SQL panels, run in chDB, against the truth from the labelled calls;
- the builder conversation panels, run over the spans by `tests/support/evaluate.py`, against the same truth;
- the alert rules' queries: the same scenario captured in both setups gives the same inputs to every
  rule, and the tokens-per-call rule counts the call once.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

import signoz_dac
from signoz_dac.profiles import PROFILES
from signoz_dac.testing.traces_store import TraceStore, render_query
from tests.alerts.helpers import rule_builders
from tests.render.helpers import builder_specs
from tests.support.evaluate import matching, totals
from tests.telemetry.conftest import REPO, by_trace, call_traces, committed, shared_capture
from tests.telemetry.test_sql_panels import (
    DASHBOARDS,
    MINUTE,
    MS,
    PANELS,
    E,
    S,
    clone,
    extent,
    panel_queries,
    result,
    truth,
    world,
)

pytestmark = pytest.mark.slow

LIVEKIT = [("livekit.yaml", "livekit"), ("livekit.yaml", "livekit-legacy")]
IN_ENTRYPOINT = "provider_in_entrypoint:"
# the shared capture's call with the provider set in the entrypoint, and the same run with it set before
SHARED_PAIRS = {
    "1.8.9": ("1.8.9_voice_pipeline_two_turns_with_tool_call", "1.8.9_provider_set_inside_entrypoint"),
    "1.7.1": ("1.7.1_voice_pipeline_two_turns_with_tool_call", "1.7.1_provider_set_inside_entrypoint"),
}


def source_capture(profile_name: str, source: str) -> dict[str, Any]:
    profile = PROFILES[profile_name]
    return committed(profile_name) if source == "ours" else shared_capture(profile.verified_on[0])


def rendered(definition: str, profile_name: str):
    dashboard = signoz_dac.load_definition(str(REPO / "dashboards" / definition))
    if dashboard.profile != profile_name:
        dashboard = dashboard.model_copy(update={"profile": profile_name})
    return signoz_dac.render(dashboard), signoz_dac.render_alerts(dashboard)


def call_spans(capture: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """{label: every span of the call, its split-off traces included}."""
    traces = by_trace(capture)
    return {label: [s for t in ids for s in traces[t]] for label, ids in call_traces(capture).items()}


@pytest.mark.parametrize("source", ["ours", "shared"])
@pytest.mark.parametrize("profile_name", ["livekit", "livekit-legacy"])
def test_the_setups_are_both_in_the_data(profile_name: str, source: str) -> None:
    """Calls with the provider set before the job (a `job_entrypoint`) and inside the entrypoint (none)."""
    capture = source_capture(profile_name, source)
    traces = by_trace(capture)
    setups = {label: any(s["name"] == "job_entrypoint" for s in traces[ids[0]]) for label, ids in call_traces(capture).items()}
    assert set(setups.values()) == {True, False}
    for before, inside in pairs(profile_name, source):
        assert (setups[before], setups[inside]) == (True, False)


@pytest.mark.parametrize(("definition", "profile_name"), LIVEKIT)
@pytest.mark.parametrize("source", ["ours", "shared"])
def test_sql_panels_count_every_call(definition: str, profile_name: str, source: str) -> None:
    """All calls placed around the range; the panels equal the truth from the labelled calls, for
    every service. On the shared capture, counting from `job_entrypoint` gave 3 where the truth is 4
    (threshold 3) and 5 where it is 6 (threshold 7)."""
    profile = PROFILES[profile_name]
    capture = source_capture(profile_name, source)
    queries = panel_queries(definition, profile_name)
    spans, conversations = world(profile, capture)
    inside = [c for c in conversations if S * MS <= c.end_ns <= E * MS]
    assert len(inside) == 2 * len(call_traces(capture)) + 1  # each inside and straddling the start; one ends at E
    with TraceStore() as store:
        store.load(spans)
        for threshold in (3, 7):
            variables = {"service_name": "__all__", "language": "__all__", "turns_threshold": str(threshold)}
            expected = truth(conversations, S, E, "__all__", threshold)
            for key in PANELS:
                got = result(key, store.query(render_query(queries[key], variables, S, E)))
                assert got == expected[key], f"{key}, threshold {threshold}"
        for service in sorted({c.service for c in conversations}):
            variables = {"service_name": [service], "language": "__all__", "turns_threshold": "1000"}
            [row] = store.query(render_query(queries["conversations-below-threshold"], variables, S, E))
            assert int(row["value"]) == len([c for c in inside if c.service == service]), service


def test_the_measured_case_of_the_shared_capture() -> None:
    """The shared capture's six 1.8.9 calls, all ending inside the range: 4 have fewer than 3 turns
    and 6 fewer than 7. Counted from `job_entrypoint`, the call with the provider set inside the
    entrypoint was missing: 3 and 5."""
    profile = PROFILES["livekit"]
    capture = shared_capture("1.8.9")
    traces = by_trace(capture)
    spans = []
    for i, ids in enumerate(call_traces(capture).values()):
        call = [s for t in ids for s in traces[t]]
        _, end = extent(profile, traces[ids[0]])
        spans += clone(call, f"measured:{i}", (S + (10 + 3 * i) * MINUTE) * MS - end)
    turns = sorted(sum(s["name"] == "agent_turn" for s in traces[ids[0]]) for ids in call_traces(capture).values())
    assert turns == [1, 1, 2, 2, 3, 3]
    query = panel_queries("livekit.yaml", "livekit")["conversations-below-threshold"]
    with TraceStore() as store:
        store.load(spans)
        for threshold, expected in (("3", 4), ("7", 6)):
            variables = {"service_name": "__all__", "language": "__all__", "turns_threshold": threshold}
            [row] = store.query(render_query(query, variables, S, E))
            assert int(row["value"]) == expected


@pytest.mark.parametrize(
    ("source", "definition", "profile_name"),
    [("ours", *d) for d in DASHBOARDS] + [("shared", *d) for d in LIVEKIT],  # the shared capture is LiveKit's
)
def test_builder_conversation_panels_count_every_call(definition: str, profile_name: str, source: str) -> None:
    capture = source_capture(profile_name, source)
    body, _ = rendered(definition, profile_name)
    calls = call_spans(capture)
    services = sorted({spans[0]["resource"]["service.name"] for spans in calls.values()})
    expected = {}
    for spans in calls.values():
        service = spans[0]["resource"]["service.name"]
        expected[(service,)] = expected.get((service,), 0) + 1
    variables = {"service_name": services, "language": ["python"]}
    [over_time] = builder_specs(body, "conversations-over-time")
    assert totals(over_time, capture["spans"], variables) == expected
    [table] = builder_specs(body, "services-and-languages")
    assert totals(table, capture["spans"], variables) == {(*k, "python"): v for k, v in expected.items()}
    # and each service alone, as the dashboard's variable selects it
    for service in services:
        assert totals(over_time, capture["spans"], {**variables, "service_name": [service]}) == {
            (service,): expected[(service,)]
        }


def pairs(profile_name: str, source: str) -> list[tuple[str, str]]:
    """(call with the provider set before the job, the same scenario with it set in the entrypoint)."""
    if source == "shared":
        return [SHARED_PAIRS[PROFILES[profile_name].verified_on[0]]]
    labels = call_traces(committed(profile_name))
    found = [(label[len(IN_ENTRYPOINT):], label) for label in labels if label.startswith(IN_ENTRYPOINT)]
    assert len(found) == 3 and all(before in labels for before, _ in found)
    return found


def rule_inputs(rules: list[dict], spans: list[dict[str, Any]]) -> dict[tuple[str, str], float]:
    """Each rule query's value over one call (for a percentile: how many values it is taken over)."""
    out = {}
    for rule in rules:
        for name, spec in rule_builders(rule).items():
            (aggregation,) = spec["aggregations"]
            expression = aggregation["expression"]
            if expression.startswith("p") and expression[1:3].isdigit():
                expression = "count()"
            spec = {**spec, "aggregations": [{"expression": expression}], "groupBy": []}
            [value] = totals(spec, spans).values()
            out[(rule["labels"]["signoz_dac_rule"], name)] = value
    return out


@pytest.mark.parametrize(("definition", "profile_name"), LIVEKIT)
@pytest.mark.parametrize("source", ["ours", "shared"])
def test_alert_rules_see_the_same_call_in_both_setups(definition: str, profile_name: str, source: str) -> None:
    profile = PROFILES[profile_name]
    capture = source_capture(profile_name, source)
    _, rules = rendered(definition, profile_name)
    calls = call_spans(capture)
    for before, inside in pairs(profile_name, source):
        seen = {}
        for label in (before, inside):
            spans = calls[label]
            inputs = rule_inputs(rules, spans)
            # the calls the tokens-per-call rule divides by: this one
            assert inputs[("tokens-per-call", "C")] == 1, label
            assert len(matching(spans, f"name = '{profile.conversation_span}'")) == 1, label
            seen[label] = inputs
        assert seen[before] == seen[inside], (before, inside)
        assert not any(math.isnan(v) for v in seen[before].values())
