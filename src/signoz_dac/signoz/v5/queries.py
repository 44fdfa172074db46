"""A widget's `query` -> the v6 panel's one query, as SigNoz converts it
(`pkg/types/dashboardtypes/perses_v1_to_v2_queries.go`).

- One query keeps its native plugin (BuilderQuery, PromQLQuery or ClickHouseSQL); several are
  wrapped in a CompositeQuery (builder queries, then formulas, then trace operators). A List keeps
  only its first builder query.
- The query `kind` follows the panel (time_series, scalar or raw).
- v4 leftovers are read the way the v4->v5 migration reads them: `filters.items` become a filter
  expression, flat `aggregateOperator`/`aggregateAttribute` fields an aggregation, `pageSize` a
  List's limit.
- Default fixes: a logs/traces query with no aggregation gets `count()` (not on a List); an
  invalid `spaceAggregation` becomes `sum`; scalar panels get a metric `reduceTo`; an invalid
  order key becomes the aggregation's key (on a List it is dropped); unknown functions, empty
  formulas and empty trace operators are dropped.
- Field keys keep `name`, `fieldContext` and `fieldDataType` (a v4 `tag` context is `attribute`).

Every function reads a v5 dict that has passed `shape.malformed` (types are right, `null` means
absent) and returns new data; the input is never changed.
"""

from __future__ import annotations

import json
from typing import Any, cast

from signoz_dac.signoz.ui import REQUEST_TYPE as PANEL_REQUEST_TYPE
from signoz_dac.signoz.v6.enums import FUNCTION_NAMES, TELEMETRY_SIGNALS, field_context, field_data_type

from .read import as_dict, as_list, as_text, positive
from .vocabulary import AGGREGATION_CALL, REDUCE_TO, SPACE_AGGREGATIONS

LIST = "signoz/ListPanel"
SCALAR_KINDS = frozenset(kind for kind, request in PANEL_REQUEST_TYPE.items() if request == "scalar")



# --- field keys ---------------------------------------------------------------------------------


def field_key(raw: dict[str, Any], *, keep_signal: bool = False) -> dict[str, Any]:
    """A v5 field key (`{name, fieldContext, fieldDataType}` or the v4 `{key, type, dataType}`)."""
    # SigNoz decodes them as it decodes a v6 key: a known context (`tag` is `attribute`), else "";
    # integer and float types as `number`.
    context = as_text(raw.get("fieldContext")) or as_text(raw.get("type"))
    data_type = as_text(raw.get("fieldDataType")) or as_text(raw.get("dataType"))
    signal = as_text(raw.get("signal")) if keep_signal else ""
    return {
        "name": as_text(raw.get("name")) or as_text(raw.get("key")),
        "signal": signal if signal in TELEMETRY_SIGNALS else "",
        "fieldContext": field_context(context.strip().lower()),
        "fieldDataType": field_data_type(data_type.strip().lower()),
    }


# --- aggregations -------------------------------------------------------------------------------


def _unquote(alias: str) -> str:
    return alias[1:-1] if len(alias) >= 2 and alias[0] == alias[-1] and alias[0] in "'\"" else alias


def parse_aggregation(expression: str) -> list[tuple[str, str]]:
    """(call, alias) for every aggregation the v5 UI reads in an expression string."""
    return [(call, _unquote(alias)) for call, alias in AGGREGATION_CALL.findall(expression)]


