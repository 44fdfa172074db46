"""What the shipped panels show on the conversations captured from the real frameworks: builder
panels computed from their rendered queries by the preview's evaluator (tests/support/evaluate.py),
ClickHouse SQL panels run for real in chDB on SigNoz's trace schema. Each truth is counted here
from the raw spans."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

import signoz_dac
from signoz_dac.profiles import get_profile as shipped_profile
from signoz_dac.testing.traces_store import TraceStore, render_query
from tests.alerts.spans import MINUTE, NS, REPO, T0, TOKEN_SPANS, placed, reference_scenario, scenarios, shipped_body
from tests.render.helpers import query_plugin
from tests.support.evaluate import panel_value

pytestmark = pytest.mark.slow

PROFILES = ["pipecat", "livekit", "livekit-legacy"]
# livekit-agents 1.7 names a speech-to-speech reply's cached tokens otherwise: not counted.
CACHED_SPANS = {**TOKEN_SPANS, "livekit-legacy": {"llm_request"}}
ALL = {"service_name": "__all__", "language": "__all__"}
WIDE = (T0 - 60 * MINUTE, T0 + 120 * MINUTE)


def every_call(profile: str) -> list[dict]:
    """Each captured conversation as its own call, two minutes apart."""
    return [s for i, trace in enumerate(scenarios(profile).values()) for s in placed(trace, T0 + 2 * i * MINUTE, str(i))]


def models(spans) -> list[str]:
    return sorted({s["attributes"]["gen_ai.request.model"] for s in spans if "gen_ai.request.model" in s["attributes"]})


def shown(profile: str, key: str, spans, start_end=WIDE) -> dict:
    variables = {**ALL, "llm_model": models(spans)}  # a query variable at ALL sends every value
    return panel_value(shipped_body(profile), key, spans, *start_end, variables)


# ---------------------------------------------------------------- builder panels


@pytest.mark.parametrize("profile", PROFILES)
def test_dead_air_tile(profile):
    """Pipecat: 1 unanswered of the turns after the greeting; LiveKit: of the committed ends of utterance."""
    assert shown(profile, "dead-air", placed(scenarios(profile)["llm_error"])) == {(): 0.5}
    assert shown(profile, "dead-air", placed(scenarios(profile)["multi_turn"])) == {(): 0.0}


def test_error_rate_on_the_fallback_trace_leaves_the_recovery_probe_out():
    spans = placed(reference_scenario("livekit", "1.8.9_text_run_with_llm_fallback"))
    assert shown("livekit", "error-rate", spans) == {(): 0.5}
    by_provider = shown("livekit", "error-rate-over-time", spans)
    assert by_provider == {(("name", "llm_request"), ("gen_ai.provider.name", "openai")): 1.0,
                           (("name", "llm_request"), ("gen_ai.provider.name", "anthropic")): 0.0}


def test_tool_calls_table_shows_the_tool_that_raised():
    """A tool that raises leaves its span UNSET: has_error misses it, the table's failures column does not."""
    spans = placed(reference_scenario("livekit", "1.8.9_voice_eou_tool_error_handoff"))
    body = shipped_body("livekit")
    tools = lambda column: {g[0][1]: v for g, v in panel_value(body, "tool-calls", spans, *WIDE, ALL, query=column).items()}  # noqa: E731
    assert tools("A") == {"get_weather": 1, "lookup_order": 1, "transfer_to_billing": 1}
    assert tools("C") == {"get_weather": 0, "lookup_order": 1, "transfer_to_billing": 0}
    assert all(s["status_code"] != "STATUS_CODE_ERROR" for s in spans if s["name"] == "function_tool")


def test_why_calls_end():
    spans = every_call("livekit")
    truth = Counter(s["attributes"]["lk.close_reason"] for s in spans if s["name"] == "session_close")
    assert {g[0][1]: v for g, v in shown("livekit", "call-end-reasons", spans).items()} == dict(truth)


def test_interruptions_by_source_and_how_much_of_the_reply_was_heard():
    spans = placed(scenarios("livekit")["barge_in"])
    body = shipped_body("livekit")
    (cut,) = [s for s in spans if s["name"] == "agent_turn" and s["attributes"]["lk.interrupted"]]
    assert panel_value(body, "interruptions-by-source", spans, *WIDE, ALL, query="A") == {
        (("lk.interruption.source", "audio_activity"),): 1}
    assert panel_value(body, "interruptions-by-source", spans, *WIDE, ALL, query="B") == {
        (("lk.interruption.source", "audio_activity"),): pytest.approx(cut["attributes"]["lk.playout.position"])}


@pytest.mark.parametrize("profile", PROFILES)
def test_cached_input_tokens_tile(profile):
    spans = every_call(profile)
    truth = sum(s["attributes"].get("gen_ai.usage.cache_read.input_tokens", 0) for s in spans
                if s["name"] in CACHED_SPANS[profile])
    assert truth > 0 and shown(profile, "token-usage-cached-input", spans) == {(): truth}


