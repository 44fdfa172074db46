"""What the captured spans mean, checked against the profiles' choices. Many tests would fail on a
choice the official SigNoz Pipecat/LiveKit dashboards make; the others pin down the facts the
profiles hand to the on-call panels (interruptions, tools, fallbacks, realtime models, why calls
end, dead air), each on the scenario that shows it."""

from __future__ import annotations

from collections import Counter
from statistics import mean

import pytest

from signoz_dac.profiles import PROFILES, SpanCount
from tests.support.evaluate import matching
from tests.telemetry.conftest import by_trace, call_traces, committed, scenario_trace, seconds

pytestmark = pytest.mark.slow

PIPECAT = PROFILES["pipecat"]
LIVEKIT = PROFILES["livekit"]
LEGACY = PROFILES["livekit-legacy"]
ERROR = "STATUS_CODE_ERROR"
NS = 1_000_000_000
# Scenarios whose models are not the default STT → LLM → TTS chain.
SPECIAL_MODELS = {"realtime", "llm_fallback"}


def spans_named(spans, name):
    return [s for s in spans if s["name"] == name]


def calls(capture, *, skip=()):
    """{label: spans of its own trace} of every captured call (a job_shutdown trace of its own is not a call)."""
    traces = by_trace(capture)
    return {label: traces[ids[0]] for label, ids in call_traces(capture).items() if label.split(":")[-1] not in skip}


def count(spans, counted: SpanCount) -> int:
    return len(matching(spans_named(spans, counted.span), " AND ".join(counted.where)))


# ---------------------------------------------------------------- Pipecat


def test_pipecat_voice_to_voice_latency_is_not_turn_duration() -> None:
    """Official: turn duration as latency. It adds user speech, bot speech and a 2.5 s tail."""
    assert PIPECAT.turn_latency.attribute == "turn.user_bot_latency_seconds"
    turns = [s for s in spans_named(committed("pipecat")["spans"], "turn") if "turn.user_bot_latency_seconds" in s["attributes"]]
    assert len(turns) >= 10
    for turn in turns:
        a = turn["attributes"]
        assert a["turn.user_bot_latency_seconds"] < a["turn.duration_seconds"]
        assert a["turn.user_bot_latency_seconds"] < seconds(turn)
    assert mean(t["attributes"]["turn.duration_seconds"] for t in turns) > 3 * mean(
        t["attributes"]["turn.user_bot_latency_seconds"] for t in turns
    )


def test_pipecat_greeting_turn_has_no_latency() -> None:
    """turn.user_bot_latency_seconds is absent when no user spoke: an avg over it skips greetings."""
    greetings = [t for t in spans_named(committed("pipecat")["spans"], "turn") if t["attributes"]["turn.number"] == 1]
    assert len(greetings) == len(calls(committed("pipecat")))
    assert all("turn.user_bot_latency_seconds" not in t["attributes"] for t in greetings)


@pytest.mark.parametrize("component", ["stt", "llm", "tts"])
def test_pipecat_component_latency_is_ttfb_on_the_component_span(component: str) -> None:
    measure = PIPECAT.component_latency[component]
    assert (measure.span, measure.attribute, measure.unit) == (component, "metrics.ttfb", "s")
    without = {label: [s for s in spans_named(spans, component) if "metrics.ttfb" not in s["attributes"]]
               for label, spans in calls(committed("pipecat"), skip={"realtime"}).items()}
    without = {label: found for label, found in without.items() if found}
    # the one exception: the synthesis that failed in the TTS outage never produced a first byte
    assert without == ({} if component != "tts" else {"tts_error": without.get("tts_error")})
    if component == "tts":
        [failed] = without["tts_error"]
        assert "menu" in failed["attributes"]["text"]


