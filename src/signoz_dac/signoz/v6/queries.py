"""Panel queries: the `{kind, spec:{name, plugin}}` envelope and its query plugins.

Mirrors `DashboardtypesQuery` / `DashboardtypesQueryPlugin` and the querybuildertypesv5 specs they
carry (the same specs sit in an alert rule's `compositeQuery`). Plugins are a discriminated union
on `kind`; builder queries on `signal`; composite sub-queries on `type`. These models decode, as
SigNoz's decoder does (unknown fields, types, step intervals); what SigNoz checks when it validates
a query depends on the request type, so it lives in `query_checks.py`, which the panel and the
rule run with their request type.

Optional fields default to the Go zero value the server would see; `OMIT_EMPTY` lists the fields
Go leaves out of what it writes back when they are empty.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import Field

from .base import NOT_NULL, Lenient, Number, NumberOrString, Step, Strict
from .enums import (
    FieldContext,
    FieldDataType,
    FunctionName,
    OrderDirection,
    ReduceTo,
    RequestType,
    SpaceAggregation,
    TelemetrySignal,
    Temporality,
    TimeAggregation,
    field_context,
    field_data_type,
)

_KEY_OPTIONAL = frozenset({"description", "unit", "signal", "fieldContext", "fieldDataType"})


class _FieldKeyBase(Strict):
    """TelemetryFieldKey."""

    OMIT_EMPTY = _KEY_OPTIONAL

    name: str
    description: str = ""
    unit: str = ""
    signal: TelemetrySignal = ""
    fieldContext: FieldContext = ""
    fieldDataType: FieldDataType = ""


_KEY_DATA_TYPES = ("string", "bool", "number", "float64", "int64")


def normalise_key(name: str, context: str = "", data_type: str = "") -> tuple[str, str, str]:
    """A builder key as SigNoz normalises it on decode: (name, field context, data type).

    `resource.service.name` is `service.name` in context `resource`, `tag.x` is `x` in context
    `attribute`, and `x:string` is `x` of data type `string`, when the context or the type was not
    given separately. Contexts and types come back in their stored spelling.
    """
    context, data_type = field_context(context.strip().lower()), field_data_type(data_type.strip().lower())
    if not context and "." in name:
        prefix, rest = name.split(".", 1)
        if rest and field_context(prefix.strip().lower()):
            context, name = field_context(prefix.strip().lower()), rest
    if not data_type and ":" in name:
        rest, suffix = name.rsplit(":", 1)
        if rest and suffix.strip().lower() in _KEY_DATA_TYPES:
            data_type, name = field_data_type(suffix.strip().lower()), rest
    return name, context, data_type


class FieldKey(_FieldKeyBase):
    """A key in a builder query (group-by, order-by, selected field), normalised as SigNoz does."""

    def stored_fields(self, data: dict[str, Any]) -> dict[str, Any]:
        data["name"], data["fieldContext"], data["fieldDataType"] = normalise_key(
            self.name, self.fieldContext, self.fieldDataType
        )
        return data


class Filter(Strict):
    expression: str = ""


class Having(Strict):
    expression: str = ""


class FunctionArg(Strict):
    OMIT_EMPTY = frozenset({"name"})

    name: str = ""
    value: NumberOrString = ""


class Function(Strict):
    OMIT_EMPTY = frozenset({"args"})

    name: FunctionName
    args: list[FunctionArg] | None = None


class OrderBy(Strict):
    key: FieldKey
    direction: OrderDirection = ""


class LimitBy(Strict):
    keys: list[str] | None = None
    value: str = ""


class ExpressionAggregation(Strict):
    """A trace or log aggregation such as `p95(duration_nano)`."""

    OMIT_EMPTY = frozenset({"alias"})

    expression: str = ""
    alias: str = ""


class ComparisonSpaceAggregationParam(Strict):
    operator: str
    threshold: Number


class MetricAggregation(Strict):
    OMIT_EMPTY = frozenset({"temporality", "timeAggregation", "spaceAggregation", "comparisonSpaceAggregationParam", "reduceTo"})

    metricName: str = ""
    temporality: Temporality = ""
    timeAggregation: TimeAggregation = ""
    spaceAggregation: Annotated[SpaceAggregation | None, NOT_NULL] = None
    comparisonSpaceAggregationParam: Annotated[ComparisonSpaceAggregationParam | None, NOT_NULL] = None
    reduceTo: Annotated[ReduceTo | None, NOT_NULL] = None


class SecondaryAggregation(Strict):
    OMIT_EMPTY = frozenset({"expression", "alias", "stepInterval", "groupBy", "order", "limit", "limitBy"})

    expression: str = ""
    alias: str = ""
    stepInterval: Step = 0
    groupBy: list[FieldKey] | None = None
    order: list[OrderBy] | None = None
    limit: int = 0
    limitBy: LimitBy | None = None


_BUILDER_OPTIONAL = frozenset(
    {"stepInterval", "source", "aggregations", "disabled", "filter", "groupBy", "order", "selectFields", "limit",
     "limitBy", "offset", "cursor", "having", "secondaryAggregations", "functions", "legend"}
)  # fmt: skip


class _BuilderQueryBase(Strict):
    """QueryBuilderQuery[T] fields shared by the three signals."""

    OMIT_EMPTY = _BUILDER_OPTIONAL

    name: str = ""
    stepInterval: Step = 0
    source: str = ""  # "meter" selects the meter store; SigNoz does not check the value on decode
    disabled: bool = False
    filter: Filter | None = None
    groupBy: list[FieldKey] | None = None
    order: list[OrderBy] | None = None
    selectFields: list[FieldKey] | None = None
    limit: int = 0
    limitBy: LimitBy | None = None
    offset: int = 0
    cursor: str = ""
    having: Having | None = None
    secondaryAggregations: list[SecondaryAggregation] | None = None
    functions: list[Function] | None = None
    legend: str = ""


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

    OMIT_EMPTY = frozenset({"disabled", "order", "limit", "having", "functions", "legend"})

    name: str = ""
    expression: str = ""
    disabled: bool = False
    order: list[OrderBy] | None = None
    limit: int = 0
    having: Having | None = None
    functions: list[Function] | None = None
    legend: str = ""


class TraceOperator(Strict):
    OMIT_EMPTY = frozenset(
        {"disabled", "filter", "returnSpansFrom", "order", "aggregations", "stepInterval", "groupBy", "having",
         "selectFields", "functions", "limit", "offset", "cursor", "legend"}
    )  # fmt: skip

    name: str = ""
    disabled: bool = False
    expression: str = ""
    filter: Filter | None = None
    returnSpansFrom: str = ""
    order: list[OrderBy] | None = None
    aggregations: list[ExpressionAggregation] | None = None
    stepInterval: Step = 0
    groupBy: list[FieldKey] | None = None
    having: Having | None = None
    selectFields: list[FieldKey] | None = None
    functions: list[Function] | None = None
    limit: int = 0
    offset: int = 0
    cursor: str = ""
    legend: str = ""


class QueryRef(Strict):
    name: str = ""


class Join(Strict):
    """QueryBuilderJoin: two queries joined `on` an expression. SigNoz accepts it in a composite
    query (an alert rule's); no dashboard panel allows it."""

    OMIT_EMPTY = frozenset(
        {"disabled", "aggregations", "selectFields", "filter", "groupBy", "having", "secondaryAggregations", "order",
         "limit", "functions"}
    )  # fmt: skip

    name: str = ""
    disabled: bool = False
    left: QueryRef | None = None
    right: QueryRef | None = None
    type: str = ""
    on: str = ""
    aggregations: list[Any] | None = None
    selectFields: list[FieldKey] | None = None
    filter: Filter | None = None
    groupBy: list[FieldKey] | None = None
    having: Having | None = None
    secondaryAggregations: list[SecondaryAggregation] | None = None
    order: list[OrderBy] | None = None
    limit: int = 0
    functions: list[Function] | None = None


class PromQuery(Strict):
    OMIT_EMPTY = frozenset({"disabled", "step", "stats", "legend"})

    name: str = ""
    query: str = ""
    disabled: bool = False
    step: Step = 0
    stats: bool = False
    legend: str = ""


class ClickHouseQuery(Strict):
    OMIT_EMPTY = frozenset({"disabled", "legend"})

    name: str = ""
    query: str = ""
    disabled: bool = False
    legend: str = ""


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


class JoinEnvelope(Strict):
    type: Literal["builder_join"]
    spec: Join


class PromQLEnvelope(Strict):
    type: Literal["promql"]
    spec: PromQuery


class ClickHouseEnvelope(Strict):
    type: Literal["clickhouse_sql"]
    spec: ClickHouseQuery


QueryEnvelope = Annotated[
    Union[BuilderQueryEnvelope, FormulaEnvelope, TraceOperatorEnvelope, JoinEnvelope, PromQLEnvelope, ClickHouseEnvelope],
    Field(discriminator="type"),
]


class CompositeQuery(Strict):
    """querybuildertypesv5 CompositeQuery; `queries` is the only field SigNoz allows here."""

    queries: list[QueryEnvelope] | None = None


# --- the query plugin union and the panel query envelope ---------------------------------------
# The `{kind, spec}` plugin envelopes are lenient: SigNoz ignores other keys beside kind and spec.


class BuilderQueryPlugin(Lenient):
    kind: Literal["signoz/BuilderQuery"]
    spec: BuilderQuery


class CompositeQueryPlugin(Lenient):
    kind: Literal["signoz/CompositeQuery"]
    spec: CompositeQuery


class FormulaPlugin(Lenient):
    kind: Literal["signoz/Formula"]
    spec: Formula


class PromQLPlugin(Lenient):
    kind: Literal["signoz/PromQLQuery"]
    spec: PromQuery


class ClickHousePlugin(Lenient):
    kind: Literal["signoz/ClickHouseSQL"]
    spec: ClickHouseQuery


class TraceOperatorPlugin(Lenient):
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
    OMIT_EMPTY = frozenset({"name"})

    name: str = ""
    plugin: QueryPlugin


class Query(Strict):
    """A panel query. `kind` is the request type; SigNoz picks its query checks from it. Those
    checks run from Panel (checks.panel), so they are reported together with the panel's own."""

    kind: RequestType
    spec: QuerySpec