@pytest.mark.parametrize("profile", PROFILES)
def test_a_speech_to_speech_call_has_its_tokens_counted(profile):
    """The realtime call has no LLM-call span: its tokens are on its replies. Before they were
    counted, every token panel of such an agent read 0."""
    spans = placed(scenarios(profile)["realtime"])
    replies = [s for s in spans if "gen_ai.usage.input_tokens" in s["attributes"]]
    assert len(replies) == 3 and {s["name"] for s in replies} <= TOKEN_SPANS[profile]
    for part in ("input", "output"):
        truth = sum(s["attributes"][f"gen_ai.usage.{part}_tokens"] for s in replies)
        assert shown(profile, f"token-usage-{part}", spans) == {(): truth} and truth > 0
    inputs = sum(s["attributes"]["gen_ai.usage.input_tokens"] for s in replies)
    # the chart's first series, input tokens per second, over a minute that holds the whole call
    assert shown(profile, "token-usage-over-time", spans, (T0, T0 + MINUTE)) == {(): pytest.approx(inputs / 60)}
    # 1.7 names the replies' cached tokens otherwise: no span of this call has the key, so no value
    cached = {} if profile == "livekit-legacy" else {(): 3 * 64}
    assert shown(profile, "token-usage-cached-input", spans) == cached
    models = shown(profile, "model-distribution-llm", spans)
    assert models == {(("gen_ai.request.model", "gpt-realtime"),): 3}


@pytest.mark.parametrize("profile", ["pipecat", "livekit"])
def test_speech_to_speech_time_to_first_audio(profile):
    """Per service, provider and model, from the replies' own time to first audio; the STT, LLM and
    TTS charts have nothing for such a call."""
    spans = placed(scenarios(profile)["realtime"])
    attribute = {"pipecat": "metrics.ttfb", "livekit": "gen_ai.response.time_to_first_chunk"}[profile]
    values = sorted(s["attributes"][attribute] for s in spans if attribute in s["attributes"]
                    and s["name"] in TOKEN_SPANS[profile])
    assert len(values) == 3
    group = (("service.name", "voice-agent"), ("gen_ai.provider.name", "openai"), ("gen_ai.request.model", "gpt-realtime"))
    body = shipped_body(profile)
    assert panel_value(body, "realtime-latency", spans, *WIDE, {**ALL, "llm_model": ["gpt-realtime"]}, query="A") == {
        group: pytest.approx(values[1])}  # p50 of three
    for component in ("stt", "llm", "tts"):
        assert panel_value(body, f"component-latency-{component}", spans, *WIDE, {**ALL, "llm_model": ["gpt-realtime"]},
                           query="A") == {}


def test_legacy_livekit_has_no_realtime_latency_panel():
    """livekit-agents 1.7 records a realtime reply's time to first audio only inside a JSON attribute."""
    assert "realtime-latency" not in shipped_body("livekit-legacy")["spec"]["panels"]


def test_pipecat_tts_outage_shows_as_replies_without_audio():
    """The TTS provider failed for one reply: no span carries an error, so the error rate reads 0;
    one `tts` span of three has no `metrics.ttfb`."""
    spans = placed(scenarios("pipecat")["tts_error"])
    assert shown("pipecat", "error-rate", spans) == {(): 0.0}
    tts = [s for s in spans if s["name"] == "tts"]
    silent = [s for s in tts if "metrics.ttfb" not in s["attributes"]]
    assert (len(silent), len(tts)) == (1, 3)
    assert shown("pipecat", "tts-without-audio", spans) == {(): pytest.approx(1 / 3)}
    assert shown("pipecat", "tts-without-audio-over-time", spans) == {(("service.name", "voice-agent"),): pytest.approx(1 / 3)}
    for healthy in ("multi_turn", "barge_in", "tool_call"):
        assert shown("pipecat", "tts-without-audio", placed(scenarios("pipecat")[healthy])) == {(): 0.0}, healthy
    assert "tts-without-audio" not in shipped_body("livekit")["spec"]["panels"]


@pytest.mark.parametrize("profile", ["pipecat", "livekit"])
def test_conversations_over_time_counts_a_call_in_progress(profile):
    """20 seconds into a call only the spans that have ended are in SigNoz. The root is not, so a
    count of roots misses every call still going: the chart's dip. The call-start span is there."""
    now = T0 + 20 * NS
    exported = [s for s in placed(scenarios(profile)["multi_turn"]) if s["end_ns"] <= now]
    body = shipped_body(profile)
    assert panel_value(body, "conversations-over-time", exported, T0, now, ALL) == {
        (("service.name", "voice-agent"),): 1}
    roots = query_plugin(body, "conversations-over-time")["spec"]["filter"]["expression"]
    root_span = {"pipecat": "conversation", "livekit": "job_entrypoint"}[profile]
    assert root_span not in roots and not any(s["name"] == root_span for s in exported)