def test_pipecat_stt_span_duration_is_speech_not_latency() -> None:
    """Official: stt span duration. It starts at speech start, so it is mostly the user talking."""
    for spans in calls(committed("pipecat"), skip={"realtime"}).values():
        for stt in spans_named(spans, "stt"):
            ttfb = stt["attributes"]["metrics.ttfb"]
            assert seconds(stt) > 3 * ttfb
            assert seconds(stt) > stt["attributes"]["metrics.audio_seconds"]  # it covers the whole utterance


def test_pipecat_failed_llm_call_records_elapsed_time_as_ttfb() -> None:
    """Why the LLM latency measure excludes errored spans: they carry metrics.ttfb too."""
    assert PIPECAT.component_latency["llm"].exclude_errors
    failed = [s for s in spans_named(committed("pipecat")["spans"], "llm") if s["status_code"] == ERROR]
    assert failed and all("metrics.ttfb" in s["attributes"] for s in failed)
    assert all(e["name"] == "exception" for s in failed for e in s["events"])
    errored_names = {s["name"] for s in committed("pipecat")["spans"] if s["status_code"] == ERROR}
    assert errored_names == {"llm"}  # stt/tts never fail a span; the error rate lives on llm


def test_pipecat_tokens_on_llm_spans_and_realtime_replies() -> None:
    """Cascade calls carry tokens on `llm`; a speech-to-speech model on `llm_response` only."""
    capture = committed("pipecat")
    for label, spans in calls(capture).items():
        names = {s["name"] for s in spans if "gen_ai.usage.input_tokens" in s["attributes"]}
        expected = PIPECAT.realtime.input_tokens.span if label == "realtime" else PIPECAT.input_tokens.span
        assert names == {expected}, label
    assert (PIPECAT.input_tokens.span, PIPECAT.realtime.input_tokens.span) == ("llm", "llm_response")
    cached = [s for s in spans_named(capture["spans"], "llm") if PIPECAT.cached_input_tokens.attribute in s["attributes"]]
    assert cached and all(s["attributes"][PIPECAT.cached_input_tokens.attribute] > 0 for s in cached)


def test_pipecat_realtime_reply_carries_tokens_and_time_to_first_byte() -> None:
    """pipecat's real OpenAI Realtime service: one `llm_response` per reply, no llm/tts spans; the
    turn latency still comes from the turn span."""
    spans = scenario_trace(committed("pipecat"), "realtime")
    names = Counter(s["name"] for s in spans)
    assert names["llm"] == names["tts"] == 0
    replies = spans_named(spans, "llm_response")
    turns = spans_named(spans, "turn")
    assert len(replies) == len(turns) == 3  # greeting + two answers
    realtime = PIPECAT.realtime
    for reply in replies:
        a = reply["attributes"]
        assert a[realtime.input_tokens.attribute] > 0 and a[realtime.output_tokens.attribute] > 0
        assert a[realtime.cached_input_tokens.attribute] == 64
        assert 0.25 < a[realtime.time_to_first_byte.attribute] < 2.0  # the fake server's 0.3 s, plus the loop
        assert seconds(reply) < 0.1  # the span only wraps the final event's handling
    latencies = [t["attributes"].get(PIPECAT.turn_latency.attribute) for t in sorted(turns, key=lambda t: t["start_ns"])]
    assert latencies[0] is None and all(latencies[1:])


@pytest.mark.parametrize("component", ["stt", "llm", "tts"])
def test_pipecat_provider_and_model_sit_on_the_latency_span(component: str) -> None:
    """Latency by provider and model: both attributes on every span that carries the latency."""
    latency, provider, model = PIPECAT.component_latency[component], PIPECAT.provider[component], PIPECAT.model[component]
    assert latency.span == provider.span == model.span
    spans = [s for s in spans_named(committed("pipecat")["spans"], latency.span) if latency.attribute in s["attributes"]]
    assert spans
    assert all({provider.attribute, model.attribute} <= set(s["attributes"]) for s in spans)


