"""What the captured spans mean, checked against the profiles' choices. Each test would fail on a
choice the official SigNoz Pipecat/LiveKit dashboards make (reference/*-telemetry.md §10)."""

from __future__ import annotations

from collections import Counter
from statistics import mean

import pytest

from signoz_dac.profiles import PROFILES
from tests.telemetry.conftest import by_trace, committed, scenario_trace, seconds

PIPECAT = PROFILES["pipecat"]
LIVEKIT = PROFILES["livekit"]
LEGACY = PROFILES["livekit-legacy"]


def spans_named(capture, name):
    return [s for s in capture["spans"] if s["name"] == name]


# ---------------------------------------------------------------- Pipecat


def test_pipecat_voice_to_voice_latency_is_not_turn_duration() -> None:
    """Official: turn duration as latency. It adds user speech, bot speech and a 2.5 s tail."""
    assert PIPECAT.turn_latency.attribute == "turn.user_bot_latency_seconds"
    turns = [s for s in spans_named(committed("pipecat"), "turn") if "turn.user_bot_latency_seconds" in s["attributes"]]
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
    greetings = [t for t in spans_named(committed("pipecat"), "turn") if t["attributes"]["turn.number"] == 1]
    assert greetings  # one per captured conversation
    assert all("turn.user_bot_latency_seconds" not in t["attributes"] for t in greetings)


@pytest.mark.parametrize("component", ["stt", "llm", "tts"])
def test_pipecat_component_latency_is_ttfb_on_the_component_span(component: str) -> None:
    measure = PIPECAT.component_latency[component]
    assert (measure.span, measure.attribute, measure.unit) == (component, "metrics.ttfb", "s")
    assert all("metrics.ttfb" in s["attributes"] for s in spans_named(committed("pipecat"), component))


def test_pipecat_stt_span_duration_is_speech_not_latency() -> None:
    """Official: stt span duration. It starts at speech start, so it is mostly the user talking."""
    for stt in spans_named(committed("pipecat"), "stt"):
        ttfb = stt["attributes"]["metrics.ttfb"]
        assert seconds(stt) > 3 * ttfb
        assert seconds(stt) > stt["attributes"]["metrics.audio_seconds"]  # it covers the whole utterance


def test_pipecat_failed_llm_call_records_elapsed_time_as_ttfb() -> None:
    """Why the LLM latency measure excludes errored spans: they carry metrics.ttfb too."""
    assert PIPECAT.component_latency["llm"].exclude_errors
    failed = [s for s in spans_named(committed("pipecat"), "llm") if s["status_code"] == "STATUS_CODE_ERROR"]
    assert failed and all("metrics.ttfb" in s["attributes"] for s in failed)
    assert all(e["name"] == "exception" for s in failed for e in s["events"])
    errored_names = {s["name"] for s in committed("pipecat")["spans"] if s["status_code"] == "STATUS_CODE_ERROR"}
    assert errored_names == {"llm"}  # stt/tts never fail a span; the error rate lives on llm


def test_pipecat_tokens_only_on_llm_spans() -> None:
    names = {s["name"] for s in committed("pipecat")["spans"] if "gen_ai.usage.input_tokens" in s["attributes"]}
    assert names == {PIPECAT.input_tokens.span} == {"llm"}


def test_pipecat_model_attribute_is_on_every_component() -> None:
    """gen_ai.request.model sits on stt, llm and tts: a distribution must name its span."""
    models = {(s["name"], s["attributes"]["gen_ai.request.model"]) for s in committed("pipecat")["spans"]
              if "gen_ai.request.model" in s["attributes"]}
    assert {name for name, _ in models} == {"stt", "llm", "tts"}
    for component, attribute in PIPECAT.model.items():
        assert attribute.span == component
        assert len({m for name, m in models if name == component}) == 1


