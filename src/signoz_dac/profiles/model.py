"""What a telemetry profile says: which span carries which number, under which attribute, in which unit.

Plain data. A panel is only as good as the names it queries, so every name here is checked by the
tests against spans captured from the real framework at the versions in `verified_on`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Component = Literal["stt", "llm", "tts"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Measure(_Frozen):
    """A numeric attribute (or intrinsic field such as `duration_nano`) on one span name."""

    span: str
    attribute: str
    unit: str  # SigNoz unit id: "s", "ns", "none", ...
    note: str = ""  # why this attribute and not the obvious one; shown in the docs
    exclude_errors: bool = False  # e.g. Pipecat's llm `metrics.ttfb` is elapsed time on errored calls


class Attribute(_Frozen):
    """A string attribute on one span name, e.g. the model name on the STT span."""

    span: str
    attribute: str
    # Other spans of the same component that carry the same value, so a model variable can filter
    # them too (LiveKit's LLM latency lives on `llm_node`, its model on `llm_request` and `llm_node`).
    also_on: tuple[str, ...] = ()
    note: str = ""


class TurnCount(_Frozen):
    """How to count a conversation's turns: spans named `span`, minus those carrying `unless_attribute`."""

    span: str
    unless_attribute: str | None = None  # LiveKit < 1.8.2: follow-up generations are not new turns
    note: str = ""


class SpanCount(_Frozen):
    """Spans named `span` that match every condition in `where` (SigNoz filter-expression terms on
    that span's own attributes, ANDed; none = every such span)."""

    span: str
    where: tuple[str, ...] = ()
    note: str = ""


class Interruptions(_Frozen):
    """Where a barge-in (the caller talking over the agent) shows."""

    flag: Attribute  # a bool attribute, true on the interrupted turn
    source: Attribute | None = None  # what interrupted it (a string), when the framework says
    playout_position: Measure | None = None  # how much of the reply was heard before the interruption
    # True when the framework also sets the flag on the turn open when the call ends (Pipecat):
    # an interruption count must then leave out each call's last turn (the latest to start), which
    # takes SQL.
    set_on_last_turn: bool = False
    note: str = ""


class ToolCalls(_Frozen):
    """One span per tool (function) call."""

    span: str
    name: str  # the attribute naming the tool
    error_flag: str  # a bool attribute, true when the tool failed; the span's status stays UNSET
    note: str = ""


class DeadAir(_Frozen):
    """Turns the caller waited on in silence: of the `needs_reply` spans (the caller finished a turn),
    how many got no `replied` span (the agent started speaking). Both counted over the same window;
    dead-air turns = needs_reply − replied."""

    needs_reply: SpanCount
    replied: SpanCount
    note: str = ""


def duration_of(span: str, note: str = "") -> Measure:
    """A span's own length (SigNoz's `duration_nano` field), as a measure."""
    return Measure(span=span, attribute="duration_nano", unit="ns", note=note)


def gen_ai_usage(span: str, *, cached: str = "gen_ai.usage.cache_read.input_tokens") -> dict[str, Measure]:
    """The OpenTelemetry GenAI token counts one span carries: input, output and cached input tokens
    (the keyword arguments of `Realtime`)."""
    return {
        "input_tokens": Measure(span=span, attribute="gen_ai.usage.input_tokens", unit="none"),
        "output_tokens": Measure(span=span, attribute="gen_ai.usage.output_tokens", unit="none"),
        "cached_input_tokens": Measure(span=span, attribute=cached, unit="none"),
    }


class Realtime(_Frozen):
    """What a speech-to-speech (realtime) model's turns carry; it replaces STT, LLM and TTS spans."""

    input_tokens: Measure
    output_tokens: Measure
    cached_input_tokens: Measure | None = None
    time_to_first_byte: Measure | None = None
    note: str = ""


class Profile(_Frozen):
    """The telemetry contract of one framework over a range of versions."""

    name: str  # how a definition selects it: `profile: pipecat`
    framework: str  # PyPI distribution name
    supported: str  # human-readable version range
    verified_on: tuple[str, ...]  # versions whose captured spans the tests check
    catalog: str  # file under profiles/catalog/ listing what `verified_on[0]` emits
    # The span that stands for one conversation: exactly one per call, in the call's trace, in every
    # supported setup of the tracer provider. Its duration is the call's duration.
    conversation_span: str
    conversation_note: str = ""
    turns: TurnCount
    call_spans: tuple[str, ...]  # provider calls that can fail visibly; their failure rate is the error rate
    input_tokens: Measure
    output_tokens: Measure
    cached_input_tokens: Measure | None = None  # prompt tokens served from the provider's cache
    turn_latency: Measure | None = None
    component_latency: dict[Component, Measure]
    model: dict[Component, Attribute]
    # The provider of each component, on the span that carries its latency (next to its model), so
    # a latency chart can be grouped by provider and model.
    provider: dict[Component, Attribute] = {}
    # Provider calls that are background probes, not caller-facing: (span, bool attribute true on a
    # probe). An error rate leaves every call span carrying it out.
    probe: Attribute | None = None
    # One span per call, exported seconds after the call starts, so a count over time does not dip
    # in the most recent stretch (the conversation span is exported only when the call ends).
    # None: count the conversation span.
    call_start: SpanCount | None = None
    interruptions: Interruptions | None = None
    call_duration: Measure | None = None
    tool_calls: ToolCalls | None = None
    end_of_turn_delay: Measure | None = None  # caller stops speaking → the turn is committed
    end_of_turn_wait: Measure | None = None  # the end-of-turn wait's own span, with its decision
    endpointing_delay: Measure | None = None  # the end-of-speech delay in force during that wait
    realtime: Realtime | None = None
    close_reason: Attribute | None = None  # why a call (session) ended
    dead_air: DeadAir | None = None
    # TTS requests that produced no audio although the framework gives them no error status (Pipecat);
    # counted against every span of that name.
    tts_without_audio: SpanCount | None = None
    tts_characters: Measure | None = None  # characters sent to TTS, for cost
    stt_audio_seconds: Measure | None = None  # seconds of audio sent to STT, for cost
    # What the traces cannot show for this framework, said plainly in panel descriptions; keyed by
    # the panel or fact it concerns (`error_rate`: failures that rate cannot see).
    blind_spots: dict[str, str] = {}
