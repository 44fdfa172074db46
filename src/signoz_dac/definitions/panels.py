"""The semantic panel catalog: what a definition asks for, not how SigNoz draws it.

Each entry names a question a voice-agent team asks ("how slow are our turns?"); the renderer
expands it into one or more SigNoz panels using the dashboard's telemetry profile.
"""

from __future__ import annotations

from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, Field, field_validator, model_validator

from signoz_dac.definitions.common import PanelId, SpecModel, duration_seconds
from signoz_dac.profiles.model import Component  # the pipeline stages, said once

Percentile = Literal[50, 75, 90, 95, 99]
GroupKey = Literal["service", "provider", "model"]


class Size(SpecModel):
    """Width and height on SigNoz's 12-column grid."""

    width: int = Field(6, ge=1, le=12)
    height: int = Field(6, ge=1, le=48)


class Thresholds(SpecModel):
    """Warning and critical levels, drawn as lines on charts and as colours on tiles."""

    warning: float | None = None
    critical: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.warning is not None and self.critical is not None and self.critical < self.warning:
            raise ValueError("critical must not be below warning")
        return self


class PanelBase(SpecModel):
    id: PanelId | None = None  # panel key prefix; defaults to the type (plus component)
    title: str | None = Field(None, min_length=1, max_length=100)  # SigNoz allows 128; room for " over time"
    description: str | None = None
    size: Size = Size()
    # Legend colours of its charts and pies: series label (as SigNoz shows it) → colour, e.g. {openai: "#10a37f"}
    colors: dict[str, str] | None = None


class FilteredPanel(PanelBase):
    filter: str = ""  # an extra SigNoz filter expression, ANDed with the panel's own


_Panel = TypeVar("_Panel", bound=BaseModel)


def _draws_something(panel: _Panel, *options: str) -> _Panel:
    if not any(getattr(panel, o) for o in options):
        raise ValueError(f"turn on at least one of: {', '.join(options)} (otherwise the panel renders nothing)")
    return panel


class TokenUsage(FilteredPanel):
    """Input, cached input and output token totals (tiles) and tokens per second, from the LLM span only."""

    type: Literal["token_usage"]
    tiles: bool = True
    over_time: bool = True

    @model_validator(mode="after")
    def _something(self) -> TokenUsage:
        return _draws_something(self, "tiles", "over_time")


class _SharePanel(FilteredPanel):
    """A share (a fraction shown in percent) as a tile, a chart over time, or both."""

    tile: bool = True
    over_time: bool = True
    thresholds: Thresholds | None = None  # fractions

    @model_validator(mode="after")
    def _something(self) -> _SharePanel:
        return _draws_something(self, "tile", "over_time")


class ErrorRate(_SharePanel):
    """Share of provider calls (STT/LLM/TTS) that failed. The chart has one line per span name and
    provider; the lines default to the levels of the definition's `error_rate` rule, else 0.01 / 0.05."""

    type: Literal["error_rate"]


class ModelDistribution(FilteredPanel):
    """How calls split across models, for one component, counted on that component's span."""

    type: Literal["model_distribution"]
    component: Component
    size: Size = Size(width=4, height=6)


class ConversationsOverTime(FilteredPanel):
    """Conversations started per interval, counted from a span each call exports as it starts."""

    type: Literal["conversations_over_time"]
    by_service: bool = True


class _LatencyChart(FilteredPanel):
    """A latency measure's average and percentiles, one line per value of the `group_by` keys."""

    average: bool = False
    percentiles: list[Percentile] = Field(default_factory=lambda: list[Percentile]([50, 95]), max_length=5)
    group_by: list[GroupKey] = Field(
        default_factory=lambda: list[GroupKey](["service", "provider", "model"])
    )

    @model_validator(mode="after")
    def _series(self) -> _LatencyChart:
        return _draws_something(self, "average", "percentiles")


class TurnLatency(FilteredPanel):
    """Voice-to-voice latency: the user stops speaking → the agent starts speaking."""

    type: Literal["turn_latency"]
    average: bool = False
    percentiles: list[Percentile] = Field(default_factory=lambda: list[Percentile]([50, 95]), max_length=5)
    by_service: bool = True  # one line per service and series: the rules fire per service
    tile: bool = True  # a P95 tile next to the chart
    # Seconds. Default: the levels of the definition's `turn_latency_p95` rule, else 0.8 / 1.2.
    thresholds: Thresholds | None = None

    @model_validator(mode="after")
    def _series(self) -> TurnLatency:
        return _draws_something(self, "average", "percentiles")


class ComponentLatency(_LatencyChart):
    """Latency of one pipeline stage: STT finalisation, LLM time to first token, TTS time to first byte."""

    type: Literal["component_latency"]
    component: Component
    percentiles: list[Percentile] = Field(default_factory=lambda: list[Percentile]([95]), max_length=5)
    # Seconds. Default: the levels of the definition's `component_latency_p95` rule for this component.
    thresholds: Thresholds | None = None


class HttpRequestDuration(FilteredPanel):
    """Outbound HTTP client duration, from the OpenTelemetry HTTP client instrumentation's metric."""

    type: Literal["http_request_duration"]
    metric: str = "http.client.duration"
    unit: Literal["ms", "s"] = "ms"  # http.client.duration is ms; http.client.request.duration is s
    percentile: Percentile = 95


class ServicesAndLanguages(FilteredPanel):
    """Conversations per `service.name` and `telemetry.sdk.language`."""

    type: Literal["services_and_languages"]


class ErrorRecords(FilteredPanel):
    """The most recent error spans; clicking a row opens its trace."""

    type: Literal["error_records"]
    limit: int = Field(100, ge=1, le=10000)
    size: Size = Size(width=12, height=8)