def test_pipecat_model_attribute_is_on_every_component() -> None:
    """gen_ai.request.model sits on stt, llm and tts: a distribution must name its span."""
    spans = [s for spans in calls(committed("pipecat"), skip=SPECIAL_MODELS).values() for s in spans]
    models = {(s["name"], s["attributes"]["gen_ai.request.model"]) for s in spans if "gen_ai.request.model" in s["attributes"]}
    assert {name for name, _ in models} == {"stt", "llm", "tts"}
    for component, attribute in PIPECAT.model.items():
        assert attribute.span == component
        assert len({m for name, m in models if name == component}) == 1


def test_pipecat_last_turn_is_marked_interrupted() -> None:
    """Pipecat ends the open turn with was_interrupted=true at EndFrame: an interruption rate must
    exclude each call's last turn (official: counts all of them)."""
    assert PIPECAT.interruptions.set_on_last_turn and PIPECAT.interruptions.flag.attribute == "turn.was_interrupted"
    naive = excluding_last = 0
    for spans in calls(committed("pipecat")).values():
        turns = sorted(spans_named(spans, "turn"), key=lambda s: s["attributes"]["turn.number"])
        assert turns[-1]["attributes"]["turn.was_interrupted"] is True
        naive += sum(t["attributes"]["turn.was_interrupted"] for t in turns)
        excluding_last += sum(t["attributes"]["turn.was_interrupted"] for t in turns[:-1])
    barge_in = sorted(spans_named(scenario_trace(committed("pipecat"), "barge_in"), "turn"),
                      key=lambda s: s["attributes"]["turn.number"])
    assert [t["attributes"]["turn.was_interrupted"] for t in barge_in[:-1]] == [False, True]
    assert excluding_last == 1  # the one real barge-in
    assert naive == 1 + len(calls(committed("pipecat")))


def test_pipecat_conversation_is_the_root_of_one_trace() -> None:
    for spans in by_trace(committed("pipecat")).values():
        roots = [s for s in spans if s["parent_span_id"] == ""]
        assert [r["name"] for r in roots] == [PIPECAT.conversation_span]
        turns = spans_named(spans, PIPECAT.turns.span)
        assert sorted(t["attributes"]["turn.number"] for t in turns) == list(range(1, len(turns) + 1))
        assert PIPECAT.call_duration.span == roots[0]["name"]
        assert seconds(roots[0]) >= max(seconds(t) for t in turns)


def test_pipecat_tool_call_is_two_llm_spans_in_one_turn() -> None:
    spans = scenario_trace(committed("pipecat"), "tool_call")
    per_turn = Counter(s["parent_span_id"] for s in spans if s["name"] == "llm")
    assert max(per_turn.values()) == 2
    assert PIPECAT.tool_calls is None and "tool_calls" in PIPECAT.blind_spots


def test_pipecat_tts_outage_shows_no_error_only_a_silent_synthesis() -> None:
    """A TTS provider failing: no span carries an error, so the error rate reads 0 %. What is
    visible: a `tts` span without `metrics.ttfb` right after its `llm`, and a turn that goes on
    until the caller's retry is answered."""
    spans = scenario_trace(committed("pipecat"), "tts_error")
    assert not [s for s in spans if s["status_code"] == ERROR]
    [failed] = [s for s in spans_named(spans, "tts") if "metrics.ttfb" not in s["attributes"]]
    [turn] = [t for t in spans_named(spans, "turn") if t["span_id"] == failed["parent_span_id"]]
    assert turn["attributes"]["turn.number"] == 2
    siblings = [s for s in spans if s["parent_span_id"] == turn["span_id"]]
    llms = sorted(spans_named(siblings, "llm"), key=lambda s: s["start_ns"])
    assert len(llms) == 2 and llms[0]["end_ns"] <= failed["start_ns"] < llms[1]["start_ns"]
    assert turn["attributes"]["turn.duration_seconds"] > 8  # the outage and the retry in one turn
    assert "`tts` span without `metrics.ttfb`" in PIPECAT.blind_spots["error_rate"]