def test_pipecat_last_turn_is_marked_interrupted() -> None:
    """Pipecat ends the open turn with was_interrupted=true at EndFrame: an interruption rate must
    exclude each call's last turn (official: counts all of them)."""
    capture = committed("pipecat")
    naive = excluding_last = 0
    for spans in by_trace(capture).values():
        turns = sorted((s for s in spans if s["name"] == "turn"), key=lambda s: s["attributes"]["turn.number"])
        assert turns[-1]["attributes"]["turn.was_interrupted"] is True
        naive += sum(t["attributes"]["turn.was_interrupted"] for t in turns)
        excluding_last += sum(t["attributes"]["turn.was_interrupted"] for t in turns[:-1])
    barge_in = sorted((s for s in scenario_trace(capture, "barge_in") if s["name"] == "turn"),
                      key=lambda s: s["attributes"]["turn.number"])
    assert [t["attributes"]["turn.was_interrupted"] for t in barge_in[:-1]] == [False, True]
    assert excluding_last == 1  # the one real barge-in
    assert naive == 1 + len(capture["scenarios"])


def test_pipecat_conversation_is_the_root_of_one_trace() -> None:
    capture = committed("pipecat")
    for trace, spans in by_trace(capture).items():
        roots = [s for s in spans if s["parent_span_id"] == ""]
        assert [r["name"] for r in roots] == [PIPECAT.conversation_span]
        turns = [s for s in spans if s["name"] == PIPECAT.turns.span]
        assert sorted(t["attributes"]["turn.number"] for t in turns) == list(range(1, len(turns) + 1))


def test_pipecat_tool_call_is_two_llm_spans_in_one_turn() -> None:
    spans = scenario_trace(committed("pipecat"), "tool_call")
    per_turn = Counter(s["parent_span_id"] for s in spans if s["name"] == "llm")
    assert max(per_turn.values()) == 2


# ---------------------------------------------------------------- LiveKit


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_e2e_latency_is_not_agent_turn_duration(profile: str) -> None:
    """Official: p95(duration_nano) of agent_turn. The span lasts through the whole playout."""
    assert PROFILES[profile].turn_latency.attribute == "lk.e2e_latency"
    turns = [s for s in spans_named(committed(profile), "agent_turn") if "lk.e2e_latency" in s["attributes"]]
    assert len(turns) >= 10
    for turn in turns:
        assert turn["attributes"]["lk.e2e_latency"] < seconds(turn)
    assert mean(seconds(t) for t in turns) > 1.5 * mean(t["attributes"]["lk.e2e_latency"] for t in turns)


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_model_attribute_mixes_components_unless_filtered_by_span(profile: str) -> None:
    """Official: model pie over every span with gen_ai.request.model: STT, TTS and LLM models mixed,
    and each LLM call counted several times."""
    capture = committed(profile)
    carriers = Counter(s["name"] for s in capture["spans"] if "gen_ai.request.model" in s["attributes"])
    assert {"user_turn", "llm_node", "llm_request", "tts_node"} <= set(carriers)
    unfiltered = {s["attributes"]["gen_ai.request.model"] for s in capture["spans"] if "gen_ai.request.model" in s["attributes"]}
    assert unfiltered == {"nova-3", "gpt-4o-mini", "sonic-2"}
    llm_calls = carriers["llm_request"]
    llm_in_pie = sum(n for name, n in carriers.items() if name.startswith("llm") or name == "start_agent_activity")
    assert llm_in_pie >= 2 * llm_calls  # the LLM slice counts each call at least twice
    expected = {"stt": "nova-3", "llm": "gpt-4o-mini", "tts": "sonic-2"}
    for component, attribute in PROFILES[profile].model.items():
        models = {s["attributes"].get(attribute.attribute) for s in spans_named(capture, attribute.span)}
        assert models == {expected[component]}


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_tokens_counted_once(profile: str) -> None:
    """Token usage is only on llm_request (not llm_node, llm_request_run or agent_turn), so summing
    the profile's span counts each call once; a span-less sum happens to agree today."""
    capture = committed(profile)
    carriers = {s["name"] for s in capture["spans"] if "gen_ai.usage.input_tokens" in s["attributes"]}
    assert carriers == {PROFILES[profile].input_tokens.span} == {"llm_request"}
    ok_calls = [s for s in spans_named(capture, "llm_request") if s["status_code"] != "STATUS_CODE_ERROR"]
    assert all("gen_ai.usage.output_tokens" in s["attributes"] for s in ok_calls)


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_stt_latency_lives_on_user_turn(profile: str) -> None:
    """LiveKit has no STT span: transcription delay and the STT model are on user_turn."""
    capture = committed(profile)
    names = {s["name"] for s in capture["spans"]}
    assert not {n for n in names if n.startswith("stt")}
    for turn in spans_named(capture, "user_turn"):
        assert turn["attributes"]["lk.transcription_delay"] > 0
    assert PROFILES[profile].component_latency["stt"].span == "user_turn"
    assert PROFILES[profile].component_latency["llm"].attribute == "lk.response.ttft"
    assert PROFILES[profile].component_latency["tts"].attribute == "lk.response.ttfb"