def _expression_aggregations(qd: dict[str, Any], panel_kind: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for raw in as_list(qd.get("aggregations")):
        raw = as_dict(raw)
        for call, alias in parse_aggregation(as_text(raw.get("expression"))):
            agg = {"expression": call}
            alias = alias or as_text(raw.get("alias"))
            if alias:
                agg["alias"] = alias
            out.append(agg)
    if not out and not as_list(qd.get("aggregations")):
        # v4: the operator and attribute as flat fields (`noop` means "no aggregation").
        operator = as_text(qd.get("aggregateOperator"))
        attribute = as_text(as_dict(qd.get("aggregateAttribute")).get("key"))
        if operator and operator != "noop":
            out.append({"expression": f"{operator}({attribute})"})
    if not out and panel_kind != LIST:
        out.append({"expression": "count()"})
    return out


def _v4_metric(qd: dict[str, Any]) -> dict[str, Any]:
    """A v4 metrics query keeps its metric, temporality and both aggregations as flat fields."""
    if as_list(qd.get("aggregations")) or not as_text(as_dict(qd.get("aggregateAttribute")).get("key")):
        return qd
    flat = {
        "metricName": as_dict(qd.get("aggregateAttribute")).get("key"),
        "temporality": qd.get("temporality"),
        "timeAggregation": qd.get("timeAggregation"),
        "spaceAggregation": qd.get("spaceAggregation"),
    }
    return {**qd, "aggregations": [flat]}


def _metric_aggregations(qd: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for raw in map(as_dict, as_list(qd.get("aggregations"))):
        space = as_text(raw.get("spaceAggregation"))
        agg = {
            "metricName": as_text(raw.get("metricName")),
            "temporality": as_text(raw.get("temporality")),
            "timeAggregation": as_text(raw.get("timeAggregation")),
            "spaceAggregation": space if space in SPACE_AGGREGATIONS else "sum",
        }
        if as_text(raw.get("reduceTo")):
            agg["reduceTo"] = raw["reduceTo"]
        out.append(agg)
    return out


def fold_reduce_to(qd: dict[str, Any]) -> dict[str, Any]:
    """A metrics query's own `reduceTo` moves onto aggregations that have none."""
    reduce_to = as_text(qd.get("reduceTo"))
    if qd.get("dataSource") != "metrics" or not reduce_to:
        return qd
    aggs = [dict(a, reduceTo=reduce_to) if not as_text(as_dict(a).get("reduceTo")) else a for a in as_list(qd.get("aggregations"))]
    return {**qd, "aggregations": aggs}


def _default_reduce_to(agg: dict[str, Any]) -> str:
    space = as_text(agg.get("spaceAggregation"))
    if space.startswith("p") and space[1:].isdigit():  # a percentile reads a histogram
        return "avg"
    if as_text(agg.get("timeAggregation")) in ("rate", "increase"):  # a counter
        return "sum"
    return "last"


def ensure_metric_reduce_to(qd: dict[str, Any], panel_kind: str) -> dict[str, Any]:
    """On a scalar panel (Number, Pie, Table) every metric aggregation needs a valid reduceTo."""
    if qd.get("dataSource") != "metrics" or panel_kind not in SCALAR_KINDS:
        return qd
    aggs = []
    for agg in as_list(qd.get("aggregations")):
        agg = as_dict(agg)
        if as_text(agg.get("reduceTo")) not in REDUCE_TO:
            agg = {**agg, "reduceTo": _default_reduce_to(agg)}
        aggs.append(agg)
    return {**qd, "aggregations": aggs}


# --- filters ------------------------------------------------------------------------------------

_OPERATORS = {
    "=": "=", "==": "=", "eq": "=", "!=": "!=", "neq": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
    "in": "IN", "nin": "NOT IN", "not in": "NOT IN", "like": "LIKE", "nlike": "NOT LIKE",
    "not like": "NOT LIKE", "ilike": "ILIKE", "nilike": "NOT ILIKE", "not ilike": "NOT ILIKE",
    "contains": "CONTAINS", "ncontains": "NOT CONTAINS", "not contains": "NOT CONTAINS",
    "regex": "REGEXP", "nregex": "NOT REGEXP", "not regex": "NOT REGEXP",
    "exists": "EXISTS", "nexists": "NOT EXISTS", "not exists": "NOT EXISTS",
}  # fmt: skip


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    text = str(value if value is not None else "")
    if text.startswith("$"):  # a dashboard variable
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def v4_filter_expression(filters: Any) -> str:
    """A v4 `filters: {op, items}` as one v5 filter expression."""
    parts = []
    for item in as_list(as_dict(filters).get("items")):
        item = as_dict(item)
        key = as_text(as_dict(item.get("key")).get("key"))
        raw_op = as_text(item.get("op")).strip()
        op = _OPERATORS.get(raw_op.lower(), raw_op.upper())
        if not key or not op:
            continue
        value = item.get("value")
        if op.endswith("EXISTS"):
            parts.append(f"{key} {op}")
            continue
        if op.endswith("IN") and not isinstance(value, list) and not str(value).startswith("$"):
            value = [value]
        parts.append(f"{key} {op} {_value(value)}")
    joiner = f" {(as_text(as_dict(filters).get('op')) or 'AND').upper()} "
    text = joiner.join(parts)
    return f"({text})" if len(parts) > 1 else text


# --- order --------------------------------------------------------------------------------------


def value_key(aggregations: list[dict[str, Any]], signal: str) -> str | None:
    """The key SigNoz orders "by the value" with: the first aggregation's canonical form."""
    if not aggregations:
        return None
    first = aggregations[0]
    if signal == "metrics":
        return f"{first['spaceAggregation']}({first['metricName']})"
    return cast(str, first["expression"])


def valid_order_keys(aggregations: list[dict[str, Any]], group_by: list[dict[str, Any]], signal: str) -> set[str]:
    """Order keys the conversion keeps: group-by names, aggregation indices, expressions, aliases,
    `__result`, and for metrics `space(m)`, `time(m)` and `space(time(m))`."""
    keys = {g["name"] for g in group_by} | {"__result"} | {str(i) for i in range(len(aggregations))}
    for agg in aggregations:
        if signal == "metrics":
            metric, space, time = agg["metricName"], agg["spaceAggregation"], agg["timeAggregation"]
            keys.add(f"{space}({metric})")
            if time:
                keys |= {f"{time}({metric})", f"{space}({time}({metric}))"}
        else:
            keys.add(agg["expression"])
            if agg.get("alias"):
                keys.add(agg["alias"])
    return keys


def _direction(raw: Any) -> str:
    direction = as_text(raw).lower()
    return direction if direction in ("asc", "desc") else "asc"


def _order(qd: dict[str, Any], aggregations: list[dict[str, Any]], group_by: list[dict[str, Any]], panel_kind: str) -> list[dict[str, Any]]:
    """Order keys SigNoz keeps; on an aggregation panel any other key becomes the aggregation's
    own key (`#SIGNOZ_VALUE` -> `count()`, a bare metric `m` -> `sum(m)`); a List, which has no
    aggregation to order by, loses it (its `timestamp` order in the official dashboards)."""
    signal = as_text(qd.get("dataSource"))
    valid = valid_order_keys(aggregations, group_by, signal)
    out = []
    for raw in map(as_dict, as_list(qd.get("orderBy"))):
        key = as_text(raw.get("columnName"))
        if key and key not in valid and panel_kind != LIST:
            key = value_key(aggregations, signal) or ""
        if key and key in valid:
            out.append({"key": {"name": key}, "direction": _direction(raw.get("order"))})
    return out


def _plain_order(raw_orders: Any) -> list[dict[str, Any]]:
    return [
        {"key": {"name": as_text(o.get("columnName"))}, "direction": _direction(o.get("order"))}
        for o in map(as_dict, as_list(raw_orders))
        if as_text(o.get("columnName"))
    ]


# --- builder queries ----------------------------------------------------------------------------


def _having(raw: Any) -> dict[str, str]:
    return {"expression": as_text(as_dict(raw).get("expression"))}


def _functions(raw: Any) -> list[dict[str, Any]]:
    out = []
    for fn in map(as_dict, as_list(raw)):
        name = as_text(fn.get("name"))
        if name.lower() not in FUNCTION_NAMES:
            continue
        args = [{"value": a.get("value", "")} if isinstance(a, dict) else {"value": a} for a in as_list(fn.get("args"))]
        out.append({"name": name, "args": args} if args else {"name": name})
    return out


def _filter(qd: dict[str, Any]) -> dict[str, str]:
    expression = as_text(as_dict(qd.get("filter")).get("expression"))
    if not expression:
        expression = v4_filter_expression(qd.get("filters"))
    return {"expression": expression}


def builder_query(qd: dict[str, Any], panel_kind: str, default_name: str, *, in_composite: bool = False) -> dict[str, Any]:
    """One v5 `queryData` entry -> a v6 builder query spec."""
    signal = as_text(qd.get("dataSource"))
    if signal == "metrics":
        qd = ensure_metric_reduce_to(fold_reduce_to(_v4_metric(qd)), panel_kind)
    aggregations = _metric_aggregations(qd) if signal == "metrics" else _expression_aggregations(qd, panel_kind)
    group_by = [field_key(as_dict(g)) for g in as_list(qd.get("groupBy"))]
    spec: dict[str, Any] = {"name": as_text(qd.get("queryName")) or default_name}
    step = qd.get("stepInterval")
    if step is not None or in_composite:
        spec["stepInterval"] = step if step is not None else 0
    spec.update(
        signal=signal,
        source=as_text(qd.get("source")),
        aggregations=aggregations,
        disabled=qd.get("disabled") is True,
        filter=_filter(qd),
        groupBy=group_by,
        order=_order(qd, aggregations, group_by, panel_kind),
    )
    select = [field_key(as_dict(f)) for f in as_list(qd.get("selectColumns"))]
    if select or in_composite:
        spec["selectFields"] = select or None
    limit = positive(qd.get("limit")) or (positive(qd.get("pageSize")) if panel_kind == LIST else None)
    if limit:
        spec["limit"] = limit
    if positive(qd.get("offset")):
        spec["offset"] = positive(qd.get("offset"))
    spec["having"] = _having(qd.get("having"))
    if in_composite:
        spec["secondaryAggregations"] = None
    spec["functions"] = _functions(qd.get("functions"))
    spec["legend"] = as_text(qd.get("legend"))
    return spec


def formula(raw: dict[str, Any], default_name: str) -> dict[str, Any] | None:
    """A v5 formula -> a v6 formula spec; None (dropped) when it has no expression."""
    expression = as_text(raw.get("expression"))
    if not expression.strip():
        return None
    spec: dict[str, Any] = {
        "name": as_text(raw.get("queryName")) or default_name,
        "expression": expression,
        "disabled": raw.get("disabled") is True,
        "order": _plain_order(raw.get("orderBy")) or None,
        "having": _having(raw.get("having")),
        "functions": None,
        "legend": as_text(raw.get("legend")),
    }
    if positive(raw.get("limit")):
        spec["limit"] = positive(raw.get("limit"))
    return spec


def trace_operator(raw: dict[str, Any], default_name: str) -> dict[str, Any] | None:
    """A v5 trace operator -> a v6 trace operator spec; None (dropped) when its expression is empty."""
    expression = as_text(raw.get("expression"))
    if not expression.strip():
        return None
    aggregations = _expression_aggregations(raw, "")
    group_by = [field_key(as_dict(g)) for g in as_list(raw.get("groupBy"))]
    spec: dict[str, Any] = {
        "name": as_text(raw.get("queryName")) or default_name,
        "disabled": raw.get("disabled") is True,
        "expression": expression,
        "filter": _filter(raw),
        "order": _plain_order(raw.get("orderBy")),
        "aggregations": aggregations,
        "groupBy": group_by,
        "having": _having(raw.get("having")),
    }
    if as_text(raw.get("returnSpansFrom")):
        spec["returnSpansFrom"] = raw["returnSpansFrom"]
    if raw.get("stepInterval") is not None:
        spec["stepInterval"] = raw["stepInterval"]
    for field in ("limit", "offset"):
        if positive(raw.get(field)):
            spec[field] = positive(raw.get(field))
    spec["legend"] = as_text(raw.get("legend"))
    return spec


def text_query(raw: dict[str, Any], default_name: str) -> dict[str, Any]:
    """A PromQL or ClickHouse entry keeps only its name, query, disabled flag and legend."""
    return {
        "name": as_text(raw.get("name")) or default_name,
        "query": as_text(raw.get("query")),
        "disabled": raw.get("disabled") is True,
        "legend": as_text(raw.get("legend")),
    }


# --- the widget's query -------------------------------------------------------------------------

_SINGLE = {
    "builder_query": "signoz/BuilderQuery",
    "promql": "signoz/PromQLQuery",
    "clickhouse_sql": "signoz/ClickHouseSQL",
    "builder_formula": "signoz/Formula",
    "builder_trace_operator": "signoz/TraceOperator",
}


def _envelopes(query: dict[str, Any], panel_kind: str) -> list[tuple[str, dict[str, Any]]]:
    query_type = query.get("queryType")
    if query_type in ("promql", "clickhouse_sql"):
        entries = [as_dict(e) for e in as_list(query.get(query_type)) if as_text(as_dict(e).get("query")).strip()]
        return [(query_type, text_query(e, chr(ord("A") + i))) for i, e in enumerate(entries)]
    if query_type != "builder":
        return []
    builder = as_dict(query.get("builder"))
    datas = [as_dict(q) for q in as_list(builder.get("queryData"))]
    if panel_kind == LIST:
        return [("builder_query", builder_query(datas[0], panel_kind, "A"))] if datas else []
    composite = len(datas) + len(as_list(builder.get("queryFormulas"))) + len(as_list(builder.get("queryTraceOperator"))) > 1
    out: list[tuple[str, dict[str, Any]]] = [
        ("builder_query", builder_query(q, panel_kind, chr(ord("A") + i), in_composite=composite)) for i, q in enumerate(datas)
    ]
    for i, raw in enumerate(as_list(builder.get("queryFormulas"))):
        spec = formula(as_dict(raw), f"F{i + 1}")
        if spec:
            out.append(("builder_formula", spec))
    for i, raw in enumerate(as_list(builder.get("queryTraceOperator"))):
        spec = trace_operator(as_dict(raw), f"T{i + 1}")
        if spec:
            out.append(("builder_trace_operator", spec))
    return out


def convert_widget_query(widget: dict[str, Any], panel_kind: str) -> list[dict[str, Any]] | None:
    """The v6 `queries` of a panel (one query), or None when the widget has nothing to run."""
    query = widget.get("query")
    if not isinstance(query, dict):
        return None
    envelopes = _envelopes(query, panel_kind)
    if not envelopes:
        return None
    kind = PANEL_REQUEST_TYPE[panel_kind]
    if len(envelopes) == 1:
        type_, spec = envelopes[0]
        return [{"kind": kind, "spec": {"name": spec["name"], "plugin": {"kind": _SINGLE[type_], "spec": spec}}}]
    queries = [{"type": type_, "spec": spec} for type_, spec in envelopes]
    return [{"kind": kind, "spec": {"plugin": {"kind": "signoz/CompositeQuery", "spec": {"queries": queries}}}}]