def test_pipecat_stt_outage_leaves_a_turn_without_service_spans_or_latency() -> None:
    spans = scenario_trace(committed("pipecat"), "stt_error")
    turns = sorted(spans_named(spans, "turn"), key=lambda s: s["attributes"]["turn.number"])
    assert len(turns) == 2
    lost = turns[1]
    assert not [s for s in spans if s["parent_span_id"] == lost["span_id"]]
    assert PIPECAT.turn_latency.attribute not in lost["attributes"]
    assert not [s for s in spans if s["status_code"] == ERROR]


# ---------------------------------------------------------------- call starts (both frameworks)


@pytest.mark.parametrize("profile", ["pipecat", "livekit"])
def test_a_call_start_span_is_exported_seconds_into_each_call(profile: str) -> None:
    """One per call, ending within 10 s of the call's first span, in every provider setup: the
    conversations chart has no dip beyond that, where the conversation span (exported when the
    call ends) left one as long as a call."""
    p = PROFILES[profile]
    for label, spans in calls(committed(profile)).items():
        assert count(spans, p.call_start) == 1, label
        [start] = matching(spans_named(spans, p.call_start.span), " AND ".join(p.call_start.where))
        first = min(s["start_ns"] for s in spans)
        assert start["end_ns"] - first < 10 * NS, label
        [conversation] = spans_named(spans, p.conversation_span)
        assert conversation["end_ns"] - first > 5 * NS, label  # it arrives only with the call's end


def test_legacy_livekit_has_no_early_call_start() -> None:
    """Before 1.8.2 no span marks a call's start: the profile counts `agent_session`, exported at the end."""
    assert LEGACY.call_start is None and LEGACY.conversation_span == "agent_session"
    assert not spans_named(committed("livekit-legacy")["spans"], "session_start")


# ---------------------------------------------------------------- dead air (both frameworks)

# Caller turns that got no reply, per scenario, from the scripts: the LLM failure, the lost STT
# transcript. The TTS outage is not dead air by this measure: the caller's retry was answered in
# the same turn (the profile says so).
DEAD_AIR = {"pipecat": {"llm_error": 1, "stt_error": 1}, "livekit": {"llm_error": 1}, "livekit-legacy": {"llm_error": 1}}


@pytest.mark.parametrize("profile", sorted(DEAD_AIR))
def test_dead_air_counts_the_unanswered_turns(profile: str) -> None:
    rule = PROFILES[profile].dead_air
    found = {}
    for label, spans in calls(committed(profile)).items():
        needs, replied = count(spans, rule.needs_reply), count(spans, rule.replied)
        assert needs >= replied
        if needs - replied:
            found[label] = needs - replied
    assert found == DEAD_AIR[profile]


