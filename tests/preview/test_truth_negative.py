"""The truth tests catch wrong panels: the mistakes of SigNoz's official voice-agent dashboards,
and a few others, each fail the comparison with the ground truth.

Each test breaks one shipped panel or rule the way a real mistake would, evaluates it on the
committed captures, and checks that the comparison used by test_truth.py reports it.
"""

from __future__ import annotations

import copy

import pytest

import signoz_dac
from signoz_dac.identity import RULE_LABEL
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.pipeline import spans_range
from tests.preview.conftest import definition, load_capture
from tests.preview.test_truth import check_panel, check_rule, world


@pytest.fixture(scope="module", params=["pipecat", "livekit"])
def committed(request):
    capture = load_capture("committed", request.param)
    dashboard = definition(request.param)
    with Engine(capture.spans) as engine:
        yield capture, signoz_dac.render(dashboard), signoz_dac.render_alerts(dashboard), engine


def builder_specs(panel: dict) -> list[dict]:
    plugin = panel["spec"]["queries"][0]["spec"]["plugin"]
    if plugin["kind"] == "signoz/BuilderQuery":
        return [plugin["spec"]]
    return [q["spec"] for q in plugin["spec"]["queries"]]


def broken(body: dict, key: str, change) -> dict:
    body = copy.deepcopy(body)
    change(body["spec"]["panels"][key])
    return body


def test_the_shipped_panels_pass(committed) -> None:
    """The baseline the negative tests break: unbroken, the same checks find nothing."""
    capture, body, rules, engine = committed
    rng = spans_range(capture.spans)
    w = world(capture, rng)
    for key in ("turn-latency-p95", "error-rate", "model-distribution-llm", "token-usage-input"):
        assert check_panel(key, body, engine, rng, w) == []
    assert [m for r in rules for m in check_rule(r, engine, rng, w)] == []


def test_playout_duration_as_turn_latency_fails(committed) -> None:
    """The official dashboards' latency: the turn span's duration (LiveKit: p95 of agent_turn's
    duration_nano, in ns; Pipecat: turn.duration_seconds), which includes speech and playout."""
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def playout(panel: dict) -> None:
        [spec] = builder_specs(panel)
        if capture.profile == "pipecat":
            spec["aggregations"][0]["expression"] = "p95(turn.duration_seconds)"
            spec["filter"]["expression"] = spec["filter"]["expression"].replace("turn.user_bot_latency_seconds", "turn.duration_seconds")
        else:
            spec["aggregations"][0]["expression"] = "p95(duration_nano)"
            spec["filter"]["expression"] = spec["filter"]["expression"].replace("lk.e2e_latency EXISTS", "duration_nano > 0")
            panel["spec"]["plugin"]["spec"]["formatting"]["unit"] = "ns"  # the right unit for that field

    found = check_panel("turn-latency-p95", broken(body, "turn-latency-p95", playout), engine, rng, world(capture, rng))
    assert len(found) == 1 and "turn-latency-p95" in found[0], found


def test_percentage_unit_off_by_100_fails(committed) -> None:
    """A 0–1 error rate shown with unit `percent` (SigNoz then prints 0.05%, not 5%)."""
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def percent(panel: dict) -> None:
        panel["spec"]["plugin"]["spec"]["formatting"]["unit"] = "percent"

    found = check_panel("error-rate", broken(body, "error-rate", percent), engine, rng, world(capture, rng))
    assert len(found) == 1, found


def test_percentage_formula_times_100_with_percentunit_fails(committed) -> None:
    """The other way round: `(A / B) * 100` under `percentunit` shows 476% for 4.76 %."""
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def times_100(panel: dict) -> None:
        formula = builder_specs(panel)[-1]
        formula["expression"] = "(A / B) * 100"

    found = check_panel("error-rate-over-time", broken(body, "error-rate-over-time", times_100), engine, rng,
                        world(capture, rng))
    assert found and all("error-rate-over-time" in m for m in found), found


def test_rule_percentage_off_by_100_fails(committed) -> None:
    """The error-rate rule's unit is `percent`; a formula left as a fraction is off by 100."""
    capture, _, rules, engine = committed
    rng = spans_range(capture.spans)
    [rule] = copy.deepcopy([r for r in rules if r["labels"][RULE_LABEL] == "error-rate"])
    formula = rule["condition"]["compositeQuery"]["queries"][-1]["spec"]
    formula["expression"] = "A / B"
    found = check_rule(rule, engine, rng, world(capture, rng))
    assert found, "a rule off by 100 must not match the truth"


def test_model_pie_without_its_span_fails(committed) -> None:
    """The official pies count gen_ai.request.model on every span: STT, TTS and LLM models mixed."""
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def any_span(panel: dict) -> None:
        [spec] = builder_specs(panel)
        spec["filter"]["expression"] = "gen_ai.request.model EXISTS"

    found = check_panel("model-distribution-llm", broken(body, "model-distribution-llm", any_span), engine, rng,
                        world(capture, rng))
    assert found, "an unfiltered model pie must not match the truth"


def test_average_instead_of_sum_fails(committed) -> None:
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def average(panel: dict) -> None:
        [spec] = builder_specs(panel)
        spec["aggregations"][0]["expression"] = "avg(gen_ai.usage.input_tokens)"

    found = check_panel("token-usage-input", broken(body, "token-usage-input", average), engine, rng, world(capture, rng))
    assert len(found) == 1, found


@pytest.mark.parametrize("committed", ["pipecat"], indirect=True)  # only Pipecat's failed LLM calls carry a latency
def test_llm_latency_with_failed_calls_fails_on_pipecat(committed) -> None:
    """Pipecat records elapsed time as metrics.ttfb on a failed LLM call: counting it is wrong."""
    capture, body, _, engine = committed
    rng = spans_range(capture.spans)

    def with_errors(panel: dict) -> None:
        for spec in builder_specs(panel):
            spec["filter"]["expression"] = spec["filter"]["expression"].replace(" AND has_error = false", "")

    found = check_panel("component-latency-llm", broken(body, "component-latency-llm", with_errors), engine, rng,
                        world(capture, rng))
    assert found, found