def test_livekit_tts_node_duration_is_synthesis_not_first_byte() -> None:
    """Official: avg(duration_nano) of tts_node. Time to first audio is lk.response.ttfb."""
    for node in spans_named(committed("livekit"), "tts_node"):
        assert node["attributes"]["lk.response.ttfb"] < seconds(node)


def test_livekit_job_entrypoint_is_the_root_of_each_conversation() -> None:
    """≥ 1.8.2 with the provider set before the job: job_entrypoint is the root and covers the call."""
    capture = committed("livekit")
    for spans in by_trace(capture).values():
        roots = [s for s in spans if s["parent_span_id"] == ""]
        assert [r["name"] for r in roots] == [LIVEKIT.conversation_span] == ["job_entrypoint"]
        root = roots[0]
        assert root["end_ns"] >= max(s["end_ns"] for s in spans)  # ends after shutdown


def test_livekit_legacy_conversation_and_turns() -> None:
    """< 1.8.2: a tool call's follow-up generation is its own agent_turn carrying
    lk.parent_generation_id; counting all agent_turns overcounts the call's turns."""
    capture = committed("livekit-legacy")
    for spans in by_trace(capture).values():
        assert [s["name"] for s in spans if s["name"] == LEGACY.conversation_span] == ["agent_session"]
    legacy_tool = scenario_trace(capture, "tool_call")
    current_tool = scenario_trace(committed("livekit"), "tool_call")
    all_turns = [s for s in legacy_tool if s["name"] == "agent_turn"]
    counted = [s for s in all_turns if LEGACY.turns.unless_attribute not in s["attributes"]]
    assert len(all_turns) == len(counted) + 1
    assert len(counted) == sum(s["name"] == "agent_turn" for s in current_tool)
    assert [s["attributes"].get("lk.generation_count") for s in current_tool if s["name"] == "agent_turn"].count(2) == 1


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_greeting_is_a_turn_without_e2e_latency(profile: str) -> None:
    capture = committed(profile)
    short = [s for s in scenario_trace(capture, "short_one_turn") if s["name"] == "agent_turn"]
    assert len(short) == 1 and "lk.e2e_latency" not in short[0]["attributes"]


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_livekit_barge_in_marks_the_interrupted_turn(profile: str) -> None:
    turns = [s for s in scenario_trace(committed(profile), "barge_in") if s["name"] == "agent_turn"]
    assert [t["attributes"]["lk.interrupted"] for t in turns] == [False, True, False]


def test_livekit_llm_error_is_on_the_llm_spans() -> None:
    failed = {s["name"] for s in scenario_trace(committed("livekit"), "llm_error") if s["status_code"] == "STATUS_CODE_ERROR"}
    assert {"llm_request", "llm_request_run"} <= failed
    assert set(LIVEKIT.call_spans) & failed