# ---------------------------------------------------------------- LiveKit


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_e2e_latency_is_not_agent_turn_duration(profile: str) -> None:
    """Official: p95(duration_nano) of agent_turn. The span lasts through the whole playout."""
    assert PROFILES[profile].turn_latency.attribute == "lk.e2e_latency"
    turns = [s for s in spans_named(committed(profile)["spans"], "agent_turn") if "lk.e2e_latency" in s["attributes"]]
    assert len(turns) >= 10
    for turn in turns:
        assert turn["attributes"]["lk.e2e_latency"] < seconds(turn)
    assert mean(seconds(t) for t in turns) > 1.5 * mean(t["attributes"]["lk.e2e_latency"] for t in turns)


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_model_attribute_mixes_components_unless_filtered_by_span(profile: str) -> None:
    """Official: model pie over every span with gen_ai.request.model: STT, TTS and LLM models mixed,
    and each LLM call counted several times."""
    spans = [s for spans in calls(committed(profile), skip=SPECIAL_MODELS).values() for s in spans]
    carriers = Counter(s["name"] for s in spans if "gen_ai.request.model" in s["attributes"])
    assert {"user_turn", "llm_node", "llm_request", "tts_node"} <= set(carriers)
    unfiltered = {s["attributes"]["gen_ai.request.model"] for s in spans if "gen_ai.request.model" in s["attributes"]}
    assert unfiltered == {"nova-3", "gpt-4o-mini", "sonic-2"}
    llm_calls = carriers["llm_request"]
    llm_in_pie = sum(n for name, n in carriers.items() if name.startswith("llm") or name == "start_agent_activity")
    assert llm_in_pie >= 2 * llm_calls  # the LLM slice counts each call at least twice
    expected = {"stt": "nova-3", "llm": "gpt-4o-mini", "tts": "sonic-2"}
    for component, attribute in PROFILES[profile].model.items():
        models = {s["attributes"].get(attribute.attribute) for s in spans_named(spans, attribute.span)}
        assert models == {expected[component]}


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_tokens_counted_once(profile: str) -> None:
    """Token usage is only on llm_request (not llm_node, llm_request_run or agent_turn), so summing
    the profile's span counts each call once; a speech-to-speech reply has its own carrier."""
    p = PROFILES[profile]
    for label, spans in calls(committed(profile)).items():
        carriers = {s["name"] for s in spans if "gen_ai.usage.input_tokens" in s["attributes"]}
        assert carriers == {p.realtime.input_tokens.span if label == "realtime" else p.input_tokens.span}, label
        ok_calls = [s for s in spans_named(spans, "llm_request") if s["status_code"] != ERROR]
        assert all("gen_ai.usage.output_tokens" in s["attributes"] for s in ok_calls)
        cached = [s["attributes"].get(p.cached_input_tokens.attribute) for s in ok_calls]
        assert all(c == 32 for c in cached)  # the fake reports 32 cached prompt tokens per call


def test_livekit_realtime_inference_carries_tokens_and_time_to_first_byte() -> None:
    spans = scenario_trace(committed("livekit"), "realtime")
    names = Counter(s["name"] for s in spans)
    assert names["llm_request"] == names["tts_node"] == names["user_turn"] == 0
    realtime = LIVEKIT.realtime
    inferences = spans_named(spans, "realtime_inference")
    assert len(inferences) == names["agent_turn"] == 3  # greeting + two answers
    for span in inferences:
        a = span["attributes"]
        assert a[realtime.input_tokens.attribute] > 0 and a[realtime.output_tokens.attribute] > 0
        assert a[realtime.cached_input_tokens.attribute] == 64
        assert a[realtime.time_to_first_byte.attribute] == pytest.approx(0.3)
        assert (a["gen_ai.provider.name"], a["gen_ai.request.model"]) == ("openai", "gpt-realtime")
    # without a local VAD LiveKit does not measure the caller's end of speech: no e2e latency
    assert not [t for t in spans_named(spans, "agent_turn") if "lk.e2e_latency" in t["attributes"]]


