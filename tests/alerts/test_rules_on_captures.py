"""Each shipped rule, evaluated as SigNoz evaluates it (tests/support/evaluate.py), on the conversations
captured from the real frameworks: the failure scenarios fire the rule that watches them, the
healthy ones leave it quiet, and every value equals what the raw spans say.

The truths are counted here from the spans with the frameworks' own meaning (the references'
span catalogs), not from the profiles: a wrong span or attribute in a profile fails these tests.
"""

from __future__ import annotations

import pytest

from tests.alerts.spans import MINUTE, T0, TOKEN_SPANS, placed, reference_scenario, scenarios, shipped_rules
from tests.support.evaluate import evaluate_rule

pytestmark = pytest.mark.slow

AT = T0 + 3 * MINUTE  # every window (5 minutes or more) covers a whole placed conversation (< 30 s)
PROFILES = ["pipecat", "livekit", "livekit-legacy"]
ERROR = "STATUS_CODE_ERROR"

# What the frameworks emit (their span names and attributes), written out rather than read from the profiles.
PROVIDER_CALLS = {"pipecat": {"llm"}, "livekit": {"llm_request", "tts_request"}, "livekit-legacy": {"llm_request", "tts_request"}}
TURN_LATENCY = {"pipecat": ("turn", "turn.user_bot_latency_seconds"), "livekit": ("agent_turn", "lk.e2e_latency"),
                "livekit-legacy": ("agent_turn", "lk.e2e_latency")}
COMPONENT_LATENCY = {
    "pipecat": {"stt": ("stt", "metrics.ttfb"), "llm": ("llm", "metrics.ttfb"), "tts": ("tts", "metrics.ttfb")},
    "livekit": {"stt": ("user_turn", "lk.transcription_delay"), "llm": ("llm_node", "lk.response.ttft"),
                "tts": ("tts_node", "lk.response.ttfb")},
}
COMPONENT_LATENCY["livekit-legacy"] = COMPONENT_LATENCY["livekit"]
# The scenarios in which a provider request failed, and those where a caller turn got no reply.
FAILED_REQUESTS = {"pipecat": {"llm_error"}, "livekit": {"llm_error", "llm_fallback"},
                   "livekit-legacy": {"llm_error", "llm_fallback"}}
UNANSWERED = {"pipecat": {"llm_error", "stt_error"}, "livekit": {"llm_error"}, "livekit-legacy": {"llm_error"}}


def scenario(label: str) -> str:
    """`llm_error` for `provider_in_entrypoint:llm_error`: the same scenario in another setup."""
    return label.split(":")[-1]


def only(evaluation) -> tuple[list[float], set[str]]:
    """The one group's points and firing levels (every captured conversation has one service)."""
    assert len(evaluation.points) == 1, evaluation.points
    (group,) = evaluation.points
    return evaluation.points[group], evaluation.firing[group]


def fired(value: float, levels: dict[str, float]) -> set[str]:
    return {name for name, target in levels.items() if value > target}


def error_truth(profile: str, spans) -> float | None:
    calls = [s for s in spans if s["name"] in PROVIDER_CALLS[profile] and not s["attributes"].get("lk.fallback.recovery")]
    return 100 * sum(s["status_code"] == ERROR for s in calls) / len(calls) if calls else None


def dead_air_truth(profile: str, spans) -> float:
    """Turns where the user waited for a reply and heard none, as a percentage of those turns."""
    if profile == "pipecat":
        asked = [s for s in spans if s["name"] == "turn" and s["attributes"]["turn.number"] > 1]
        unanswered = [s for s in asked if "turn.user_bot_latency_seconds" not in s["attributes"]]
        return 100 * len(unanswered) / len(asked) if asked else None
    asked = [s for s in spans if s["name"] == "user_turn"]  # LiveKit opens one per committed caller turn
    answered = [s for s in spans if s["name"] == "agent_turn" and "lk.e2e_latency" in s["attributes"]]
    return 100 * (len(asked) - len(answered)) / len(asked) if asked else None


