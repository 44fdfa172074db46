"""The queries of a generic panel: builder queries, formulas, trace operators, PromQL and ClickHouse SQL.

A panel holds a list of them. Each entry says what it is by the key it carries:

    - {name: A, signal: traces, aggregations: [count()], filter: "name = 'llm'"}   # builder query
    - {name: F1, formula: A / B}                                                  # formula
    - {name: T1, trace_operator: A => B}                                          # trace operator
    - {name: A, promql: "sum(rate(http_requests_total[5m]))"}                     # PromQL
    - {name: A, sql: "SELECT ..."}                                                # ClickHouse SQL

Several entries render inside one `signoz/CompositeQuery` (SigNoz's UI drops a formula that is not
in one); a lone entry renders as its own query plugin unless the panel says `composite: true`.
Option names follow SigNoz's query builder in snake_case; short text forms are accepted where they
read naturally (`count()` for an aggregation, `timestamp desc` for an order, `timeShift(3600)` for a
function).
"""

from __future__ import annotations

import ast
import re
from typing import Annotated, Any

from pydantic import Discriminator, Tag

from signoz_dac.definitions.generic.fields import Key, Order
from signoz_dac.definitions.generic.model import Omittable, compact, one_of, option

ExpressionSignal = Annotated[str, one_of("traces", "logs")]
MetricsSignal = Annotated[str, one_of("metrics")]
Number = int | float
NumberOrText = int | float | str


class FunctionArg(Omittable):
    style_key = "function_arg"
    name: str = option("name")
    value: NumberOrText = option("value")


class Function(Omittable):
    """A post-processing function: `timeShift(3600)`, `fillZero`, or `{name, args: [...]}`."""

    style_key = "function"
    name: str = option("name", ...)
    args: list[FunctionArg] | None = option("args")


_CALL = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\((.*)\))?$", re.DOTALL)


def parse_function(text: str) -> dict[str, Any]:
    match = _CALL.match(text.strip())
    if not match:
        raise ValueError(f"a function is 'name' or 'name(arg, ...)', got {text!r}")
    name, inner = match.groups()
    if inner is None:
        return {"name": name}
    if not inner.strip():
        return {"name": name, "args": []}
    try:
        values = ast.literal_eval(f"({inner},)")
    except (ValueError, SyntaxError):
        raise ValueError(f"function arguments are numbers or quoted strings, got {inner!r}") from None
    return {"name": name, "args": [{"value": v} for v in values]}


def function_text(function: Function) -> str | None:
    if function.omit or function.model_fields_set - {"name", "args"}:
        return None
    if "args" not in function.model_fields_set:
        text = function.name
    elif function.args is None:
        return None
    else:
        if any(a.omit or a.model_fields_set != {"value"} or isinstance(a.value, bool) for a in function.args):
            return None
        text = f"{function.name}({', '.join(repr(a.value) for a in function.args)})"
    return text if _same(parse_function(text), function) else None


def _same(parsed: dict[str, Any], function: Function) -> bool:
    return Function.model_validate(parsed).model_dump(exclude_unset=True) == function.model_dump(exclude_unset=True)


Func = Annotated[Function, compact(parse_function)]


class LimitBy(Omittable):
    style_key = "limit_by"
    keys: list[str] | None = option("keys")
    value: str = option("value")


class Aggregation(Omittable):
    """A trace or log aggregation: `p95(duration_nano)`, or `{expression, alias}`."""

    style_key = "aggregation"
    expression: str = option("expression")
    alias: str = option("alias")


def parse_aggregation(text: str) -> dict[str, Any]:
    return {"expression": text}


def aggregation_text(aggregation: Aggregation) -> str | None:
    return aggregation.expression if aggregation.model_fields_set == {"expression"} and not aggregation.omit else None


Agg = Annotated[Aggregation, compact(parse_aggregation)]


class Comparison(Omittable):
    style_key = "comparison"
    operator: str = option("operator", ...)
    threshold: Number = option("threshold", ...)


class MetricAggregation(Omittable):
    """A metric aggregation: `{metric, time_aggregation, space_aggregation, temporality, reduce_to}`."""

    style_key = "metric_aggregation"
    metric: str = option("metricName")
    time_aggregation: str = option("timeAggregation")
    space_aggregation: str = option("spaceAggregation")
    temporality: str = option("temporality")
    reduce_to: str = option("reduceTo")
    comparison: Comparison = option("comparisonSpaceAggregationParam")


class SecondaryAggregation(Omittable):
    style_key = "secondary_aggregation"
    expression: str = option("expression")
    alias: str = option("alias")
    step: NumberOrText = option("stepInterval")
    group_by: list[Key] | None = option("groupBy")
    order: list[Order] | None = option("order")
    limit: int = option("limit")
    limit_by: LimitBy = option("limitBy")