@pytest.mark.parametrize(("profile", "span"), [("pipecat", "conversation"), ("livekit", "agent_session"),
                                             ("livekit-legacy", "agent_session")])
def test_call_duration_is_the_sessions_length(profile, span):
    """Pipecat's `conversation`, LiveKit's `agent_session` (`job_entrypoint` adds dispatch and shutdown)."""
    spans = every_call(profile)
    body = shipped_body(profile)
    durations = sorted(s["end_ns"] - s["start_ns"] for s in spans if s["name"] == span)
    assert len(durations) == len(scenarios(profile))
    median = panel_value(body, "call-duration", spans, *WIDE, ALL, query="A")  # p50
    middle = (len(durations) - 1) / 2  # an even count: halfway between the two middle calls
    assert median == {(): pytest.approx((durations[math.floor(middle)] + durations[math.ceil(middle)]) / 2)}


@pytest.mark.parametrize("profile", PROFILES)
def test_shortest_conversations_counts_each_conversations_turns(profile):
    spans = every_call(profile)
    turns = [s for s in spans if s["name"] == "agent_turn" or s["name"] == "turn"]
    if profile == "livekit-legacy":  # follow-up generations of a tool call are not turns before 1.8.2
        turns = [s for s in turns if "lk.parent_generation_id" not in s["attributes"]]
    truth = Counter(s["trace_id"] for s in turns)
    assert {g[0][1]: v for g, v in shown(profile, "shortest-conversations", spans).items()} == dict(truth)


@pytest.mark.parametrize("profile", ["pipecat", "livekit"])
def test_latency_by_provider_and_model(profile):
    spans = every_call(profile)
    body = shipped_body(profile)
    stages = {"pipecat": {"A": ("stt", "metrics.ttfb"), "B": ("llm", "metrics.ttfb"), "C": ("tts", "metrics.ttfb")},
              "livekit": {"A": ("user_turn", "lk.transcription_delay"), "B": ("llm_node", "lk.response.ttft"),
                          "C": ("tts_node", "lk.response.ttfb")}}[profile]
    variables = {**ALL, "llm_model": models(spans)}
    for column, (span, attribute) in stages.items():
        pairs = {(s["attributes"]["gen_ai.provider.name"], s["attributes"]["gen_ai.request.model"])
                 for s in spans if s["name"] == span and attribute in s["attributes"]}
        got = panel_value(body, "latency-by-provider", spans, *WIDE, variables, query=column)
        assert {(g[0][1], g[1][1]) for g in got} == pairs, column


# ---------------------------------------------------------------- ClickHouse SQL panels (chDB)


