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
    note: str = ""  # how the values read, e.g. one model under two names


class TurnCount(_Frozen):
    """How to count a conversation's turns: spans named `span`, minus those carrying `unless_attribute`."""

    span: str
    unless_attribute: str | None = None  # LiveKit < 1.8.2: follow-up generations are not new turns
    note: str = ""


class Condition(_Frozen):
    """One test on a span attribute, written as the filter language writes it: `attribute op value`."""

    attribute: str
    op: Literal["=", "!=", ">", "EXISTS", "NOT EXISTS"]
    value: str | int | float | bool | None = None  # None for EXISTS / NOT EXISTS


class SpanSet(_Frozen):
    """The spans named `span` that pass every condition, e.g. Pipecat's first turn of a call."""

    span: str
    where: tuple[Condition, ...] = ()
    note: str = ""


class DeadAir(_Frozen):
    """Turns on which the user waited for a reply (`expected`), and those the agent answered with
    speech (`answered`, a subset of the same turns, counted in the same window)."""

    expected: SpanSet
    answered: SpanSet
    note: str = ""


class Interruptions(_Frozen):
    """Where a barge-in is recorded: a boolean attribute on the agent's turn span."""

    span: str
    attribute: str  # true when the user interrupted the agent
    # Set when the framework marks every call's last turn interrupted (it closes the open turn that
    # way): the attribute that numbers a call's turns, so the last one can be left out.
    last_turn_order: str | None = None
    source: str | None = None  # what interrupted (e.g. audio activity)
    position: str | None = None  # seconds of the reply played before the interruption


class ToolCalls(_Frozen):
    """One span per tool (function) call, its tool name, and the attribute that flags a failure."""

    span: str
    name_attribute: str
    error_attribute: str  # a bool; the span's status stays UNSET when a tool raises


class Profile(_Frozen):
    """The telemetry contract of one framework over a range of versions."""

    name: str  # how a definition selects it: `profile: pipecat`
    framework: str  # PyPI distribution name
    supported: str  # human-readable version range
    verified_on: tuple[str, ...]  # versions whose captured spans the tests check
    catalog: str  # file under profiles/catalog/ listing what `verified_on[0]` emits
    conversation_span: str  # the root span that stands for one conversation (one trace)
    conversation_note: str = ""
    turns: TurnCount
    call_spans: tuple[str, ...]  # provider calls that can fail visibly; their failure rate is the error rate
    input_tokens: Measure
    output_tokens: Measure
    turn_latency: Measure | None = None
    component_latency: dict[Component, Measure]
    model: dict[Component, Attribute]
    # The facts below serve the on-call panels and rules; a profile without one leaves its panel out.
    provider_attribute: str = "gen_ai.provider.name"  # on each component's latency span
    call_start: SpanSet | None = None  # one span per call, exported within seconds of its start
    call_duration: Measure | None = None  # the span whose duration is the call (default: the conversation span)
    call_where: tuple[Condition, ...] = ()  # what a provider call must pass to count (no recovery probes)
    errors_note: str = ""  # the failures the error rate cannot see, and where they show instead
    dead_air: DeadAir | None = None
    cached_input_tokens: Measure | None = None
    interruptions: Interruptions | None = None
    tool_calls: ToolCalls | None = None
    end_of_utterance: Measure | None = None  # end of user speech → turn committed
    endpointing_delay: Measure | None = None  # the end-of-speech wait configured at the time
    close_reason: Attribute | None = None  # why the session ended
    tts_characters: Measure | None = None  # characters sent to TTS, for cost
    stt_audio_seconds: Measure | None = None  # seconds of audio sent to STT, for cost
    # {span: {attribute: SigNoz type}} the framework emits only in situations the offline captures do
    # not produce (a fallback adapter's recovery probe); lint adds them to the catalog. Each entry is
    # checked against a capture of that situation (tests/alerts/test_profile_facts.py).
    also_emits: dict[str, dict[str, str]] = {}
