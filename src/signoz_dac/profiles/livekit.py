"""LiveKit Agents. Facts from LiveKit's tracing code and from spans captured offline
(tests/telemetry/capture/), with the tracer provider set at module level and inside the entrypoint.

1.8.2 restructured the trace (a job-rooted trace, one `agent_turn` per speech), so there are two
profiles: `livekit` for ≥ 1.8.2 and `livekit-legacy` for 1.5 – 1.8.1 (latency attributes appear in 1.5.0).
"""

from signoz_dac.profiles.model import (
    Attribute,
    Component,
    DeadAir,
    Interruptions,
    Measure,
    Profile,
    Realtime,
    SpanCount,
    ToolCalls,
    TurnCount,
    duration_of,
    gen_ai_usage,
)

_TOKENS_IN = Measure(span="llm_request", attribute="gen_ai.usage.input_tokens", unit="none")
_TOKENS_OUT = Measure(span="llm_request", attribute="gen_ai.usage.output_tokens", unit="none")
_CACHED_IN = Measure(
    span="llm_request",
    attribute="gen_ai.usage.cache_read.input_tokens",
    unit="none",
    note="Prompt tokens served from the provider's cache, counted inside `gen_ai.usage.input_tokens`. "
    "1.7.x sets it on every call (0 without a cache hit), 1.8.x only when it is above 0.",
)
_E2E = Measure(
    span="agent_turn",
    attribute="lk.e2e_latency",
    unit="s",
    note="User stopped speaking → agent started speaking. The `agent_turn` span's duration includes "
    "the whole playout.",
)
_COMPONENT_LATENCY: dict[Component, Measure] = {
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
_MODELS: dict[Component, Attribute] = {
    # gen_ai.request.model sits on STT, TTS and LLM spans alike: each distribution names its span.
    "stt": Attribute(span="user_turn", attribute="gen_ai.request.model"),
    # A speech-to-speech model's replies (`realtime_inference`) name their model the same way.
    "llm": Attribute(span="llm_request", attribute="gen_ai.request.model", also_on=("llm_node", "realtime_inference")),
    "tts": Attribute(span="tts_node", attribute="gen_ai.request.model"),
}
_PROVIDERS: dict[Component, Attribute] = {
    "stt": Attribute(span="user_turn", attribute="gen_ai.provider.name", note="As the STT plugin spells it (`Deepgram`)."),
    "llm": Attribute(
        span="llm_node",
        attribute="gen_ai.provider.name",
        note="1.8.x normalises it (`openai`, `anthropic`); 1.7.x keeps the plugin's spelling "
        "(`api.openai.com`). Behind a FallbackAdapter, 1.8.x names the provider that answered (with "
        "`gen_ai.response.model` the model that answered, while `gen_ai.request.model` may still name "
        "the first choice); 1.7.x names the adapter (`livekit`, model `FallbackAdapter`).",
    ),
    "tts": Attribute(span="tts_node", attribute="gen_ai.provider.name", note="As the TTS plugin spells it (`Cartesia`)."),
}
_TOOLS = ToolCalls(
    span="function_tool",
    name="lk.function_tool.name",
    error_flag="lk.function_tool.is_error",
    note="A tool that raises leaves the span's status UNSET: only `lk.function_tool.is_error` (and, "
    "1.8.x, `error.type = tool_error`) says it failed. The span's duration is the tool's run time.",
)
_DEAD_AIR = DeadAir(
    needs_reply=SpanCount(span="user_turn"),
    replied=SpanCount(span="agent_turn", where=("lk.e2e_latency EXISTS",)),
    note="Every committed caller turn (`user_turn`) should be followed by an agent reply whose audio "
    "started (`agent_turn` with `lk.e2e_latency`). A turn whose LLM failed still gets an `agent_turn`, "
    "without the latency (1.8.x: in ERROR; 1.7.x: UNSET, marked interrupted). A caller who hangs up "
    "before the reply, and a turn your agent chose not to answer, count too. Speech-to-speech sessions "
    "have no `user_turn` (the model detects turns) and are not covered.",
)
_ERRORS_UNSEEN = (
    "LiveKit has no STT span: a failing STT produces no span at all and shows only as missing "
    "`user_turn`s (fewer turns, shorter calls). A tool that raises leaves its span's status unset: "
    "Tool calls shows it."
)


LIVEKIT = Profile(
    name="livekit",
    framework="livekit-agents",
    supported=">=1.8.2",
    verified_on=("1.8.9",),
    catalog="livekit-1.8.9.json",
    conversation_span="agent_session",
    conversation_note="One `agent_session` span per call, in the call's trace, however the tracer provider "
    "is set up. `job_entrypoint`, the trace's root, is exported only when the provider is set before "
    "the job starts (module level or setup_fnc); set inside the entrypoint, as LiveKit's own example "
    "does, `agent_session` becomes the root.",
    turns=TurnCount(span="agent_turn", note="One `agent_turn` per agent speech, greetings included."),
    call_spans=("llm_request", "tts_request"),
    input_tokens=_TOKENS_IN,
    output_tokens=_TOKENS_OUT,
    cached_input_tokens=_CACHED_IN,
    turn_latency=_E2E,
    component_latency=_COMPONENT_LATENCY,
    model=_MODELS,
    provider=_PROVIDERS,
    probe=Attribute(
        span="llm_request",
        attribute="lk.fallback.recovery",
        note="A FallbackAdapter probes a failed provider in the background (1.8.7+): that `llm_request` "
        "fails again, in ERROR, while the caller was answered by the next provider. A call retried to "
        "success keeps its `llm_request` UNSET; only the failed attempt's `llm_request_run` is ERROR. "
        "A TTS FallbackAdapter marks its probes the same way on `tts_request`.",
    ),
    call_start=SpanCount(
        span="session_start",
        note="`session_start` covers the session's start-up and is exported seconds into the call; "
        "`agent_session` is exported only when the call ends.",
    ),
    interruptions=Interruptions(
        flag=Attribute(span="agent_turn", attribute="lk.interrupted"),
        source=Attribute(
            span="agent_turn",
            attribute="lk.interruption.source",
            note="`audio_activity` (the caller's voice), `user_turn` or `programmatic`.",
        ),
        playout_position=Measure(
            span="agent_turn",
            attribute="lk.playout.position",
            unit="s",
            note="Seconds of the reply played before the interruption.",
        ),
    ),
    call_duration=duration_of(
        "agent_session",
        "From `session.start()` to the session's close; `job_entrypoint` adds the job's dispatch and shutdown.",
    ),
    tool_calls=_TOOLS,
    end_of_turn_delay=Measure(
        span="user_turn",
        attribute="lk.end_of_turn_delay",
        unit="s",
        note="Caller stops speaking → turn committed; also copied onto the replying `agent_turn`. "
        "Usually the largest part of `lk.e2e_latency`.",
    ),
    end_of_turn_wait=Measure(
        span="eou_wait",
        attribute="lk.eou.wait_duration",
        unit="s",
        note="The end-of-turn wait, with `lk.eou.endpointing_delay` (the delay in force), `lk.eou.source` "
        "(`vad`, `stt`, `manual`) and `lk.eou.outcome` (`committed`, `user_resumed`, `dropped`).",
    ),
    endpointing_delay=Measure(
        span="eou_wait",
        attribute="lk.eou.endpointing_delay",
        unit="s",
        note="The end-of-speech delay in force.",
    ),
    realtime=Realtime(
        **gen_ai_usage("realtime_inference"),
        time_to_first_byte=Measure(
            span="realtime_inference",
            attribute="gen_ai.response.time_to_first_chunk",
            unit="s",
            note="Response created → first audio, from the provider's metrics.",
        ),
        note="A speech-to-speech model's reply is an `agent_turn` with one `realtime_inference` child "
        "carrying tokens (with text/audio/cached details) and time to first byte; there are no "
        "`llm_request`, `tts_node` or `user_turn` spans. Without a local VAD the turns carry no "
        "`lk.e2e_latency`.",
    ),
    close_reason=Attribute(
        span="session_close",
        attribute="lk.close_reason",
        note="One per call: `user_initiated` (also when the agent shuts the job down), `error` (with "
        "`exception.type`), `job_shutdown`, `participant_disconnected`, `task_completed`. It is in the "
        "call's trace in every setup (under `job_shutdown` when the job closed the session).",
    ),
    dead_air=_DEAD_AIR,
    blind_spots={"error_rate": _ERRORS_UNSEEN},
)

# The same facts as 1.8.2+, but for the trace's shape: a shorter-lived `job_entrypoint`, and one
# `agent_turn` per LLM step rather than per speech; and for what 1.8 added.
LIVEKIT_LEGACY = LIVEKIT.model_copy(
    update={
        "name": "livekit-legacy",
        "supported": ">=1.5,<1.8.2",
        "verified_on": ("1.7.1",),
        "catalog": "livekit-1.7.1.json",
        "conversation_note": "One `agent_session` span per call, in the call's trace, however the tracer "
        "provider is set up. Before 1.8.2 `job_entrypoint` ends when the entrypoint function returns, "
        "seconds into the call, and is missing when the provider is set inside the entrypoint.",
        "turns": TurnCount(
            span="agent_turn",
            unless_attribute="lk.parent_generation_id",
            note="Before 1.8.2 every LLM step gets its own `agent_turn`; follow-ups after a tool call "
            "carry `lk.parent_generation_id` and are not new turns.",
        ),
        # A speech-to-speech reply is the `agent_turn` itself, which the model variable must not narrow.
        "model": {**_MODELS, "llm": _MODELS["llm"].model_copy(update={"also_on": ("llm_node",)})},
        "probe": None,
        "call_start": None,  # no span marks a call's start before 1.8.2: count `agent_session`
        "interruptions": Interruptions(flag=Attribute(span="agent_turn", attribute="lk.interrupted")),
        "end_of_turn_wait": None,  # eou_wait: 1.8.2+
        "endpointing_delay": None,
        "realtime": Realtime(
            **gen_ai_usage("agent_turn", cached="gen_ai.usage.input_cached_tokens"),
            note="Before 1.8.0 a speech-to-speech reply's tokens are on its `agent_turn` (which then "
            "carries `gen_ai.operation.name = chat`); there is no numeric time to first byte, only "
            "`ttft` inside the `lk.realtime_model_metrics` JSON.",
        ),
        "close_reason": None,
        "blind_spots": {
            "error_rate": _ERRORS_UNSEEN + " Before 1.8.7 a FallbackAdapter's background probe of a "
            "failed provider is an ERROR `llm_request` like any other: nothing marks it, so it counts here.",
            "close_reason": "Before 1.8.2 there is no `session_close` span: why a call ended is not in the traces.",
            "interruption_source": "Before 1.8.2 `agent_turn` says whether it was interrupted, not by what "
            "or after how much playout.",
        },
    }
)