def test_livekit_legacy_realtime_tokens_are_on_agent_turn() -> None:
    spans = scenario_trace(committed("livekit-legacy"), "realtime")
    turns = spans_named(spans, "agent_turn")
    assert "realtime_inference" not in {s["name"] for s in spans}
    assert LEGACY.realtime.input_tokens.span == "agent_turn" and LEGACY.realtime.time_to_first_byte is None
    for turn in turns:
        a = turn["attributes"]
        assert a["gen_ai.operation.name"] == "chat"
        assert a[LEGACY.realtime.input_tokens.attribute] > 0
        assert a[LEGACY.realtime.cached_input_tokens.attribute] == 64
        assert a["lk.realtime_model_metrics"].startswith('{"type":"realtime_model_metrics"')  # ttft is only in here
        assert not {k for k in a if "time_to_first" in k or k.endswith(("ttft", "ttfb"))}


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_stt_latency_lives_on_user_turn(profile: str) -> None:
    """LiveKit has no STT span: transcription delay and the STT model are on user_turn."""
    capture = committed(profile)
    names = {s["name"] for s in capture["spans"]}
    assert not {n for n in names if n.startswith("stt")}
    for turn in spans_named(capture["spans"], "user_turn"):
        assert turn["attributes"]["lk.transcription_delay"] > 0
    assert PROFILES[profile].component_latency["stt"].span == "user_turn"
    assert PROFILES[profile].component_latency["llm"].attribute == "lk.response.ttft"
    assert PROFILES[profile].component_latency["tts"].attribute == "lk.response.ttfb"


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
@pytest.mark.parametrize("component", ["stt", "llm", "tts"])
def test_livekit_provider_and_model_sit_on_the_latency_span(profile: str, component: str) -> None:
    p = PROFILES[profile]
    latency, provider, model = p.component_latency[component], p.provider[component], p.model[component]
    assert provider.span == latency.span and latency.span in (model.span, *model.also_on)
    spans = [s for s in spans_named(committed(profile)["spans"], latency.span) if latency.attribute in s["attributes"]]
    assert spans and all({provider.attribute, model.attribute} <= set(s["attributes"]) for s in spans)


def test_livekit_tts_node_duration_is_synthesis_not_first_byte() -> None:
    """Official: avg(duration_nano) of tts_node. Time to first audio is lk.response.ttfb."""
    for node in spans_named(committed("livekit")["spans"], "tts_node"):
        assert node["attributes"]["lk.response.ttfb"] < seconds(node)


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_every_call_has_one_conversation_span_in_both_provider_setups(profile: str) -> None:
    """Provider set at module level: `job_entrypoint` is the trace's root, `agent_session` inside it.
    Set inside the entrypoint (LiveKit's own example): no `job_entrypoint` at all, `agent_session` is
    the root, and (1.8.2+) `job_shutdown` is a trace of its own. `agent_session` is in every call."""
    p = PROFILES[profile]
    assert p.conversation_span == "agent_session"
    capture = committed(profile)
    setups = Counter()
    for label, spans in calls(capture).items():
        in_entrypoint = label.startswith("provider_in_entrypoint:")
        roots = [s["name"] for s in spans if not s["parent_span_id"]]
        assert roots == (["agent_session"] if in_entrypoint else ["job_entrypoint"]), label
        assert len(spans_named(spans, p.conversation_span)) == 1, label
        services = {s["resource"]["service.name"] for s in spans}
        assert (services == {"voice-agent-provider-in-entrypoint"}) == in_entrypoint
        setups[in_entrypoint] += 1
    assert setups[True] == 3 and setups[False] >= 9
    others = {label: by_trace(capture)[trace] for trace, label in capture["scenarios"].items() if "/" in label}
    assert all(label.endswith("/job_shutdown") for label in others)
    assert len(others) == (3 if profile == "livekit" else 0)
    for spans in others.values():
        assert not spans_named(spans, p.conversation_span) and not spans_named(spans, p.turns.span)


def test_livekit_job_entrypoint_covers_the_session_when_exported() -> None:
    """≥ 1.8.2 with the provider set before the job: job_entrypoint is the root and covers the call."""
    for label, spans in calls(committed("livekit")).items():
        if label.startswith("provider_in_entrypoint:"):
            continue
        [root] = [s for s in spans if not s["parent_span_id"]]
        [session] = spans_named(spans, LIVEKIT.conversation_span)
        [shutdown] = spans_named(spans, "job_shutdown")
        assert root["start_ns"] <= session["start_ns"]
        assert root["end_ns"] >= max(session["end_ns"], shutdown["end_ns"])


