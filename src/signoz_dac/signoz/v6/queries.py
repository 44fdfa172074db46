"""Panel queries: the `{kind, spec:{name, plugin}}` envelope and its query plugins.

Mirrors `DashboardtypesQuery` / `DashboardtypesQueryPlugin` and the querybuildertypesv5 specs
they carry. Plugins are a discriminated union on `kind`; builder queries on `signal`; composite
sub-queries on `type`. Optional fields default to the Go zero value the server would see.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from . import rules
from .base import NOT_NULL, Number, NumberOrString, Step, Strict, checked, raise_issues
from .enums import (
    FUNCTION_NAMES,
    FieldContext,
    FieldDataType,
    OrderDirection,
    ReduceTo,
    RequestType,
    Source,
    SpaceAggregation,
    TelemetrySignal,
    Temporality,
    TimeAggregation,
)


class FieldKey(Strict):
    """TelemetryFieldKey; also the shape of group-by and order-by keys."""

    name: str
    description: str = ""
    unit: str = ""
    signal: TelemetrySignal = ""
    fieldContext: FieldContext = ""
    fieldDataType: FieldDataType = ""


class Filter(Strict):
    expression: str = ""


class Having(Strict):
    expression: str = ""


class FunctionArg(Strict):
    name: str = ""
    value: NumberOrString = ""


def _function_name(name: str) -> str | None:
    if name.lower() in FUNCTION_NAMES:
        return None
    return f"unknown function {name!r}; must be one of: {', '.join(sorted(FUNCTION_NAMES))}"


class Function(Strict):
    name: Annotated[str, checked(_function_name)]
    args: list[FunctionArg] | None = None


class OrderBy(Strict):
    key: FieldKey
    direction: OrderDirection


class LimitBy(Strict):
    keys: list[str] | None = None
    value: str = ""


class ExpressionAggregation(Strict):
    """A trace or log aggregation: one function call such as `p95(duration_nano)`."""

    expression: str = ""
    alias: str = ""


class ComparisonSpaceAggregationParam(Strict):
    operator: str
    threshold: Number


class MetricAggregation(Strict):
    metricName: str = ""
    temporality: Temporality = ""
    timeAggregation: TimeAggregation = ""
    spaceAggregation: Annotated[SpaceAggregation | None, NOT_NULL] = None  # required by a rule
    comparisonSpaceAggregationParam: Annotated[ComparisonSpaceAggregationParam | None, NOT_NULL] = None
    reduceTo: Annotated[ReduceTo | None, NOT_NULL] = None  # required for scalar, by a rule


class SecondaryAggregation(Strict):
    expression: str = ""
    alias: str = ""
    stepInterval: Step = 0
    groupBy: list[FieldKey] | None = None
    order: list[OrderBy] | None = None
    limit: int = 0
    limitBy: LimitBy = Field(default_factory=LimitBy)


class _BuilderQueryBase(Strict):
    """QueryBuilderQuery[T] fields shared by the three signals."""

    name: str = ""
    stepInterval: Step = 0
    source: Source = ""
    disabled: bool = False
    filter: Filter = Field(default_factory=Filter)
    groupBy: list[FieldKey] | None = None
    order: list[OrderBy] | None = None
    selectFields: list[FieldKey] | None = None
    limit: int = 0
    limitBy: LimitBy = Field(default_factory=LimitBy)
    offset: int = 0
    cursor: str = ""
    having: Having = Field(default_factory=Having)
    secondaryAggregations: list[SecondaryAggregation] | None = None
    functions: list[Function] | None = None
    legend: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.builder_query(self))
        return self


class TracesBuilderQuery(_BuilderQueryBase):
    signal: Literal["traces"]
    aggregations: list[ExpressionAggregation] | None = None


class LogsBuilderQuery(_BuilderQueryBase):
    signal: Literal["logs"]
    aggregations: list[ExpressionAggregation] | None = None


class MetricsBuilderQuery(_BuilderQueryBase):
    signal: Literal["metrics"]
    aggregations: list[MetricAggregation] | None = None


BuilderQuery = Annotated[
    Union[TracesBuilderQuery, LogsBuilderQuery, MetricsBuilderQuery], Field(discriminator="signal")
]


class Formula(Strict):
    """QueryBuilderFormula: `expression` over the names of the other queries, e.g. "A / (A+B)"."""

    name: str = ""
    expression: str = ""
    disabled: bool = False
    order: list[OrderBy] | None = None
    limit: int = 0
    having: Having = Field(default_factory=Having)
    functions: list[Function] | None = None
    legend: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.formula(self))
        return self


class TraceOperator(Strict):
    name: str = ""
    disabled: bool = False
    expression: str = ""
    filter: Filter = Field(default_factory=Filter)
    returnSpansFrom: str = ""
    order: list[OrderBy] | None = None
    aggregations: list[ExpressionAggregation] | None = None
    stepInterval: Step = 0
    groupBy: list[FieldKey] | None = None
    having: Having = Field(default_factory=Having)
    selectFields: list[FieldKey] | None = None
    functions: list[Function] | None = None
    limit: int = 0
    offset: int = 0
    cursor: str = ""
    legend: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.trace_operator(self))
        return self


class PromQuery(Strict):
    name: str = ""
    query: str = ""
    disabled: bool = False
    step: Step = 0
    stats: bool = False
    legend: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.text_query(self, "PromQL"))
        return self


class ClickHouseQuery(Strict):
    name: str = ""
    query: str = ""
    disabled: bool = False
    legend: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.text_query(self, "ClickHouse SQL"))
        return self


# --- composite query: a list of typed envelopes -----------------------------------------------


class BuilderQueryEnvelope(Strict):
    type: Literal["builder_query"]
    spec: BuilderQuery


class FormulaEnvelope(Strict):
    type: Literal["builder_formula"]
    spec: Formula


class TraceOperatorEnvelope(Strict):
    type: Literal["builder_trace_operator"]
    spec: TraceOperator


class PromQLEnvelope(Strict):
    type: Literal["promql"]
    spec: PromQuery


class ClickHouseEnvelope(Strict):
    type: Literal["clickhouse_sql"]
    spec: ClickHouseQuery


QueryEnvelope = Annotated[
    Union[BuilderQueryEnvelope, FormulaEnvelope, TraceOperatorEnvelope, PromQLEnvelope, ClickHouseEnvelope],
    Field(discriminator="type"),
]


class CompositeQuery(Strict):
    queries: list[QueryEnvelope] | None = None

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.composite(self))
        return self


# --- the query plugin union and the panel query envelope ---------------------------------------


class BuilderQueryPlugin(Strict):
    kind: Literal["signoz/BuilderQuery"]
    spec: BuilderQuery


class CompositeQueryPlugin(Strict):
    kind: Literal["signoz/CompositeQuery"]
    spec: CompositeQuery


class FormulaPlugin(Strict):
    kind: Literal["signoz/Formula"]
    spec: Formula


class PromQLPlugin(Strict):
    kind: Literal["signoz/PromQLQuery"]
    spec: PromQuery


class ClickHousePlugin(Strict):
    kind: Literal["signoz/ClickHouseSQL"]
    spec: ClickHouseQuery


class TraceOperatorPlugin(Strict):
    kind: Literal["signoz/TraceOperator"]
    spec: TraceOperator


QueryPlugin = Annotated[
    Union[
        BuilderQueryPlugin,
        CompositeQueryPlugin,
        FormulaPlugin,
        PromQLPlugin,
        ClickHousePlugin,
        TraceOperatorPlugin,
    ],
    Field(discriminator="kind"),
]


class QuerySpec(Strict):
    name: str = ""
    plugin: QueryPlugin


class Query(Strict):
    """A panel query. `kind` is the request type; the server picks its checks from it. Those
    checks run from Panel (rules.panel), so they are reported together with the panel's own."""

    kind: RequestType
    spec: QuerySpec
