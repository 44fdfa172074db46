"""LiveKit Agents. Facts: reference/livekit-telemetry.md §0, §2, §3.4, §10.

1.8.2 restructured the trace (a job-rooted trace, one `agent_turn` per speech), so there are two
profiles: `livekit` for ≥ 1.8.2 and `livekit-legacy` for 1.5 – 1.8.1 (latency attributes appear in 1.5.0).
"""

from signoz_dac.profiles.model import (
    Attribute,
    Condition,
    DeadAir,
    Interruptions,
    Measure,
    Profile,
    SpanSet,
    ToolCalls,
    TurnCount,
)

_TOKENS_IN = Measure(span="llm_request", attribute="gen_ai.usage.input_tokens", unit="none")
_TOKENS_OUT = Measure(span="llm_request", attribute="gen_ai.usage.output_tokens", unit="none")
_E2E = Measure(
    span="agent_turn",
    attribute="lk.e2e_latency",
    unit="s",
    note="User stopped speaking → agent started speaking. The `agent_turn` span's duration includes "
    "the whole playout.",
)
_COMPONENT_LATENCY = {
    "stt": Measure(
        span="user_turn",
        attribute="lk.transcription_delay",
        unit="s",
        note="End of speech → final transcript. LiveKit has no STT span.",
    ),
    "llm": Measure(span="llm_node", attribute="lk.response.ttft", unit="s", note="Time to first token."),
    "tts": Measure(
        span="tts_node",
        attribute="lk.response.ttfb",
        unit="s",
        note="Text sent → first audio frame. The `tts_node` span's duration is the whole synthesis.",
    ),
}
_MODELS = {
    # gen_ai.request.model sits on STT, TTS and LLM spans alike: each distribution names its span.
    "stt": Attribute(span="user_turn", attribute="gen_ai.request.model"),
    "llm": Attribute(span="llm_request", attribute="gen_ai.request.model", also_on=("llm_node",)),
    "tts": Attribute(span="tts_node", attribute="gen_ai.request.model"),
}

LIVEKIT = Profile(
    name="livekit",
    framework="livekit-agents",
    supported=">=1.8.2",
    verified_on=("1.8.9",),
    catalog="livekit-1.8.9.json",
    conversation_span="job_entrypoint",
    conversation_note="`job_entrypoint` is the root of the job's trace and ends after shutdown. It is "
    "only exported when the tracer provider is set before the job starts (module level or setup_fnc); "
    "set inside the entrypoint, it is never exported and these panels count no conversations.",
    turns=TurnCount(span="agent_turn", note="One `agent_turn` per agent speech, greetings included."),
    call_spans=("llm_request", "tts_request"),
    errors_note="A failed STT produces no span at all, and a tool that raises leaves its span's status unset: "
    "Dead air and Tool calls show those.",
    input_tokens=_TOKENS_IN,
    output_tokens=_TOKENS_OUT,
    turn_latency=_E2E,
    component_latency=_COMPONENT_LATENCY,
    model=_MODELS,
    call_start=SpanSet(
        span="session_start",
        note="`session_start` covers the session's start-up and is exported seconds into the call; the "
        "conversation root is exported only when the job ends.",
    ),
    call_duration=Measure(
        span="agent_session",
        attribute="duration_nano",
        unit="ns",
        note="`agent_session` spans the session; `job_entrypoint` adds the job's dispatch and shutdown.",
    ),
    # 1.8.7+: while a fallback adapter's primary is down, LiveKit probes it in the background; the
    # probe fails like the primary but no user waited for it.
    call_where=(Condition(attribute="lk.fallback.recovery", op="!=", value=True),),
    also_emits={"llm_request": {"lk.fallback.recovery": "bool"}},  # TTS probes: read, not captured
    dead_air=DeadAir(
        expected=SpanSet(span="eou_wait", where=(Condition(attribute="lk.eou.outcome", op="=", value="committed"),)),
        answered=SpanSet(span="agent_turn", where=(Condition(attribute="lk.e2e_latency", op="EXISTS"),)),
        note="Committed ends of utterance (`eou_wait`, `lk.eou.outcome = committed`) minus agent turns that "
        "started speaking in reply (`lk.e2e_latency` is set only then): the user finished and heard "
        "nothing, whatever failed. A caller who hangs up before the reply, and a turn your agent "
        "chose not to answer, count too.",
    ),
    cached_input_tokens=Measure(span="llm_request", attribute="gen_ai.usage.cache_read.input_tokens", unit="none"),
    interruptions=Interruptions(
        span="agent_turn", attribute="lk.interrupted", source="lk.interruption.source", position="lk.playout.position"
    ),
    tool_calls=ToolCalls(span="function_tool", name_attribute="lk.function_tool.name", error_attribute="lk.function_tool.is_error"),
    end_of_utterance=Measure(
        span="user_turn",
        attribute="lk.end_of_turn_delay",
        unit="s",
        note="End of user speech → turn committed: the end-of-utterance wait, usually most of the "
        "voice-to-voice time.",
    ),
    endpointing_delay=Measure(span="eou_wait", attribute="lk.eou.endpointing_delay", unit="s",
                              note="The end-of-speech delay in force."),
    close_reason=Attribute(span="session_close", attribute="lk.close_reason"),
)

# The same facts as 1.8.2+, but for the trace's shape: a shorter-lived `job_entrypoint`, and one
# `agent_turn` per LLM step rather than per speech.
LIVEKIT_LEGACY = LIVEKIT.model_copy(
    update={
        "name": "livekit-legacy",
        "supported": ">=1.5,<1.8.2",
        "verified_on": ("1.7.1",),
        "catalog": "livekit-1.7.1.json",
        "conversation_span": "agent_session",
        "conversation_note": "Before 1.8.2 `job_entrypoint` ends when the entrypoint function returns, "
        "seconds into the call; `agent_session` spans the session.",
        # Exported when the call ends; no span marks a call's start in these versions.
        "call_start": SpanSet(span="agent_session", note="`agent_session` is exported when the call ends."),
        "call_where": (),  # recovery probes appear in 1.8.7
        "also_emits": {},
        "dead_air": DeadAir(
            expected=SpanSet(span="user_turn"),
            answered=SpanSet(span="agent_turn", where=(Condition(attribute="lk.e2e_latency", op="EXISTS"),)),
            note="User turns minus agent turns that started speaking in reply (`lk.e2e_latency` is set only "
            "then). A caller who hangs up before the reply counts too.",
        ),
        "interruptions": Interruptions(span="agent_turn", attribute="lk.interrupted"),  # source: 1.8.2+
        "endpointing_delay": None,  # eou_wait: 1.8.2+
        "close_reason": None,  # session_close: 1.8.2+
        "turns": TurnCount(
            span="agent_turn",
            unless_attribute="lk.parent_generation_id",
            note="Before 1.8.2 every LLM step gets its own `agent_turn`; follow-ups after a tool call "
            "carry `lk.parent_generation_id` and are not new turns.",
        ),
    }
)
