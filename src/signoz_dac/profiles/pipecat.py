"""Pipecat (pipecat-ai ≥ 1.7), verified on 1.14.0.

Facts from pipecat's tracing code and from spans captured offline (tests/telemetry/capture/):
one `conversation` root span per call, one `turn` span per exchange, `stt`/`llm`/`tts` spans per
service call, and for speech-to-speech services `llm_setup`/`llm_request`/`llm_response`.
"""

from signoz_dac.profiles.model import (
    Attribute,
    DeadAir,
    Interruptions,
    Measure,
    Profile,
    Realtime,
    SpanCount,
    TurnCount,
    duration_of,
    gen_ai_usage,
)

_PROVIDER_NOTE = "Pipecat derives it from the service's class name (`openai`, `deepgram`, `cartesiahttp`, ...)."

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
    cached_input_tokens=Measure(
        span="llm",
        attribute="gen_ai.usage.cache_read.input_tokens",
        unit="none",
        note="Set when the provider reports cached prompt tokens. OpenAI-compatible providers count "
        "them inside `gen_ai.usage.input_tokens`; Anthropic and Bedrock do not.",
    ),
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
            also_on=("llm_response",),  # a speech-to-speech model's replies
            note="One model may show twice: the first call of a session carries the configured name "
            "(`gpt-4o-mini`), later ones the name the API returned (`gpt-4o-mini-2024-07-18`). SigNoz "
            "groups by the value as sent, so the two stay apart; Cost per call prices both.",
        ),
        "tts": Attribute(span="tts", attribute="gen_ai.request.model"),
    },
    provider={
        "stt": Attribute(span="stt", attribute="gen_ai.provider.name", note=_PROVIDER_NOTE),
        "llm": Attribute(span="llm", attribute="gen_ai.provider.name", note=_PROVIDER_NOTE),
        "tts": Attribute(span="tts", attribute="gen_ai.provider.name", note=_PROVIDER_NOTE),
    },
    interruptions=Interruptions(
        flag=Attribute(span="turn", attribute="turn.was_interrupted"),
        set_on_last_turn=True,
        note="`turn.was_interrupted` is true when the caller talked over the bot, and also on the "
        "turn still open when the call ends, which is every call's last turn. "
        "`tts.interrupted` on the `tts` span marks a synthesis cut short.",
    ),
    call_start=SpanCount(
        span="turn",
        where=("turn.number = 1",),
        note="Turn 1 starts with the call and is exported once the greeting is over, seconds later; the "
        "`conversation` root is exported only when the call ends.",
    ),
    call_duration=duration_of("conversation", "The `conversation` span lasts from the pipeline's start to its end: the whole call."),
    realtime=Realtime(
        **gen_ai_usage("llm_response"),
        time_to_first_byte=Measure(
            span="llm_response",
            attribute="metrics.ttfb",
            unit="s",
            note="End of the caller's turn → first audio from the model. The `llm_response` span itself "
            "only wraps the handling of the provider's final event.",
        ),
        note="OpenAI Realtime and Gemini Live services emit `llm_setup`, `llm_request` and one "
        "`llm_response` per reply (tokens, audio-token details, time to first byte) instead of "
        "`llm`/`tts` spans; the caller's transcript is an `stt` span. Turn latency still comes from "
        "`turn.user_bot_latency_seconds`.",
    ),
    tts_characters=Measure(span="tts", attribute="metrics.character_count", unit="none"),
    stt_audio_seconds=Measure(span="stt", attribute="metrics.audio_seconds", unit="s"),
    dead_air=DeadAir(
        needs_reply=SpanCount(span="turn", where=("turn.number > 1",)),
        replied=SpanCount(span="turn", where=("turn.number > 1", "turn.user_bot_latency_seconds EXISTS")),
        note="A turn after the greeting that never got the bot speaking has no "
        "`turn.user_bot_latency_seconds`: the LLM failed, the STT heard nothing, or the TTS "
        "produced no audio (a `tts` span without `metrics.ttfb`). When the caller speaks again "
        "the same turn goes on, and a reply to the later words sets the latency, so an outage "
        "that the caller outlasted leaves only a long `turn.duration_seconds`. A caller who hangs up "
        "before the reply, and a turn started without VAD frames (pipecat issue #5311), count too.",
    ),
    tts_without_audio=SpanCount(
        span="tts",
        where=("metrics.ttfb NOT EXISTS",),
        note="A `tts` span without `metrics.ttfb`: the TTS service produced no audio for the text the `llm` "
        "before it wrote (Pipecat reports the failure as an error frame, and the span's status stays "
        "unset). A synthesis the caller interrupted before its first audio counts too.",
    ),
    blind_spots={
        "tool_calls": "Pipecat has no span for a tool call: a tool call shows as a second `llm` span in "
        "the same turn, and a failed tool is not visible in the traces.",
        "close_reason": "Pipecat records no reason for a call's end in its traces.",
        "end_of_turn_delay": "Pipecat records no end-of-turn delay; `metrics.ttfb` on `stt` (end of "
        "speech → final transcript) is the nearest.",
        "error_rate": "STT and TTS failures never set an error status on a span (Pipecat reports them as "
        "error frames), so this rate stays at 0 % during an STT or TTS outage. An STT failure leaves no "
        "`stt` span for the lost words and a turn without a reply (Dead air); a TTS failure leaves a "
        "`tts` span without `metrics.ttfb` (TTS replies without audio), and Dead air when the caller "
        "gives up.",
    },
)
