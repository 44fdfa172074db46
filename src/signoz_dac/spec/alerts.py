"""Alert rules in a definition: what to watch and when to call someone, not how SigNoz spells it.

The semantic rules (`turn_latency_p95`, `error_rate`, `component_latency_p95`, `tokens_per_turn`)
take their spans and attributes from the dashboard's telemetry profile, exactly as the matching
panels do. `threshold` is the escape hatch: any traces or logs builder query.

    alerts:
      channels: [slack-voice]            # default notification channels (names as in SigNoz)
      rules:
        - type: turn_latency_p95
          warning: 800                   # in `unit` (ms here)
          critical: 1200
        - type: error_rate
          services: [checkout-agent]     # only these services (a service.name filter)
          warning: 1                     # percent
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from signoz_dac.spec.common import PanelId, SpecModel

Component = Literal["stt", "llm", "tts"]
MatchType = Literal["at_least_once", "all_the_times", "on_average", "in_total", "last"]
CompareOp = Literal["above", "below", "above_or_equal", "below_or_equal", "equal", "not_equal"]
LatencyUnit = Literal["ms", "s"]

# Labels signoz-dac sets itself to recognise its rules on the server; a definition may not set them.
RESERVED_LABELS = frozenset({"managed_by", "signoz_dac_dashboard", "signoz_dac_rule", "signoz_dac_hash"})
_DURATION = re.compile(r"^[1-9][0-9]*[smh]$")
_LABEL_KEY = re.compile(r"^[a-zA-Z_.][a-zA-Z0-9_.]*$")  # SigNoz refuses any other label name


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError("must be a whole number of seconds, minutes or hours, e.g. '5m' or '1h'")
    return value


def _labels(labels: dict[str, str]) -> dict[str, str]:
    for key in labels:
        if key in RESERVED_LABELS:
            raise ValueError(f"label {key!r} is set by signoz-dac itself")
        if not _LABEL_KEY.match(key):
            raise ValueError(f"label key {key!r} must be a letter, '_' or '.' followed by letters, digits, '_' or '.'")
    return labels


Duration = Annotated[str, AfterValidator(_duration)]
Labels = Annotated[dict[str, str], AfterValidator(_labels)]


class AlertDefaults(SpecModel):
    """What every rule of the dashboard gets unless it says otherwise."""

    channels: list[str] = Field(default_factory=list)  # notification channel names, for every level
    critical_channels: list[str] | None = None  # channels for the critical level; default: `channels`
    labels: Labels = Field(default_factory=dict)


class AlertBase(SpecModel):
    id: PanelId | None = None  # the rule's stable identity within the dashboard; defaults to the type
    title: str | None = Field(None, min_length=1, max_length=120)
    summary: str | None = None  # annotation; SigNoz fills {{$value}}, {{$threshold}}, {{$service.name}}
    description: str | None = None
    runbook: str | None = None  # a link shown with the alert (annotation `runbook_url`)
    enabled: bool = True
    warning: float | None = None  # fire at this level as severity "warning"
    critical: float | None = None
    match: MatchType = "at_least_once"  # how the window's per-minute values meet a level; types set their own
    window: Duration = "5m"  # the rolling evaluation window
    frequency: Duration = "1m"  # how often SigNoz evaluates
    channels: list[str] | None = None  # default: alerts.channels
    critical_channels: list[str] | None = None  # default: alerts.critical_channels, then channels
    labels: Labels = Field(default_factory=dict)
    services: list[str] = Field(default_factory=list)  # only these service.name values
    exclude_services: list[str] = Field(default_factory=list)  # every service but these
    filter: str = ""  # an extra SigNoz filter expression, ANDed with the rule's own
    group_by: list[str] = Field(default_factory=lambda: ["service.name"])  # one alert per value
    renotify: Duration | None = None  # repeat a firing alert at this interval, e.g. '30m'

    @field_validator("services", "exclude_services", "channels", "critical_channels", "group_by")
    @classmethod
    def _no_blank(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and any(not v.strip() for v in values):
            raise ValueError("entries must not be empty")
        return values

    @model_validator(mode="after")
    def _levels(self) -> AlertBase:
        if self.warning is None and self.critical is None:
            raise ValueError("set `warning:`, `critical:` or both")
        if (
            self.warning is not None and self.critical is not None
            and self.op in ("above", "above_or_equal") and self.critical < self.warning
        ):
            raise ValueError("critical must not be below warning")
        if (
            self.warning is not None and self.critical is not None
            and self.op in ("below", "below_or_equal") and self.critical > self.warning
        ):
            raise ValueError("critical must not be above warning for a `below` rule")
        return self

    @property
    def op(self) -> CompareOp:
        """How values compare with the levels: semantic rules fire above them."""
        return "above"


class TurnLatencyP95(AlertBase):
    """P95 voice-to-voice latency (user stops speaking → agent starts speaking), from the profile."""

    type: Literal["turn_latency_p95"]
    unit: LatencyUnit = "ms"  # the unit of warning/critical
    match: MatchType = "on_average"  # of the per-minute P95s in the window


class ComponentLatencyP95(AlertBase):
    """P95 of one pipeline stage: STT finalisation, LLM time to first token, TTS time to first byte."""

    type: Literal["component_latency_p95"]
    component: Component
    unit: LatencyUnit = "ms"
    match: MatchType = "on_average"


class ErrorRateAlert(AlertBase):
    """Failed provider calls / all provider calls, in percent (the error-rate panel's spans)."""

    type: Literal["error_rate"]
    match: MatchType = "all_the_times"  # sustained: every minute of the window is above


class TokensPerTurn(AlertBase):
    """LLM tokens (prompt + completion) per conversation turn.

    (sum of input tokens + sum of output tokens on the LLM span) / number of turn spans, per minute,
    averaged over the window. The profile's spans carry tokens per LLM call, not per turn, so a
    turn's share is the window's LLM tokens divided by the window's turns.
    """

    type: Literal["tokens_per_turn"]
    match: MatchType = "on_average"


class ThresholdAlert(AlertBase):
    """Any traces or logs builder query against a threshold: the rule for everything else."""

    type: Literal["threshold"]
    id: PanelId  # required: there is no type-derived default for a free-form rule
    signal: Literal["traces", "logs"] = "traces"
    aggregation: str = Field(min_length=1)  # one function call, e.g. "p99(duration_nano)" or "count()"
    unit: str = ""  # SigNoz unit of the query's values, e.g. "ns", "s", "none"
    threshold_unit: str | None = None  # unit of warning/critical when it differs from `unit` (e.g. "ms")
    operator: CompareOp = "above"
    match: MatchType = "at_least_once"

    @property
    def op(self) -> CompareOp:
        return self.operator


Alert = Annotated[
    TurnLatencyP95 | ComponentLatencyP95 | ErrorRateAlert | TokensPerTurn | ThresholdAlert,
    Field(discriminator="type"),
]

ALERT_TYPES: tuple[str, ...] = tuple(
    cls.model_fields["type"].annotation.__args__[0]  # type: ignore[union-attr]
    for cls in Alert.__origin__.__args__  # type: ignore[attr-defined]
)


class Alerts(AlertDefaults):
    """A dashboard's `alerts:` section: defaults for its rules, and the rules."""

    rules: list[Alert] = Field(default_factory=list)