def sql_value(profile: str, key: str, spans, body: dict | None = None) -> float:
    query = query_plugin(body or shipped_body(profile), key)["spec"]["query"]
    with TraceStore() as store:
        store.load(spans)
        [row] = store.query(render_query(query, {**ALL, "turns_threshold": "3"}, WIDE[0] // 1_000_000, WIDE[1] // 1_000_000))
    return float(row["value"])


def with_three_barge_ins(profile: str) -> list[dict]:
    calls = list(scenarios(profile).values()) + [scenarios(profile)["barge_in"]] * 2
    return [s for i, trace in enumerate(calls) for s in placed(trace, T0 + 2 * i * MINUTE, str(i))]


@pytest.mark.parametrize("profile", PROFILES)
def test_interruptions_per_call(profile):
    """Every captured call, with two more barge-ins. Pipecat closes every call's last turn as
    interrupted: counting it too would report more than one interruption per call."""
    spans = with_three_barge_ins(profile)
    span, attribute = ("turn", "turn.was_interrupted") if profile == "pipecat" else ("agent_turn", "lk.interrupted")
    turns = sorted((s for s in spans if s["name"] == span), key=lambda s: s["start_ns"])
    calls = {s["trace_id"] for s in spans if s["name"] == shipped_profile(profile).conversation_span}
    last = {s["trace_id"]: s for s in turns}  # each call's latest turn
    naive = sum(bool(s["attributes"].get(attribute)) for s in turns)
    truth = naive - (sum(bool(s["attributes"][attribute]) for s in last.values()) if profile == "pipecat" else 0)
    assert truth >= 3  # the three barge-ins
    assert sql_value(profile, "interruptions-per-call", spans) == pytest.approx(round(truth / len(calls), 2))
    assert (naive / len(calls) > 1) == (profile == "pipecat")


@pytest.mark.parametrize("profile", PROFILES)
def test_tokens_per_call(profile):
    spans = every_call(profile)
    per_call = Counter()
    for s in spans:
        if s["name"] in TOKEN_SPANS[profile]:
            per_call[s["trace_id"]] += s["attributes"].get("gen_ai.usage.input_tokens", 0) + s["attributes"].get("gen_ai.usage.output_tokens", 0)
    calls = {s["trace_id"] for s in spans if s["name"] == shipped_profile(profile).conversation_span}
    assert sql_value(profile, "tokens-per-call", spans) == round(sum(per_call.values()) / len(calls))


PRICES = """
prices:
  llm:
    gpt-4o-mini: {input: 0.15, cached_input: 0.075, output: 0.60}
    gpt-realtime: {input: 4, cached_input: 0.4, output: 16}
  tts:
    sonic-2: 40
  stt:
    nova-3: 0.0043
"""


def priced(folder, prices: str) -> dict:
    """The shipped Pipecat definition with its cost panel turned on and `prices` appended."""
    text = (REPO / "dashboards" / "pipecat.yaml").read_text()
    path = folder / "priced.yaml"
    path.write_text(text.replace("      # - type: cost_per_call", "      - type: cost_per_call") + prices)
    return signoz_dac.render(signoz_dac.load_definition(path))


def cost_truth(spans, llm: dict[str, tuple[float, float, float]], tts: dict[str, float], stt: dict[str, float]) -> float:
    """Per call: LLM tokens (cached input at its own price, inside the input count), TTS characters
    and STT audio, at the price of the model or of its undated name."""
    def price(table, model):
        return table.get(model, table.get(re.sub(r"-\d{4}-\d{2}-\d{2}$", "", model)))

    total = 0.0
    for s in spans:
        a = s["attributes"]
        if s["name"] in ("llm", "llm_response") and (p := price(llm, a["gen_ai.request.model"])):
            cached = a.get("gen_ai.usage.cache_read.input_tokens", 0)
            total += ((a.get("gen_ai.usage.input_tokens", 0) - cached) * p[0] + cached * p[1]
                      + a.get("gen_ai.usage.output_tokens", 0) * p[2]) / 1e6
        elif s["name"] == "tts" and (p := price(tts, a["gen_ai.request.model"])):
            total += a.get("metrics.character_count", 0) * p / 1e6
        elif s["name"] == "stt" and (p := price(stt, a["gen_ai.request.model"])):
            total += a.get("metrics.audio_seconds", 0) / 60 * p
    return total / len({s["trace_id"] for s in spans})


def test_cost_per_call_from_the_prices_table(tmp_path):
    spans = every_call("pipecat")
    body = priced(tmp_path, PRICES)
    truth = cost_truth(spans, {"gpt-4o-mini": (0.15, 0.075, 0.60), "gpt-realtime": (4, 0.4, 16)},
                       {"sonic-2": 40}, {"nova-3": 0.0043})
    without_realtime = cost_truth(spans, {"gpt-4o-mini": (0.15, 0.075, 0.60)}, {"sonic-2": 40}, {"nova-3": 0.0043})
    assert truth > without_realtime > 0  # the speech-to-speech call is priced too
    assert sql_value("pipecat", "cost-per-call", spans, body) == pytest.approx(round(truth, 4))


def test_cost_per_call_prices_a_dated_snapshot_as_its_model(tmp_path):
    """Pipecat names the first call's model as configured (gpt-4o-mini) and later calls as the API
    answers (gpt-4o-mini-2024-07-18): both take gpt-4o-mini's price unless the dated one has its own."""
    spans = placed(reference_scenario("pipecat", "openai-services-vs-loopback-mock"))
    assert {"gpt-4o-mini", "gpt-4o-mini-2024-07-18"} <= set(models(spans))
    llm_only = "\nprices:\n  llm:\n    gpt-4o-mini: {input: 0.15, cached_input: 0.075, output: 0.60}\n"
    truth = cost_truth(spans, {"gpt-4o-mini": (0.15, 0.075, 0.60)}, {}, {})
    undated_only = cost_truth([s for s in spans if s["attributes"].get("gen_ai.request.model") != "gpt-4o-mini-2024-07-18"],
                              {"gpt-4o-mini": (0.15, 0.075, 0.60)}, {}, {})
    assert truth > undated_only > 0
    assert sql_value("pipecat", "cost-per-call", spans, priced(tmp_path, llm_only)) == pytest.approx(round(truth, 4))
    own = llm_only + "    gpt-4o-mini-2024-07-18: {input: 1.5, output: 6.0}\n"
    truth_own = cost_truth(spans, {"gpt-4o-mini": (0.15, 0.075, 0.60), "gpt-4o-mini-2024-07-18": (1.5, 1.5, 6.0)}, {}, {})
    assert sql_value("pipecat", "cost-per-call", spans, priced(tmp_path, own)) == pytest.approx(round(truth_own, 4))