def test_livekit_legacy_conversation_and_turns() -> None:
    """< 1.8.2: a tool call's follow-up generation is its own agent_turn carrying
    lk.parent_generation_id; counting all agent_turns overcounts the call's turns."""
    legacy_tool = scenario_trace(committed("livekit-legacy"), "tool_call")
    current_tool = scenario_trace(committed("livekit"), "tool_call")
    all_turns = spans_named(legacy_tool, "agent_turn")
    counted = [s for s in all_turns if LEGACY.turns.unless_attribute not in s["attributes"]]
    assert len(all_turns) == len(counted) + 1
    assert len(counted) == len(spans_named(current_tool, "agent_turn"))
    assert len(counted) == len({s["attributes"]["lk.speech_id"] for s in all_turns})
    assert [s["attributes"].get("lk.generation_count") for s in spans_named(current_tool, "agent_turn")].count(2) == 1


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_greeting_is_a_turn_without_e2e_latency(profile: str) -> None:
    short = spans_named(scenario_trace(committed(profile), "short_one_turn"), "agent_turn")
    assert len(short) == 1 and "lk.e2e_latency" not in short[0]["attributes"]


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_barge_in_marks_the_interrupted_turn(profile: str) -> None:
    p = PROFILES[profile].interruptions
    turns = spans_named(scenario_trace(committed(profile), "barge_in"), p.flag.span)
    assert [t["attributes"][p.flag.attribute] for t in turns] == [False, True, False]
    if p.source is None:  # before 1.8.2: whether, not by what
        assert all("lk.interruption.source" not in t["attributes"] for t in turns)
        return
    interrupted = turns[1]["attributes"]
    assert interrupted[p.source.attribute] == "audio_activity"
    # the story was cut after about 2 s of playout (the caller barged in 3.5 s after asking)
    assert 0.5 < interrupted[p.playout_position.attribute] < 3.5
    assert all(p.source.attribute not in t["attributes"] for t in (turns[0], turns[2]))


def test_livekit_llm_error_is_on_the_llm_spans_and_closes_the_session() -> None:
    spans = scenario_trace(committed("livekit"), "llm_error")
    failed = {s["name"] for s in spans if s["status_code"] == ERROR}
    assert {"llm_request", "llm_request_run"} <= failed
    assert set(LIVEKIT.call_spans) & failed
    # the session gives up on the error: session_close says why
    [close] = spans_named(spans, LIVEKIT.close_reason.span)
    assert close["attributes"][LIVEKIT.close_reason.attribute] == "error"
    assert close["attributes"]["exception.type"] == "llm_error"