@pytest.mark.parametrize("profile", PROFILES)
def test_error_rate_fires_where_a_request_failed_and_nowhere_else(profile):
    """The LLM error, and the fallback's failed primary (an error of that provider, though the
    backup answered); a speech-to-speech call makes no such requests and gives no point."""
    rule = shipped_rules(profile)["error-rate"]
    levels = {t["name"]: t["target"] for t in rule["condition"]["thresholds"]["spec"]}
    for name, trace in scenarios(profile).items():
        spans = placed(trace)
        truth = error_truth(profile, spans)
        evaluation = evaluate_rule(rule, spans, AT)
        if truth is None:
            assert evaluation.points == {}, name
            continue
        points, firing = only(evaluation)
        assert points == [pytest.approx(truth)], name
        assert firing == fired(truth, levels), name
        assert bool(firing) == (scenario(name) in FAILED_REQUESTS[profile]), name
    failed = placed(scenarios(profile)["llm_error"])
    # Pipecat: 1 of 3 llm calls failed; LiveKit: 1 of 3 llm_request + 2 tts_request.
    expected = {"pipecat": 100 / 3, "livekit": 20.0, "livekit-legacy": 20.0}[profile]
    assert only(evaluate_rule(rule, failed, AT))[0] == [pytest.approx(expected)]
    if profile != "pipecat":
        # 3 replies by the backup, 1 failed first try, 3 recovery probes, 3 tts_request: the probes
        # are left out where LiveKit marks them (1.8.7+); before, they count (4 of 10).
        fallback = only(evaluate_rule(rule, placed(scenarios(profile)["llm_fallback"]), AT))[0]
        assert fallback == [pytest.approx(100 / 7 if profile == "livekit" else 40.0)]


@pytest.mark.parametrize("profile", PROFILES)
def test_dead_air_fires_after_the_lost_replies_and_nowhere_else(profile):
    """The turn after the LLM error (and, in Pipecat, the words an STT outage lost) has no latency:
    the latency rules cannot see it, dead air does."""
    rule = shipped_rules(profile)["dead-air"]
    for name, trace in scenarios(profile).items():
        spans = placed(trace)
        truth = dead_air_truth(profile, spans)
        evaluation = evaluate_rule(rule, spans, AT)
        if truth is None:  # a greeting-only call: nobody asked anything, so no point at all
            assert evaluation.points == {}, name
            continue
        points, firing = only(evaluation)
        assert points == [pytest.approx(truth)], name
        assert bool(firing) == (scenario(name) in UNANSWERED[profile]), name
    points, firing = only(evaluate_rule(rule, placed(scenarios(profile)["llm_error"]), AT))
    assert points == [pytest.approx(50.0)] and firing == {"warning", "critical"}


@pytest.mark.parametrize("profile", PROFILES)
def test_turn_latency_rules_fire_on_the_share_of_slow_turns(profile):
    """Each level is a rule: more than 5 % of turns above it. The captured fakes answer in 0.8–1.4 s,
    so the 800 ms warning fires on every conversation with a user turn, and 1200 ms only where a
    turn took that long (a tool call, a barge-in)."""
    span, attribute = TURN_LATENCY[profile]
    rules = shipped_rules(profile)
    seen = set()
    for name, trace in scenarios(profile).items():
        spans = placed(trace)
        latencies = [s["attributes"][attribute] for s in spans if s["name"] == span and attribute in s["attributes"]]
        for level, rule_id in ((0.8, "turn-latency-p95-warning"), (1.2, "turn-latency-p95-critical")):
            evaluation = evaluate_rule(rules[rule_id], spans, AT)
            if not latencies:
                assert evaluation.points == {}, (name, rule_id)
                continue
            share = 100 * sum(v > level for v in latencies) / len(latencies)
            points, firing = only(evaluation)
            assert points == [pytest.approx(share)], (name, rule_id)
            assert bool(firing) == (share > 5), (name, rule_id)
            seen.add((rule_id, bool(firing)))
    assert ("turn-latency-p95-critical", True) in seen and ("turn-latency-p95-critical", False) in seen


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("component", ["stt", "llm", "tts"])
def test_component_latency_rules_compare_the_share_over_their_level(profile, component):
    rule = shipped_rules(profile)[f"component-latency-p95-{component}-warning"]
    level = rule["condition"]["thresholds"]["spec"][0]
    assert (level["name"], level["target"], level["targetUnit"]) == ("warning", 5, "percent")
    limit = {"stt": 0.4, "llm": 1.0, "tts": 0.4}[component]
    span, attribute = COMPONENT_LATENCY[profile][component]
    for name, trace in scenarios(profile).items():
        spans = placed(trace)
        values = [s["attributes"][attribute] for s in spans if s["name"] == span and attribute in s["attributes"]
                  and not (profile == "pipecat" and component == "llm" and s["status_code"] == ERROR)]
        evaluation = evaluate_rule(rule, spans, AT)
        if not values:
            assert evaluation.points == {}
            continue
        share = 100 * sum(v > limit for v in values) / len(values)
        points, firing = only(evaluation)
        assert points == [pytest.approx(share)], name
        assert bool(firing) == (share > 5), name


