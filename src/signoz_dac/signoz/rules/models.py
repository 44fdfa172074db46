"""The SigNoz alert-rule schema: `PostableRule` and what it references (v0.138 `ruletypes`).

SigNoz decodes a rule leniently (plain `json.Unmarshal`: unknown keys are ignored, so these models
are `Lenient` and keep them aside), but the query-builder specs inside `compositeQuery` strictly:
those are the same `querybuildertypesv5` types a dashboard panel carries, from `signoz.v6.queries`.

Two stages, as in SigNoz:
- decode (`PostableRule.UnmarshalJSON`, which every read runs too): `condition` present, `version`
  v5, label and annotation names and templates, thresholds and the evaluation window;
- validate (`PostableRule.Validate`, on POST and PUT): everything else (checks.py).
A field's default is what SigNoz's Go struct holds when the field is absent; the defaults a read
re-applies (version, schemaVersion, ruleType, the v1 windows) are in `stored_rule`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, PlainValidator, ValidationInfo, model_validator

from signoz_dac.signoz.v6.base import (
    Lenient,
    Number,
    Strict,
    decoding_only,
    enum,
    go_duration_seconds,
    raise_issues,
    value_error,
)
from signoz_dac.signoz.v6.queries import (
    BuilderQueryEnvelope,
    ClickHouseEnvelope,
    FormulaEnvelope,
    JoinEnvelope,
    PromQLEnvelope,
    TraceOperatorEnvelope,
    TracesBuilderQuery,
)

from . import checks


def _text_duration(v: Any) -> Any:
    # SigNoz's TextDuration: a duration string keeps its text; a JSON number is nanoseconds.
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise value_error('must be a duration such as "5m", or a number of nanoseconds')
    if isinstance(v, str) and v and go_duration_seconds(v) is None:
        raise value_error(f'must be a duration such as "5m" or "1h", got {v!r}')
    return v


TextDuration = Annotated[str | int | float, PlainValidator(_text_duration)]


# --- compositeQuery -------------------------------------------------------------------------------

PanelType = enum(("value", "table", "graph", ""), fold=False)
QueryType = enum(("builder", "clickhouse_sql", "promql", ""), fold=False)


class BuilderAIEnvelope(Strict):
    """`builder_ai_query`: a traces builder query written by SigNoz's assistant."""

    type: Literal["builder_ai_query"]
    spec: TracesBuilderQuery


QueryEnvelope = Annotated[
    BuilderQueryEnvelope | BuilderAIEnvelope | FormulaEnvelope | TraceOperatorEnvelope | JoinEnvelope | PromQLEnvelope | ClickHouseEnvelope,
    Field(discriminator="type"),
]


class AlertCompositeQuery(Lenient):
    OMIT_EMPTY = frozenset({"unit"})

    queries: list[QueryEnvelope] | None = None
    panelType: PanelType = ""  # type: ignore[valid-type]  # enum() builds an Annotated str at run time
    queryType: QueryType = ""  # type: ignore[valid-type]  # (as above)
    unit: str = ""  # the unit of the queries' values, e.g. "s"; thresholds convert from targetUnit


# --- thresholds -----------------------------------------------------------------------------------


class BasicRuleThreshold(Lenient):
    """One level: SigNoz writes every field back, `recoveryTarget` and `channels` as null if unset."""

    name: str = ""  # the level, e.g. "warning" or "critical"; alerts carry it as their severity
    target: Number | None = None
    targetUnit: str = ""
    recoveryTarget: Number | None = None
    matchType: str = ""
    op: str = ""
    channels: list[str] | None = None

    @model_validator(mode="after")
    def _decoded(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.threshold(self))
        return self


class ThresholdBasic(Lenient):
    kind: Literal["basic"]
    spec: list[BasicRuleThreshold] | None = None


RuleThresholds = Annotated[ThresholdBasic, Field(discriminator="kind")]


# --- evaluation -----------------------------------------------------------------------------------


class RollingWindow(Lenient):
    evalWindow: str = ""
    frequency: str = ""


class CumulativeSchedule(Lenient):
    OMIT_NULL = frozenset({"minute", "hour", "day", "weekday"})

    type: str = ""
    minute: int | None = None
    hour: int | None = None
    day: int | None = None
    weekday: int | None = None


class CumulativeWindow(Lenient):
    schedule: CumulativeSchedule | None = None
    frequency: str = ""
    timezone: str = ""


class EvaluationRolling(Lenient):
    kind: Literal["rolling"]
    spec: RollingWindow

    @model_validator(mode="after")
    def _decoded(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.rolling(self.spec))
        return self


class EvaluationCumulative(Lenient):
    kind: Literal["cumulative"]
    spec: CumulativeWindow

    @model_validator(mode="after")
    def _decoded(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.cumulative(self.spec))
        return self


Evaluation = Annotated[EvaluationRolling | EvaluationCumulative, Field(discriminator="kind")]


# --- notification settings ------------------------------------------------------------------------


class Renotify(Lenient):
    enabled: bool = False
    interval: str = ""
    alertStates: list[str] | None = None


class NotificationSettings(Lenient):
    """SigNoz writes `usePolicy` always and the rest only when set (`[]` is set)."""

    OMIT_EMPTY = frozenset({"newGroupEvalDelay"})
    OMIT_NULL = frozenset({"groupBy", "renotify"})

    groupBy: list[str] | None = None
    newGroupEvalDelay: str = ""
    renotify: Renotify | None = None
    usePolicy: bool = False


# --- the rule -------------------------------------------------------------------------------------


class RuleCondition(Lenient):
    OMIT_EMPTY = frozenset(
        {"op", "target", "alertOnAbsent", "absentFor", "matchType", "targetUnit", "algorithm", "seasonality",
         "selectedQueryName", "requireMinPoints", "requiredNumPoints", "thresholds"}
    )  # fmt: skip

    compositeQuery: AlertCompositeQuery | None = None
    selectedQueryName: str = ""
    thresholds: RuleThresholds | None = None
    # v1 fields (a single target on the condition); v2alpha1 rules use `thresholds` instead.
    op: str = ""
    matchType: str = ""
    target: Number | None = None
    targetUnit: str = ""
    absentFor: Annotated[int, Field(ge=0)] = 0
    alertOnAbsent: bool = False
    requireMinPoints: bool = False
    requiredNumPoints: int = 0
    algorithm: str = ""
    seasonality: str = ""


class PostableRule(Lenient):
    """POST /api/v2/rules (and PUT /api/v2/rules/{id}) body."""

    OMIT_EMPTY = frozenset(
        {"description", "evalWindow", "frequency", "labels", "annotations", "source", "preferredChannels",
         "evaluation", "schemaVersion", "notificationSettings"}
    )  # fmt: skip

    alert: str = ""
    alertType: str = ""
    ruleType: str = ""
    condition: RuleCondition | None = None
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
    evalWindow: TextDuration = ""
    frequency: TextDuration = ""
    source: str = ""

    @model_validator(mode="after")
    def _rules(self, info: ValidationInfo):  # type: ignore[no-untyped-def]
        issues = checks.decoded(self)
        if not decoding_only(info):
            issues += checks.rule(self)
        raise_issues(issues)
        return self