def test_livekit_close_reasons() -> None:
    """One `session_close` per call says why it ended; a job shut down with the session open still
    reads `user_initiated` (the job's shutdown was asked for by the agent)."""
    reasons = Counter()
    for spans in calls(committed("livekit")).values():
        [close] = spans_named(spans, LIVEKIT.close_reason.span)
        reasons[close["attributes"][LIVEKIT.close_reason.attribute]] += 1
    [job_ended] = spans_named(scenario_trace(committed("livekit"), "tool_error"), "session_close")
    assert job_ended["attributes"][LIVEKIT.close_reason.attribute] == "user_initiated"
    assert set(reasons) == {"user_initiated", "error"} and reasons["error"] == 1
    assert LEGACY.close_reason is None and not spans_named(committed("livekit-legacy")["spans"], "session_close")


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_failing_tool_keeps_its_span_unset(profile: str) -> None:
    tools = PROFILES[profile].tool_calls
    spans = scenario_trace(committed(profile), "tool_error")
    [tool] = spans_named(spans, tools.span)
    assert tool["attributes"][tools.name] == "reserve_table"
    assert tool["attributes"][tools.error_flag] is True
    assert tool["status_code"] == "STATUS_CODE_UNSET"
    if profile == "livekit":
        assert tool["attributes"]["error.type"] == "tool_error"
    ok = [s for s in spans_named(committed(profile)["spans"], tools.span) if s is not tool]
    assert ok and all(s["attributes"][tools.error_flag] is False for s in ok)
    # the caller was still answered: the reply after the failed tool carries the e2e latency
    assert len([t for t in spans_named(spans, "agent_turn") if "lk.e2e_latency" in t["attributes"]]) == 2


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_fallback_probe_and_failed_primary(profile: str) -> None:
    """A FallbackAdapter with its first LLM down: each turn answered by the backup, yet ERROR
    `llm_request` spans for the failed first attempt and for the background recovery probes."""
    p = PROFILES[profile]
    spans = scenario_trace(committed(profile), "llm_fallback")
    requests = spans_named(spans, "llm_request")
    failed = [s for s in requests if s["status_code"] == ERROR]
    served = [s for s in requests if s["status_code"] != ERROR]
    assert {s["attributes"]["gen_ai.request.model"] for s in failed} == {"gpt-4o"}
    assert {s["attributes"]["gen_ai.request.model"] for s in served} == {"claude-haiku-4-5"}
    assert len(served) == 3 and len(failed) == 4  # 3 replies; 1 failed first try + 1 probe per reply
    replies = [t for t in spans_named(spans, "agent_turn") if "lk.e2e_latency" in t["attributes"]]
    assert len(replies) == len(spans_named(spans, "user_turn")) == 2  # every caller turn answered
    if p.probe is None:  # before 1.8.7 nothing tells a probe from a caller-facing call
        assert not [s for s in requests if "lk.fallback.recovery" in s["attributes"]]
        return
    probes = [s for s in failed if s["attributes"].get(p.probe.attribute) is True]
    assert len(probes) == 3
    assert len(failed) - len(probes) == 1  # what an error rate should see: the one failed first try


def test_livekit_end_of_turn_delay_is_most_of_the_latency() -> None:
    eot, e2e = LIVEKIT.end_of_turn_delay, LIVEKIT.turn_latency
    spans = committed("livekit")["spans"]
    waits = spans_named(spans, LIVEKIT.end_of_turn_wait.span)
    user_turns = spans_named(spans, eot.span)
    assert len(waits) == len(user_turns) > 10
    for wait in waits:
        a = wait["attributes"]
        assert a["lk.eou.outcome"] == "committed" and a["lk.eou.source"] in ("vad", "stt")
        assert a[LIVEKIT.end_of_turn_wait.attribute] == pytest.approx(seconds(wait), abs=0.01)
    replies = [t for t in spans_named(spans, "agent_turn") if e2e.attribute in t["attributes"]]
    assert mean(t["attributes"][eot.attribute] for t in replies) > 0.5 * mean(t["attributes"][e2e.attribute] for t in replies)


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_call_duration_is_the_session(profile: str) -> None:
    p = PROFILES[profile]
    assert (p.call_duration.span, p.call_duration.attribute) == (p.conversation_span, "duration_nano")
    for label, spans in calls(committed(profile)).items():
        [session] = spans_named(spans, p.conversation_span)
        turns = spans_named(spans, p.turns.span)
        assert session["start_ns"] <= min(t["start_ns"] for t in turns)
        assert session["end_ns"] >= max(t["end_ns"] for t in turns), label


@pytest.mark.parametrize(("profile", "status", "interrupted"), [
    ("livekit", ERROR, True), ("livekit-legacy", "STATUS_CODE_UNSET", True),
])
def test_livekit_turn_left_unanswered_by_a_failed_llm(profile: str, status: str, interrupted: bool) -> None:
    """The caller's last turn in llm_error: an agent_turn exists but never spoke (no e2e latency)."""
    turns = sorted(spans_named(scenario_trace(committed(profile), "llm_error"), "agent_turn"), key=lambda t: t["start_ns"])
    last = turns[-1]
    assert "lk.e2e_latency" not in last["attributes"]
    assert last["status_code"] == status
    assert last["attributes"]["lk.interrupted"] is interrupted
