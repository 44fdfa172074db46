"""What SigNoz checks when it validates a query (`CompositeQuery.Validate` with the options of a
request type, querybuildertypesv5/validation.go), for dashboard panels and alert rules alike.

A panel's query is checked with the request type of its `kind`; an alert rule's with
`time_series`. Dashboards add one check of their own: a logs or traces aggregation must be a
single select item (`count(), sum(x)` is two), which alert rules do not run.

Every function returns `(path, message)` pairs, the path relative to the spec it was given.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.expressions import (
    FormulaSyntaxError,
    aggregation_problem,
    formula_references,
    rule_aggregation_problem,
)

from .base import RelIssue
from .decode import issues_from_validation_error
from .enums import FUNCTION_NAMES, NUMERIC_ARGUMENT_FUNCTIONS, ORDER_DIRECTIONS, REDUCE_TO, SPACE_AGGREGATIONS
from .queries import CompositeQuery, normalise_key

MAX_LIMIT = 10_000
# Request types whose aggregation, group-by and order-by checks run; raw, raw_stream and trace skip them.
AGGREGATING = frozenset({"time_series", "scalar", "distribution"})
# Trace fields a raw list may not select (they are computed, not stored).
NOT_SELECTABLE = frozenset({"isRoot", "isEntryPoint"})


def plugin(kind: str, spec: Any, request_type: str, *, dashboard: bool) -> list[RelIssue]:
    """A panel query plugin's spec (`signoz/BuilderQuery`, `signoz/CompositeQuery`, ...)."""
    if kind == "signoz/BuilderQuery":
        return builder(spec, request_type, dashboard=dashboard)
    if kind == "signoz/CompositeQuery":
        return composite(spec, request_type, dashboard=dashboard)
    if kind == "signoz/Formula":
        return formula(spec)
    if kind == "signoz/TraceOperator":
        return trace_operator(spec)
    return text_query(spec, "PromQL" if kind == "signoz/PromQLQuery" else "ClickHouse SQL")


def composite(c: Any, request_type: str, *, dashboard: bool) -> list[RelIssue]:
    envelopes = c.queries or []
    if not envelopes:
        return [("queries", "at least one query is required")]
    issues: list[RelIssue] = []
    builders: dict[str, int] = {}
    for i, env in enumerate(envelopes):
        path = f"queries[{i}].spec"
        if env.type == "builder_query":
            name = env.spec.name
            if name in builders:
                issues.append((f"{path}.name", f"duplicate query name {name!r} (also queries[{builders[name]}])"))
            else:
                builders[name] = i
        issues += [(f"{path}.{sub}" if sub else path, message) for sub, message in envelope(env, request_type, dashboard=dashboard)]
    return issues


def envelope(env: Any, request_type: str, *, dashboard: bool) -> list[RelIssue]:
    """One `{type, spec}` of a composite query, relative to its spec."""
    if env.type in ("builder_query", "builder_ai_query"):
        return builder(env.spec, request_type, dashboard=dashboard)
    if env.type == "builder_formula":
        return formula(env.spec)
    if env.type == "builder_trace_operator":
        return trace_operator(env.spec)
    if env.type == "promql":
        return text_query(env.spec, "PromQL")
    if env.type == "clickhouse_sql":
        return text_query(env.spec, "ClickHouse SQL")
    return []  # builder_join: SigNoz checks nothing more when it validates a query


def builder(q: Any, request_type: str, *, dashboard: bool) -> list[RelIssue]:
    """One builder query (QueryBuilderQuery.Validate), plus the dashboard's single-expression rule."""
    issues: list[RelIssue] = []
    aggregating = request_type in AGGREGATING
    aggs = q.aggregations or []
    if aggregating:
        if not aggs:
            issues.append(("aggregations", f"a {request_type} query needs at least one aggregation"))
        issues += _metric_aggregations(aggs, request_type) if q.signal == "metrics" else _expression_aggregations(aggs, dashboard)
        for i, g in enumerate(q.groupBy or []):
            if not g.name.strip():
                issues.append((f"groupBy[{i}].name", "a group-by key needs a name"))
            elif request_type == "time_series" and normalise_key(g.name, g.fieldContext)[0] == "timestamp":
                issues.append((f"groupBy[{i}].name", "a time_series query cannot group by timestamp"))
        issues += _order_keys(q)
    else:
        for i, f in enumerate(q.selectFields or []):
            if normalise_key(f.name, f.fieldContext)[0] in NOT_SELECTABLE:
                issues.append((f"selectFields[{i}].name", f"{f.name!r} cannot be selected in a {request_type} query"))
    issues += _directions(q.order)
    issues += _limit(q.limit)
    if q.offset < 0:
        issues.append(("offset", f"must not be negative, got {q.offset}"))
    for i, sa in enumerate(q.secondaryAggregations or []):
        if sa.limit < 0:
            issues.append((f"secondaryAggregations[{i}].limit", f"must not be negative, got {sa.limit}"))
    issues += functions(q.functions)
    return issues


def _metric_aggregations(aggs: list[Any], request_type: str) -> list[RelIssue]:
    issues: list[RelIssue] = []
    for i, agg in enumerate(aggs):
        if not agg.metricName.strip():
            issues.append((f"aggregations[{i}].metricName", "a metric aggregation needs a metricName"))
        space = (agg.spaceAggregation or "").strip().lower()
        if not space:
            issues.append((f"aggregations[{i}].spaceAggregation", f"is required: one of {', '.join(SPACE_AGGREGATIONS)}"))
        elif space not in SPACE_AGGREGATIONS:
            issues.append((f"aggregations[{i}].spaceAggregation",
                           f"must be one of: {', '.join(SPACE_AGGREGATIONS)}, got {agg.spaceAggregation!r}"))
        if request_type == "scalar":
            reduce = (agg.reduceTo or "").strip().lower()
            if not reduce:
                issues.append((f"aggregations[{i}].reduceTo",
                               f"reduceTo is required for a scalar metrics query: one of {', '.join(REDUCE_TO)}"))
            elif reduce not in REDUCE_TO:
                issues.append((f"aggregations[{i}].reduceTo",
                               f"invalid reduceTo {agg.reduceTo!r}: one of {', '.join(REDUCE_TO)}"))
    return issues


