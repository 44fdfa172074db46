"""The strict SigNoz alert-rule schema: `RuletypesPostableRule` and what it references (v0.138 OpenAPI).

Unknown fields are rejected and nothing is coerced, as SigNoz's Go decoder does. The query-builder
types inside `compositeQuery` (builder queries, formulas, PromQL, ClickHouse SQL) are the same
`querybuildertypesv5` types a dashboard panel carries, so they come from `signoz.v6.queries`.
Cross-field rules (which query is selected, thresholds present for v2alpha1, ...) live in checks.py.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from signoz_dac.signoz.v6.base import Number, Strict, raise_issues
from signoz_dac.signoz.v6.queries import (
    BuilderQueryEnvelope,
    ClickHouseEnvelope,
    FormulaEnvelope,
    PromQLEnvelope,
    TraceOperatorEnvelope,
    TracesBuilderQuery,
)

from . import checks

AlertType = Literal["METRIC_BASED_ALERT", "TRACES_BASED_ALERT", "LOGS_BASED_ALERT", "EXCEPTIONS_BASED_ALERT"]
RuleType = Literal["threshold_rule", "promql_rule", "anomaly_rule"]
QueryType = Literal["builder", "clickhouse_sql", "promql"]
PanelType = Literal["value", "table", "graph"]
MatchType = Literal["at_least_once", "all_the_times", "on_average", "in_total", "last"]
CompareOperator = Literal[
    "above", "below", "equal", "not_equal", "above_or_equal", "below_or_equal", "outside_bounds"
]
AlertState = Literal["inactive", "pending", "recovering", "firing", "nodata", "disabled"]
Seasonality = Literal["hourly", "daily", "weekly"]
ScheduleType = Literal["hourly", "daily", "weekly", "monthly"]


# --- compositeQuery -------------------------------------------------------------------------------


class BuilderAIEnvelope(Strict):
    """`builder_ai_query`: a traces builder query written by SigNoz's assistant."""

    type: Literal["builder_ai_query"]
    spec: TracesBuilderQuery


QueryEnvelope = Annotated[
    Union[
        BuilderQueryEnvelope,
        BuilderAIEnvelope,
        FormulaEnvelope,
        TraceOperatorEnvelope,
        PromQLEnvelope,
        ClickHouseEnvelope,
    ],
    Field(discriminator="type"),
]


class AlertCompositeQuery(Strict):
    queries: list[QueryEnvelope] | None  # required (null tolerated by the schema; a rule needs one)
    panelType: PanelType
    queryType: QueryType
    unit: str = ""  # the unit of the queries' values, e.g. "s"; thresholds convert from targetUnit


# --- thresholds -----------------------------------------------------------------------------------


class BasicRuleThreshold(Strict):
    name: str  # the level, e.g. "warning" or "critical"; alerts carry it as their severity
    target: Number | None  # required, nullable in the schema; checks.py requires a number
    matchType: MatchType
    op: CompareOperator
    targetUnit: str = ""
    recoveryTarget: Number | None = None
    channels: list[str] | None = None


class ThresholdBasic(Strict):
    kind: Literal["basic"]
    spec: list[BasicRuleThreshold] | None


# --- evaluation -----------------------------------------------------------------------------------


class RollingWindow(Strict):
    evalWindow: str
    frequency: str


class CumulativeSchedule(Strict):
    type: ScheduleType
    minute: int | None = None
    hour: int | None = None
    day: int | None = None
    weekday: int | None = None


class CumulativeWindow(Strict):
    schedule: CumulativeSchedule
    frequency: str
    timezone: str


class EvaluationRolling(Strict):
    kind: Literal["rolling"]
    spec: RollingWindow


class EvaluationCumulative(Strict):
    kind: Literal["cumulative"]
    spec: CumulativeWindow


Evaluation = Annotated[Union[EvaluationRolling, EvaluationCumulative], Field(discriminator="kind")]


# --- notification settings ------------------------------------------------------------------------


class Renotify(Strict):
    enabled: bool = False
    interval: str = ""
    alertStates: list[AlertState] | None = None


class NotificationSettings(Strict):
    groupBy: list[str] | None = None
    newGroupEvalDelay: str = ""
    renotify: Renotify | None = None
    usePolicy: bool = False


# --- the rule -------------------------------------------------------------------------------------


class RuleCondition(Strict):
    compositeQuery: AlertCompositeQuery
    selectedQueryName: str = ""
    thresholds: ThresholdBasic | None = None
    # v1 fields (a single target on the condition); v2alpha1 rules use `thresholds` instead.
    op: CompareOperator | None = None
    matchType: MatchType | None = None
    target: Number | None = None
    targetUnit: str = ""
    absentFor: Annotated[int, Field(ge=0)] = 0
    alertOnAbsent: bool = False
    requireMinPoints: bool = False
    requiredNumPoints: int = 0
    algorithm: str = ""
    seasonality: Seasonality | None = None

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.condition(self))
        return self


class PostableRule(Strict):
    """POST /api/v2/rules (and PUT /api/v2/rules/{id}) body."""

    alert: str
    alertType: AlertType
    ruleType: RuleType
    condition: RuleCondition
    version: str = ""
    schemaVersion: str = ""
    description: str = ""
    disabled: bool = False
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    evaluation: Evaluation | None = None
    notificationSettings: NotificationSettings | None = None
    preferredChannels: list[str] | None = None
    # v1 evaluation fields; v2alpha1 rules use `evaluation`.
    evalWindow: str = ""
    frequency: str = ""
    source: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.rule(self))
        return self
