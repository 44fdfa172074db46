"""Alert rules in a definition: what to watch and when to call someone, not how SigNoz spells it.

The semantic rules (`turn_latency_p95`, `component_latency_p95`, `error_rate`, `dead_air`,
`tokens_per_call`, `no_data`) take their spans and attributes from the dashboard's telemetry profile,
exactly as the matching panels do. `threshold` is the escape hatch: any traces or logs builder query.

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

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from signoz_dac.definitions.common import OptionError, PanelId, SpecModel, duration_seconds
from signoz_dac.identity import RESERVED_LABELS  # set by signoz-dac itself to find its rules; not by a definition
from signoz_dac.profiles.model import Component  # the pipeline stages, said once
from signoz_dac.signoz.rules.checks import LABEL_NAME

MatchType = Literal["at_least_once", "all_the_times", "on_average", "in_total", "last"]
CompareOp = Literal["above", "below", "above_or_equal", "below_or_equal", "equal", "not_equal"]
LatencyUnit = Literal["ms", "s"]


def _duration(value: str) -> str:
    if duration_seconds(value, "smh") is None:
        raise ValueError("must be a whole number of seconds, minutes or hours, e.g. '5m' or '1h'")
    return value


def _labels(labels: dict[str, str]) -> dict[str, str]:
    for key in labels:
        if key in RESERVED_LABELS:
            raise ValueError(f"label {key!r} is set by signoz-dac itself")
        if not LABEL_NAME.fullmatch(key):  # SigNoz refuses any other label name
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
        if not self.has_levels:
            return self
        if self.warning is None and self.critical is None:
            raise ValueError("set `warning:`, `critical:` or both")
        if (
            self.warning is not None and self.critical is not None
            and self.op in ("above", "above_or_equal") and self.critical < self.warning
        ):
            raise OptionError("critical must not be below warning", "critical")
        if (
            self.warning is not None and self.critical is not None
            and self.op in ("below", "below_or_equal") and self.critical > self.warning
        ):
            raise OptionError("critical must not be above warning for a `below` rule", "critical")
        return self

    @property
    def op(self) -> CompareOp:
        """How values compare with the levels: semantic rules fire above them."""
        return "above"

    @property
    def has_levels(self) -> bool:
        """Whether the rule compares against `warning:`/`critical:` (all but `no_data` do)."""
        return True


class _LatencyShare(AlertBase):
    """A latency rule: the share of turns (or calls) slower than each level, over the window.

    "P95 above 800 ms" and "more than 5 % of turns slower than 800 ms" are the same condition; the
    share is one number over the whole window, so it stays steady at low traffic, where a P95 of a
    few turns is close to their maximum. Each level is its own SigNoz rule (it counts other turns).
    """

    unit: LatencyUnit = "ms"  # the unit of warning/critical: latencies
    percent: float = Field(5, gt=0, lt=100)  # the share allowed above each level: 5 is the P95
    match: MatchType = "on_average"  # matters only when SigNoz splits the window in two (see README)


class TurnLatencyP95(_LatencyShare):
    """Voice-to-voice latency (user stops speaking → agent starts speaking) above its P95 levels."""

    type: Literal["turn_latency_p95"]


class ComponentLatencyP95(_LatencyShare):
    """One pipeline stage above its P95 level: STT finalisation, LLM time to first token, TTS time
    to first byte."""

    type: Literal["component_latency_p95"]
    component: Component


class ErrorRateAlert(AlertBase):
    """Failed provider calls / all provider calls over the window, in percent (the panel's spans)."""

    type: Literal["error_rate"]
    match: MatchType = "on_average"  # matters only when SigNoz splits the window in two


class DeadAirAlert(AlertBase):
    """Turns the agent never answered / turns that expected an answer, over the window, in percent."""

    type: Literal["dead_air"]
    match: MatchType = "on_average"


class TokensPerCall(AlertBase):
    """LLM tokens (input + output) per call: tokens spent in the window / calls started in it.

    In steady traffic the two rates divide to the tokens one call spends, whatever the calls'
    length; the window should be several calls long (default 30 minutes).
    """

    type: Literal["tokens_per_call"]
    window: Duration = "30m"
    match: MatchType = "on_average"


class NoData(AlertBase):
    """No conversation turn from a service for `window`: the agent, or its telemetry, has stopped.

    With `services:`, one SigNoz rule per service (SigNoz's no-data condition covers a whole rule,
    not each group). Without, one rule that fires when no service sends anything.
    """

    type: Literal["no_data"]
    window: Duration = "30m"
    severity: Literal["warning", "critical"] = "warning"
    group_by: list[str] = Field(default_factory=list)  # unused: absence concerns the whole rule

    @property
    def op(self) -> CompareOp:
        return "below"

    @property
    def has_levels(self) -> bool:
        return False

    @field_validator("window")
    @classmethod
    def _whole_minutes(cls, value: str) -> str:
        # SigNoz counts the absence (`absentFor`) in whole minutes.
        seconds = duration_seconds(value, "smh")
        if seconds is not None and seconds % 60:
            raise ValueError("must be a whole number of minutes for a no_data rule (SigNoz counts absence in minutes), e.g. '30m'")
        return value

    @model_validator(mode="after")
    def _no_levels(self) -> NoData:
        if self.warning is not None or self.critical is not None:
            level = "warning" if self.warning is not None else "critical"
            raise OptionError("a no_data rule has no levels: it fires when nothing arrives (set `severity:`)", level)
        if self.group_by:
            raise OptionError("a no_data rule cannot group: SigNoz's no-data condition covers the whole rule; "
                             "list `services:` to get one rule per service", "group_by")
        return self


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
    TurnLatencyP95 | ComponentLatencyP95 | ErrorRateAlert | DeadAirAlert | TokensPerCall | NoData | ThresholdAlert,
    Field(discriminator="type"),
]

ALERT_TYPES: tuple[str, ...] = tuple(
    cls.model_fields["type"].annotation.__args__[0]
    for cls in Alert.__origin__.__args__  # type: ignore[attr-defined]
)


class Alerts(AlertDefaults):
    """A dashboard's `alerts:` section: defaults for its rules, and the rules."""

    rules: list[Alert] = Field(default_factory=list)