@pytest.mark.parametrize("profile", PROFILES)
def test_tokens_per_call_is_the_calls_tokens(profile):
    """One call in the window: the value is that call's LLM tokens, far below the levels."""
    rule = shipped_rules(profile)["tokens-per-call"]
    for name, trace in scenarios(profile).items():
        spans = placed(trace)
        tokens = sum(s["attributes"].get("gen_ai.usage.input_tokens", 0) + s["attributes"].get("gen_ai.usage.output_tokens", 0)
                     for s in spans if s["name"] in TOKEN_SPANS[profile])
        assert tokens > 0 or scenario(name) == "llm_error", name  # a speech-to-speech call's tokens too
        points, firing = only(evaluate_rule(rule, spans, AT))
        assert points == [tokens] and firing == set(), name


@pytest.mark.parametrize("profile", PROFILES)
def test_tokens_per_call_divides_by_calls_not_turns(profile):
    """Three copies of the longest call in the window: tokens per call stay the call's tokens, where
    tokens per turn would have moved with every turn's growing prompt."""
    rule = shipped_rules(profile)["tokens-per-call"]
    trace = scenarios(profile)["multi_turn"]
    spans = [s for i in range(3) for s in placed(trace, T0 + i * 20 * 1_000_000_000, tag=str(i))]
    (single,) = only(evaluate_rule(rule, placed(trace), AT))[0]
    assert only(evaluate_rule(rule, spans, AT))[0] == [pytest.approx(single)]


@pytest.mark.parametrize("profile", PROFILES)
def test_no_data_fires_only_when_nothing_arrives(profile):
    rule = shipped_rules(profile)["no-data"]
    assert (rule["condition"]["alertOnAbsent"], rule["condition"]["absentFor"]) == (True, 30)
    assert rule["notificationSettings"]["groupBy"] == []
    spans = placed(scenarios(profile)["multi_turn"])
    assert evaluate_rule(rule, spans, AT).no_data is False
    assert evaluate_rule(rule, [], AT).no_data is True
    assert evaluate_rule(rule, spans, AT + 40 * MINUTE).no_data is True  # the window has moved past them
    other_apps = [dict(s, name="GET /health") for s in spans]  # the same services, but no call handled
    assert evaluate_rule(rule, other_apps, AT).no_data is True


def test_no_data_with_services_is_one_rule_per_service(tmp_path):
    """SigNoz's no-data condition covers a whole rule: one rule per listed service, each watching its own."""
    import signoz_dac

    path = tmp_path / "d.yaml"
    path.write_text(
        "name: x\ntitle: X\nprofile: pipecat\nsections:\n  - title: S\n    panels:\n      - type: dead_air\n"
        "alerts:\n  rules:\n    - type: no_data\n      services: [voice-agent, voice-agent-eu]\n      severity: critical\n"
    )
    rules = {r["labels"]["signoz_dac_rule"]: r for r in signoz_dac.render_alerts(signoz_dac.load_definition(path))}
    assert list(rules) == ["no-data-voice-agent", "no-data-voice-agent-eu"]
    eu_only = placed(scenarios("pipecat")["second_service:short_one_turn"])
    assert evaluate_rule(rules["no-data-voice-agent"], eu_only, AT).no_data is True
    assert evaluate_rule(rules["no-data-voice-agent-eu"], eu_only, AT).no_data is False
    assert rules["no-data-voice-agent"]["condition"]["thresholds"]["spec"][0]["name"] == "critical"


# ---------------------------------------------------------------- the reference captures (../shared)


def test_livekit_fallback_probe_is_not_an_error():
    """A fallback adapter whose primary is down: the failed primary (openai) counts, its background
    recovery probe (`lk.fallback.recovery = true`) does not, and the anthropic call that served the
    turn is a success. 1 of 2, where counting the probe gave 2 of 3."""
    spans = placed(reference_scenario("livekit", "1.8.9_text_run_with_llm_fallback"))
    requests = [s for s in spans if s["name"] == "llm_request"]
    assert [(s["status_code"], bool(s["attributes"].get("lk.fallback.recovery"))) for s in requests].count((ERROR, True)) == 1
    points, firing = only(evaluate_rule(shipped_rules("livekit")["error-rate"], spans, AT))
    assert points == [pytest.approx(50.0)]
    assert firing == {"warning", "critical"}  # the primary provider is down: worth a page


def test_livekit_retry_that_succeeded_is_not_an_error():
    """An LLM connection error retried to success: the attempt (`llm_request_run`) is ERROR, the
    request is not; the error rate stays 0. The failing tool and the handoff after it left the user
    with no reply: dead air, 2 of 3 committed turns."""
    spans = placed(reference_scenario("livekit", "1.8.9_voice_eou_tool_error_handoff"))
    assert any(s["name"] == "llm_request_run" and s["status_code"] == ERROR for s in spans)
    rules = shipped_rules("livekit")
    assert only(evaluate_rule(rules["error-rate"], spans, AT)) == ([0.0], set())
    points, firing = only(evaluate_rule(rules["dead-air"], spans, AT))
    assert points == [pytest.approx(200 / 3)] and firing == {"warning", "critical"}
