"""The voice panels' views as generic models, so one set of templates renders both.

`expand` turns a semantic panel (turn_latency, error_rate, ...) into `PanelView`s and a model
variable into a `VariableView`; here they become the generic panels and variables a definition could
have written itself, with every value set, so they render exactly as they always have. When the
expanders build generic models directly, this module goes away.
"""

from __future__ import annotations

from typing import Any

from signoz_dac.render import views as v
from signoz_dac.definitions.generic.fields import FieldKey, OrderBy
from signoz_dac.definitions.generic.panels import Link, QueryPanel, SqlPanel, Threshold
from signoz_dac.definitions.generic.queries import Aggregation, BuilderQuery, Formula, MetricAggregation, MetricsQuery, SqlQuery
from signoz_dac.definitions.generic.variables import QueryVariable


def panel(view: v.PanelView) -> QueryPanel | SqlPanel:
    options: dict[str, Any] = {"kind": view.kind, "id": view.key, "title": view.title, "description": view.description}
    if view.unit is not None:
        options["unit"] = view.unit
    if view.decimals is not None:
        options["decimals"] = view.decimals
    if view.kind == "time_series":
        unit = {"unit": view.unit} if view.unit is not None else {}
        options["thresholds"] = [Threshold(value=t.value, color=t.color, label=t.label, **unit) for t in view.thresholds]
    elif view.kind == "number":
        options["thresholds"] = [Threshold(value=t.value, color=t.color) for t in view.thresholds]
    if view.kind == "table":
        options["column_units"] = dict(sorted(view.column_units.items()))
    if view.kind == "list":
        options["select_fields"] = [field_key(f) for f in view.select_fields]
    if view.links:
        options["links"] = [Link(name=link.name, url=link.url, tooltip=link.tooltip) for link in view.links]
    if view.query.sql is not None:
        return SqlPanel(type="sql", queries=[SqlQuery(name="A", sql=view.query.sql, legend=view.query.legend)], **options)
    return QueryPanel(type="query", queries=entries(view.query), **options)


def entries(query: v.Query) -> list[Any]:
    return [*(builder(b) for b in query.builders), *(Formula(name=f.name, formula=f.expression, legend=f.legend) for f in query.formulas)]


def builder(b: v.Builder) -> BuilderQuery | MetricsQuery:
    options: dict[str, Any] = {
        "name": b.name, "signal": b.signal, "disabled": b.disabled, "filter": b.filter,
        "group_by": [field_key(f) for f in b.group_by],
        "order": [OrderBy(key=FieldKey(name=key), direction=direction) for key, direction in b.order],
        "legend": b.legend,
    }
    if b.step is not None:
        options["step"] = b.step
    if b.select_fields:
        options["select_fields"] = [field_key(f) for f in b.select_fields]
    if b.limit is not None:
        options["limit"] = b.limit
    if b.signal == "metrics":
        return MetricsQuery(aggregations=[_metric(a) for a in b.aggregations], **options)  # type: ignore[arg-type]
    return BuilderQuery(aggregations=[_expression(a) for a in b.aggregations], **options)  # type: ignore[arg-type]


def _metric(a: v.MetricAggregation) -> MetricAggregation:
    time = {"time_aggregation": a.time} if a.time else {}
    return MetricAggregation(metric=a.metric, space_aggregation=a.space, **time)


def _expression(a: v.Aggregation) -> Aggregation:
    alias = {"alias": a.alias} if a.alias else {}
    return Aggregation(expression=a.expression, **alias)


def field_key(f: v.Field) -> FieldKey:
    return FieldKey(name=f.name, signal=f.signal, context=f.context, type=f.data_type)


def variable(view: v.VariableView) -> QueryVariable:
    """A model variable (the only kind `expand` still builds a view for): a query variable."""
    return QueryVariable(
        kind="query", name=view.name, title=view.title, description=view.description, allow_all=view.allow_all,
        multiple=view.multiple, sql=view.sql,
    )
