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


class TurnCount(_Frozen):
    """How to count a conversation's turns: spans named `span`, minus those carrying `unless_attribute`."""

    span: str
    unless_attribute: str | None = None  # LiveKit < 1.8.2: follow-up generations are not new turns
    note: str = ""


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