def _expression_aggregations(aggs: list[Any], dashboard: bool) -> list[RelIssue]:
    # Dashboards also require one SELECT item per expression; alert rules skip that check.
    check = aggregation_problem if dashboard else rule_aggregation_problem
    issues: list[RelIssue] = []
    aliases: dict[str, int] = {}
    for i, agg in enumerate(aggs):
        problem = check(agg.expression)
        if problem:
            issues.append((f"aggregations[{i}].expression", problem))
        if agg.alias:
            if agg.alias in aliases:
                issues.append((f"aggregations[{i}].alias", f"duplicate alias {agg.alias!r} (also aggregations[{aliases[agg.alias]}])"))
            else:
                aliases[agg.alias] = i
    return issues


def _order_keys(q: Any) -> list[RelIssue]:
    """An order key must name a group-by key, an aggregation (by index, alias or expression) or,
    for metrics, `__result` or the aggregation's `space(time(metric))` form; a key may also be
    written `<fieldContext>.<name>`. Keys are compared as SigNoz normalises them."""
    allowed: set[str] = set()
    for g in q.groupBy or []:
        name, context, _ = normalise_key(g.name, g.fieldContext)
        allowed |= {name, f"{context}.{name}"} if context else {name}
    aggs = q.aggregations or []
    allowed |= {str(i) for i in range(len(aggs))}
    for agg in aggs:
        if q.signal == "metrics":
            metric, space, time = agg.metricName, (agg.spaceAggregation or "").lower(), agg.timeAggregation.lower()
            allowed.add("__result")
            if space:
                allowed.add(f"{space}({metric})")
            if time:
                allowed.add(f"{time}({metric})")
            if space and time:
                allowed.add(f"{space}({time}({metric}))")
        else:
            allowed.add(agg.expression)
            if agg.alias:
                allowed.add(agg.alias)
    issues: list[RelIssue] = []
    for i, o in enumerate(q.order or []):
        name, context, _ = normalise_key(o.key.name, o.key.fieldContext)
        if name not in allowed and f"{context}.{name}" not in allowed and o.key.name not in allowed:
            issues.append((f"order[{i}].key.name",
                           f"invalid order by key {o.key.name!r}: use a group-by key, an aggregation expression, alias or index"
                           + (", __result or space(time(metric))" if q.signal == "metrics" else "")))
    return issues


def _directions(order: list[Any] | None) -> list[RelIssue]:
    return [
        (f"order[{i}].direction", f"must be one of: asc, desc, got {o.direction!r}")
        for i, o in enumerate(order or [])
        if o.direction.strip().lower() not in ORDER_DIRECTIONS
    ]


def _limit(limit: int) -> list[RelIssue]:
    if 0 <= limit <= MAX_LIMIT:
        return []
    return [("limit", f"must be between 0 and {MAX_LIMIT}, got {limit}")]


def _is_numeric(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    try:
        float(str(value))
    except ValueError:
        return False
    return True


def functions(funcs: list[Any] | None) -> list[RelIssue]:
    issues: list[RelIssue] = []
    for i, f in enumerate(funcs or []):
        name = f.name.strip().lower()
        if name not in FUNCTION_NAMES:
            issues.append((f"functions[{i}].name", f"unknown function {f.name!r}; must be one of: {', '.join(sorted(FUNCTION_NAMES))}"))
        elif name in NUMERIC_ARGUMENT_FUNCTIONS and not (f.args and _is_numeric(f.args[0].value)):
            issues.append((f"functions[{i}].args", f"{f.name} needs a numeric argument"))
    return issues


def formula(f: Any) -> list[RelIssue]:
    issues: list[RelIssue] = []
    if not f.name.strip():
        issues.append(("name", "a formula needs a name"))
    if not f.expression.strip():
        issues.append(("expression", 'expression cannot be blank: a formula needs one such as "A / B"'))
    else:
        try:
            formula_references(f.expression)
        except FormulaSyntaxError as err:
            issues.append(("expression", f"does not parse: {err} (in {f.expression!r})"))
    return issues + functions(f.functions)


def trace_operator(t: Any) -> list[RelIssue]:
    return [] if t.expression.strip() else [("expression", "expression is required: a trace operator needs one such as \"A => B\"")]


def text_query(q: Any, language: str) -> list[RelIssue]:
    return [] if q.query.strip() else [("query", f"{language} query is required: it must not be empty")]


def parse_composite(body: Any, request_type: str = "time_series", *, decode_only: bool = False, source: str | None = None) -> Any:
    """Decode a composite query (`{"queries": [...]}`) and, unless `decode_only`, validate it as
    SigNoz's `CompositeQuery.Validate` does for `request_type` (without the dashboard-only rule).
    Returns the CompositeQuery model; raises SchemaError with paths relative to the body."""
    if not isinstance(body, dict):
        raise SchemaError([Issue("", f"a composite query must be a JSON object, got {type(body).__name__}")], source)
    try:
        model = CompositeQuery.model_validate(body)
    except ValidationError as err:
        raise SchemaError(issues_from_validation_error(err, body), source) from None
    if not decode_only:
        issues = composite(model, request_type, dashboard=False)
        if issues:
            raise SchemaError([Issue(path, message) for path, message in issues], source)
    return model