class _Query(Omittable):
    name: str = option("name")
    disabled: bool = option("disabled")
    legend: str = option("legend")


class _Builder(_Query):
    """What builder queries and trace operators share."""

    filter: str = option("filter.expression")
    group_by: list[Key] | None = option("groupBy")
    order: list[Order] | None = option("order")
    select_fields: list[Key] | None = option("selectFields")
    limit: int = option("limit")
    offset: int = option("offset")
    cursor: str = option("cursor")
    having: str = option("having.expression")
    step: NumberOrText = option("stepInterval")
    functions: list[Func] | None = option("functions")


class _SignalQuery(_Builder):
    """What builder queries on traces, logs and metrics share (their signal and aggregations differ)."""

    style_key = "builder"
    source: str = option("source")
    limit_by: LimitBy = option("limitBy")
    secondary_aggregations: list[SecondaryAggregation] | None = option("secondaryAggregations")


class BuilderQuery(_SignalQuery):
    """A query-builder query on traces or logs: aggregations are expressions such as `count()`."""

    signal: ExpressionSignal = option("signal", ...)
    aggregations: list[Agg] | None = option("aggregations")


class MetricsQuery(_SignalQuery):
    """A query-builder query on metrics: aggregations name a metric and how to aggregate it."""

    signal: MetricsSignal = option("signal", ...)
    aggregations: list[MetricAggregation] | None = option("aggregations")


class Formula(_Query):
    """A formula over the panel's other queries: `{name: F1, formula: A / B}`."""

    style_key = "formula"
    formula: str = option("expression", ...)
    order: list[Order] | None = option("order")
    limit: int = option("limit")
    having: str = option("having.expression")
    functions: list[Func] | None = option("functions")


class TraceOperator(_Builder):
    """A trace operator over the panel's trace queries: `{name: T1, trace_operator: A => B}`."""

    style_key = "trace_operator"
    trace_operator: str = option("expression", ...)
    return_spans_from: str = option("returnSpansFrom")
    aggregations: list[Agg] | None = option("aggregations")


class PromQLQuery(_Query):
    style_key = "promql"
    promql: str = option("query", ...)
    step: NumberOrText = option("step")
    stats: bool = option("stats")


class SqlQuery(_Query):
    style_key = "sql"
    sql: str = option("query", ...)


ENTRY_KEYS = ("signal", "formula", "trace_operator", "promql", "sql")


def entry_tag(value: Any) -> str | None:
    """Which kind of query an entry is, from the key it carries (None: none of them)."""
    if isinstance(value, Omittable):
        return _TAGS[type(value)]
    if not isinstance(value, dict):
        return None
    found = [k for k in ENTRY_KEYS if k in value]
    if len(found) != 1:
        return None
    if found[0] == "signal":
        return "metrics" if str(value["signal"]).strip().lower() == "metrics" else "builder"
    return found[0]


Entry = Annotated[
    Annotated[BuilderQuery, Tag("builder")]
    | Annotated[MetricsQuery, Tag("metrics")]
    | Annotated[Formula, Tag("formula")]
    | Annotated[TraceOperator, Tag("trace_operator")]
    | Annotated[PromQLQuery, Tag("promql")]
    | Annotated[SqlQuery, Tag("sql")],
    Discriminator(
        entry_tag,
        custom_error_type="query_kind",
        custom_error_message="a query needs exactly one of: signal (a builder query), formula, trace_operator, promql, sql",
    ),
]
ENTRY_TYPES: dict[str, type[Omittable]] = {
    "builder": BuilderQuery, "metrics": MetricsQuery, "formula": Formula, "trace_operator": TraceOperator,
    "promql": PromQLQuery, "sql": SqlQuery,
}
_TAGS = {cls: tag for tag, cls in ENTRY_TYPES.items()}
# The composite envelope `type` SigNoz gives each kind of entry.
ENVELOPE_TYPES: dict[str, str] = {
    "builder": "builder_query", "metrics": "builder_query", "formula": "builder_formula",
    "trace_operator": "builder_trace_operator", "promql": "promql", "sql": "clickhouse_sql",
}
# The query plugin a lone entry renders as.
PLUGIN_KINDS: dict[str, str] = {
    "builder": "signoz/BuilderQuery", "metrics": "signoz/BuilderQuery", "formula": "signoz/Formula",
    "trace_operator": "signoz/TraceOperator", "promql": "signoz/PromQLQuery", "sql": "signoz/ClickHouseSQL",
}