class Logs(FilteredPanel):
    """The services' most recent log records."""

    type: Literal["logs"]
    limit: int = Field(100, ge=1, le=10000)
    size: Size = Size(width=12, height=8)


class _FinishedCallsSql(PanelBase):
    """ClickHouse SQL panels over the conversations that ended inside the time range."""

    # Spans that started before the range still count for a conversation that ends inside it; the
    # query looks this far back. It bounds the scan, so cost follows the range, not retention.
    # A call longer than this that straddles the range's start is not counted: raise it for long calls.
    lookback: str = "1h"

    @field_validator("lookback")
    @classmethod
    def _lookback(cls, value: str) -> str:
        if duration_seconds(value, "mh") is None:
            raise ValueError("must be a whole number of minutes or hours, e.g. '90m' or '2h'")
        return value

    @property
    def lookback_seconds(self) -> int:
        seconds = duration_seconds(self.lookback, "mh")
        assert seconds is not None  # validated above
        return seconds


class _ThresholdSql(_FinishedCallsSql):
    """The turn-threshold panels: finished conversations and their turns."""

    variable: str = "turns_threshold"  # the text variable holding the turn threshold


class ConversationsBelowThreshold(_ThresholdSql):
    """How many finished conversations had fewer turns than the threshold."""

    type: Literal["conversations_below_threshold"]
    size: Size = Size(width=3, height=3)


class AverageTurnsPerConversation(_ThresholdSql):
    """Average turns per finished conversation."""

    type: Literal["average_turns_per_conversation"]
    size: Size = Size(width=3, height=3)


class ConversationsBelowThresholdList(_ThresholdSql):
    """The trace ids of finished conversations below the threshold (SigNoz cannot link from SQL
    panels: `shortest_conversations` is the clickable view)."""

    type: Literal["conversations_below_threshold_list"]
    limit: int = Field(100, ge=1, le=10000)


class ShortestConversations(FilteredPanel):
    """Conversations with the fewest turns first, one row per trace; a row's menu opens the trace."""

    type: Literal["shortest_conversations"]
    limit: int = Field(50, ge=1, le=10000)


class _PerCallSql(_FinishedCallsSql):
    """A number per finished call."""

    size: Size = Size(width=3, height=3)


class InterruptionsPerCall(_PerCallSql):
    """How often users barge in: interrupted agent turns per finished call (and, where the framework
    says what interrupted, a table by source)."""

    type: Literal["interruptions"]
    by_source: bool = True  # the table by interruption source, where the profile records one


class TokensPerCallPanel(_PerCallSql):
    """LLM tokens (input + output) per finished call."""

    type: Literal["tokens_per_call"]


class CostPerCall(_PerCallSql):
    """Cost per finished call from the definition's `prices:` table (LLM tokens, TTS characters,
    STT audio)."""

    type: Literal["cost_per_call"]


class DeadAir(_SharePanel):
    """Turns the agent never answered: the user finished speaking and heard nothing. The chart has
    one line per service; the lines default to the levels of the definition's `dead_air` rule, else
    0.05 / 0.10."""

    type: Literal["dead_air"]


class CallDuration(FilteredPanel):
    """How long calls last: percentiles of the conversation span's duration."""

    type: Literal["call_duration"]
    percentiles: list[Percentile] = Field(default_factory=lambda: list[Percentile]([50, 90, 99]), min_length=1, max_length=5)


class LatencyByProvider(FilteredPanel):
    """One table row per provider and model: P50 and P95 of each stage's latency."""

    type: Literal["latency_by_provider"]
    size: Size = Size(width=12, height=6)


class ToolCalls(FilteredPanel):
    """Tool (function) calls per tool name: count, P95 duration and failures."""

    type: Literal["tool_calls"]


class EndOfUtterance(FilteredPanel):
    """End of user speech → turn committed, and the end-of-speech delay configured."""

    type: Literal["end_of_utterance"]
    percentiles: list[Percentile] = Field(default_factory=lambda: list[Percentile]([50, 95]), min_length=1, max_length=5)


class CallEndReasons(FilteredPanel):
    """Why calls end, from the session's close reason."""

    type: Literal["call_end_reasons"]


class RealtimeLatency(_LatencyChart):
    """A speech-to-speech (realtime) model's time to first audio, in place of the STT, LLM and TTS stages."""

    type: Literal["realtime_latency"]


class TtsWithoutAudio(_SharePanel):
    """TTS requests that produced no audio, as a share of TTS requests: the TTS failures a framework
    gives no error status. The chart has one line per service; the lines default to 0.01 / 0.05."""

    type: Literal["tts_without_audio"]


Panel = Annotated[
    TokenUsage
    | ErrorRate
    | ModelDistribution
    | ConversationsOverTime
    | TurnLatency
    | ComponentLatency
    | HttpRequestDuration
    | ServicesAndLanguages
    | ErrorRecords
    | Logs
    | ConversationsBelowThreshold
    | AverageTurnsPerConversation
    | ConversationsBelowThresholdList
    | ShortestConversations
    | InterruptionsPerCall
    | TokensPerCallPanel
    | CostPerCall
    | DeadAir
    | CallDuration
    | LatencyByProvider
    | ToolCalls
    | EndOfUtterance
    | CallEndReasons
    | RealtimeLatency
    | TtsWithoutAudio,
    Field(discriminator="type"),
]

PANEL_TYPES: tuple[str, ...] = tuple(
    cls.model_fields["type"].annotation.__args__[0]
    for cls in Panel.__origin__.__args__  # type: ignore[attr-defined]
)
