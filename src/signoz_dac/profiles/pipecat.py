"""Pipecat (pipecat-ai ≥ 1.7), verified on 1.14.0. Facts: reference/pipecat-telemetry.md §0, §2, §10."""

from signoz_dac.profiles.model import Attribute, Measure, Profile, TurnCount

PIPECAT = Profile(
    name="pipecat",
    framework="pipecat-ai",
    supported=">=1.7",
    verified_on=("1.14.0",),
    catalog="pipecat-1.14.0.json",
    conversation_span="conversation",
    conversation_note="One `conversation` root span per call; the whole call is one trace.",
    turns=TurnCount(
        span="turn",
        note="One `turn` span per exchange, the bot's greeting included (turn 1).",
    ),
    # Only `llm` spans ever get an error status (stt/tts report failures as ErrorFrames, not on
    # spans): counting stt/tts calls too would dilute the rate about 2.5×.
    call_spans=("llm",),
    input_tokens=Measure(span="llm", attribute="gen_ai.usage.input_tokens", unit="none"),
    output_tokens=Measure(span="llm", attribute="gen_ai.usage.output_tokens", unit="none"),
    turn_latency=Measure(
        span="turn",
        attribute="turn.user_bot_latency_seconds",
        unit="s",
        note="User stopped speaking → bot started speaking. Not `turn.duration_seconds`, which adds "
        "the user's speech, the bot's speech and a 2.5 s tail.",
    ),
    component_latency={
        "stt": Measure(
            span="stt",
            attribute="metrics.ttfb",
            unit="s",
            note="End of speech → final transcript. The `stt` span's duration is mostly the user talking.",
        ),
        "llm": Measure(
            span="llm",
            attribute="metrics.ttfb",
            unit="s",
            exclude_errors=True,
            note="Time to first token. On a failed call Pipecat records the elapsed time instead, so "
            "errored spans are left out.",
        ),
        "tts": Measure(
            span="tts",
            attribute="metrics.ttfb",
            unit="s",
            note="Text sent → first audio byte. The `tts` span's duration is the whole synthesis.",
        ),
    },
    model={
        "stt": Attribute(span="stt", attribute="gen_ai.request.model"),
        "llm": Attribute(span="llm", attribute="gen_ai.request.model"),
        "tts": Attribute(span="tts", attribute="gen_ai.request.model"),
    },
)
