"""Pipecat (pipecat-ai ≥ 1.7), verified on 1.14.0. Facts: reference/pipecat-telemetry.md §0, §2, §10."""

from signoz_dac.profiles.model import Attribute, Condition, DeadAir, Interruptions, Measure, Profile, SpanSet, TurnCount

_LATER_TURN = Condition(attribute="turn.number", op=">", value=1)  # turn 1 is the greeting: nobody asked

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
    errors_note="STT and TTS failures never set an error status on a span (Pipecat reports them as error "
    "frames), so this rate stays at 0 % during an STT or TTS outage. Dead air shows them: every turn the "
    "bot never answered, whatever failed.",
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
        "llm": Attribute(
            span="llm",
            attribute="gen_ai.request.model",
            note="One model may show twice: the first call of a session reports the name you configured "
            "(gpt-4o-mini), later calls the name the API answered with (gpt-4o-mini-2024-07-18). SigNoz "
            "groups by the value as sent, so the two stay apart here; Cost per call prices both.",
        ),
        "tts": Attribute(span="tts", attribute="gen_ai.request.model"),
    },
    call_start=SpanSet(
        span="turn",
        where=(Condition(attribute="turn.number", op="=", value=1),),
        note="Turn 1 starts with the call and is exported once the greeting is over, seconds later; the "
        "`conversation` root is exported only when the call ends.",
    ),
    dead_air=DeadAir(
        expected=SpanSet(span="turn", where=(_LATER_TURN,)),
        answered=SpanSet(
            span="turn", where=(_LATER_TURN, Condition(attribute="turn.user_bot_latency_seconds", op="EXISTS"))
        ),
        note="A turn after the greeting with no `turn.user_bot_latency_seconds`: the user spoke and the bot "
        "never started speaking, whatever failed (STT, LLM or TTS). A caller who hangs up before the "
        "reply, and a turn started without VAD frames (pipecat issue #5311), count too.",
    ),
    cached_input_tokens=Measure(span="llm", attribute="gen_ai.usage.cache_read.input_tokens", unit="none"),
    interruptions=Interruptions(span="turn", attribute="turn.was_interrupted", last_turn_order="turn.number"),
    tts_characters=Measure(span="tts", attribute="metrics.character_count", unit="none"),
    stt_audio_seconds=Measure(span="stt", attribute="metrics.audio_seconds", unit="s"),
)
