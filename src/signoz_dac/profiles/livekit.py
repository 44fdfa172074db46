"""LiveKit Agents. Facts: reference/livekit-telemetry.md §0, §2, §3.4, §10.

1.8.2 restructured the trace (a job-rooted trace, one `agent_turn` per speech), so there are two
profiles: `livekit` for ≥ 1.8.2 and `livekit-legacy` for 1.5 – 1.8.1 (latency attributes appear in 1.5.0).
"""

from signoz_dac.profiles.model import Attribute, Measure, Profile, TurnCount

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
    input_tokens=_TOKENS_IN,
    output_tokens=_TOKENS_OUT,
    turn_latency=_E2E,
    component_latency=_COMPONENT_LATENCY,
    model=_MODELS,
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
        "turns": TurnCount(
            span="agent_turn",
            unless_attribute="lk.parent_generation_id",
            note="Before 1.8.2 every LLM step gets its own `agent_turn`; follow-ups after a tool call "
            "carry `lk.parent_generation_id` and are not new turns.",
        ),
    }
)
