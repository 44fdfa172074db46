"""What the v5 UI (SigNoz 0.92-0.134) needs of a dashboard, or it breaks or shows something else.

The v1 API stores any JSON object, so nothing on the server catches these; each was read from the
v0.134 frontend:
- `title` is required, and the dashboards list drops a dashboard whose title, description and
  tags are all empty;
- `layout` must be a non-empty list (else the page shows the empty state), and each item's `i`
  must name a widget;
- every `panelMap` entry needs a `widgets` list (they are spread unconditionally), and every row
  in the layout should have an entry;
- a widget's `query` carries `queryType`, `builder.{queryData, queryFormulas, queryTraceOperator}`
  (lists), `promql` and `clickhouse_sql` (lists) and an `id`; a `list` widget needs
  `builder.queryData[0]`;
- a builder query's `expression` equals its `queryName` (otherwise SigNoz treats it as a formula);
- a logs/traces aggregation must be one `name(args)` call (optionally `as alias`): the UI reads
  it with a regular expression, so a nested call does not parse, and it falls back to `count()`;
- a metrics query needs a `metricName` (else it is never fetched), and only its first aggregation
  is used; `reduceTo` is one of last, sum, avg, max, min;
- PromQL and ClickHouse entries with an empty query are dropped;
- the v5 words: `panelTypes`, `timePreferance`, `legendPosition`, threshold operators (> < >= <=
  =) and formats (Text, Background), variable types and sorts;
- variables are keyed by their `id`.
"""

from __future__ import annotations

import re
from typing import Any

from signoz_dac.errors import Issue

from .queries import parse_aggregation
from .read import as_dict, as_list, as_text
from .shape import member
from .vocabulary import (
    AGGREGATION_CALL,
    LEGEND_POSITIONS,
    QUERY_TYPES,
    ROW,
    SIGNALS,
    TIME_PREFERENCES,
    UI_OPERATORS,
    UI_PANEL_TYPES,
    UI_REDUCE_TO,
    UI_SORTS,
    UI_THRESHOLD_FORMATS,
    VARIABLE_TYPES,
)

_ONE_AGGREGATION = re.compile(rf"\s*{AGGREGATION_CALL.pattern}\s*", re.IGNORECASE)
_TIME_PREFERENCES = frozenset(t.upper() for t in TIME_PREFERENCES)


def _is_list(value: Any) -> bool:
    return isinstance(value, list)


def _builder_query(qd: Any, path: str, panel_type: str) -> list[Issue]:
    issues: list[Issue] = []
    qd = as_dict(qd)
    name = as_text(qd.get("queryName"))
    if not name or qd.get("expression") != name:
        issues.append(Issue(f"{path}.expression", f"must equal queryName {name!r} (else SigNoz reads it as a formula)"))
    signal = qd.get("dataSource")
    if signal not in SIGNALS:
        issues.append(Issue(f"{path}.dataSource", f"must be one of {', '.join(SIGNALS)}"))
    aggregations = as_list(qd.get("aggregations"))
    if signal == "metrics":
        if not aggregations or not as_text(as_dict(aggregations[0]).get("metricName")):
            issues.append(Issue(f"{path}.aggregations", "a metrics query needs a metricName (the UI never fetches it otherwise)"))
        if len(aggregations) > 1:
            issues.append(Issue(f"{path}.aggregations", "the v5 UI uses only the first metric aggregation"))
        for i, agg in enumerate(aggregations):
            reduce_to = as_dict(agg).get("reduceTo")
            if reduce_to is not None and reduce_to not in UI_REDUCE_TO:
                issues.append(Issue(f"{path}.aggregations[{i}].reduceTo", f"the v5 UI offers only {', '.join(UI_REDUCE_TO)}"))
    elif signal in SIGNALS:
        for i, agg in enumerate(aggregations):
            expression = as_text(as_dict(agg).get("expression"))
            if not _ONE_AGGREGATION.fullmatch(expression):
                read = ", ".join(call for call, _ in parse_aggregation(expression)) or "count()"
                issues.append(
                    Issue(
                        f"{path}.aggregations[{i}].expression",
                        f"the v5 UI reads {expression!r} as {read}: it takes one name(args) call, without nested calls",
                    )
                )
        if not aggregations and panel_type != "list":
            issues.append(Issue(f"{path}.aggregations", "a logs or traces query needs an aggregation"))
    return issues


def _query(query: Any, path: str, panel_type: str) -> list[Issue]:
    if not isinstance(query, dict):
        return [Issue(path, "a widget needs a query object")]
    issues: list[Issue] = []
    query_type = query.get("queryType")
    if query_type not in QUERY_TYPES:
        issues.append(Issue(f"{path}.queryType", f"must be one of {', '.join(QUERY_TYPES)}"))
    builder = query.get("builder")
    if not isinstance(builder, dict):
        issues.append(Issue(f"{path}.builder", "must be an object with queryData, queryFormulas and queryTraceOperator"))
        builder = {}
    for field in ("queryData", "queryFormulas", "queryTraceOperator"):
        if not _is_list(builder.get(field)):
            issues.append(Issue(f"{path}.builder.{field}", "must be a list"))
    for field in ("promql", "clickhouse_sql"):
        if not _is_list(query.get(field)):
            issues.append(Issue(f"{path}.{field}", "must be a list"))
    if not as_text(query.get("id")):
        issues.append(Issue(f"{path}.id", "must be a non-empty string"))
    datas = as_list(builder.get("queryData"))
    if panel_type == "list" and (query_type != "builder" or not datas):
        issues.append(Issue(f"{path}.builder.queryData", "a list widget needs a builder query (queryData[0])"))
    if query_type == "builder":
        for i, qd in enumerate(datas):
            issues += _builder_query(qd, f"{path}.builder.queryData[{i}]", panel_type)
    elif query_type in ("promql", "clickhouse_sql") and not any(
        as_text(as_dict(e).get("query")).strip() for e in as_list(query.get(query_type))
    ):
        issues.append(Issue(f"{path}.{query_type}", "needs a non-empty query (the UI drops empty ones)"))
    return issues


def _widget(widget: Any, path: str) -> list[Issue]:
    if not isinstance(widget, dict):
        return [Issue(path, "must be an object")]
    issues: list[Issue] = []
    if not as_text(widget.get("id")):
        issues.append(Issue(f"{path}.id", "must be a non-empty string"))
    panel_type = widget.get("panelTypes")
    if panel_type not in UI_PANEL_TYPES:
        issues.append(Issue(f"{path}.panelTypes", f"must be one of {', '.join(sorted(UI_PANEL_TYPES))}"))
    if panel_type == ROW:
        return issues
    if widget.get("timePreferance", "GLOBAL_TIME") not in _TIME_PREFERENCES:
        issues.append(Issue(f"{path}.timePreferance", f"must be one of {', '.join(sorted(_TIME_PREFERENCES))}"))
    if widget.get("legendPosition", "bottom") not in LEGEND_POSITIONS:
        issues.append(Issue(f"{path}.legendPosition", f"must be one of {', '.join(LEGEND_POSITIONS)}"))
    for i, threshold in enumerate(as_list(widget.get("thresholds"))):
        threshold = as_dict(threshold)
        if threshold.get("thresholdOperator", ">") not in UI_OPERATORS.values():
            issues.append(Issue(f"{path}.thresholds[{i}].thresholdOperator", f"the v5 UI offers only {' '.join(UI_OPERATORS.values())}"))
        if threshold.get("thresholdFormat", "Text") not in UI_THRESHOLD_FORMATS.values():
            issues.append(Issue(f"{path}.thresholds[{i}].thresholdFormat", "must be Text or Background"))
    return issues + _query(widget.get("query"), f"{path}.query", as_text(panel_type))


def _layout(body: dict[str, Any], ids: set[str], rows: set[str]) -> list[Issue]:
    issues: list[Issue] = []
    layout = body.get("layout")
    if not _is_list(layout) or (ids - rows and not layout):
        issues.append(Issue("layout", "must be a non-empty list (the UI shows an empty dashboard otherwise)"))
    placed: list[tuple[str, Any]] = [(f"layout[{i}]", item) for i, item in enumerate(as_list(layout))]
    panel_map = body.get("panelMap", {})
    if not isinstance(panel_map, dict):
        issues.append(Issue("panelMap", "must be an object"))
        panel_map = {}
    for key, entry in panel_map.items():
        path = member("panelMap", key)
        if not isinstance(entry, dict) or not _is_list(entry.get("widgets")):
            issues.append(Issue(path, "must be an object with a widgets list"))
            continue
        placed += [(f"{path}.widgets[{i}]", item) for i, item in enumerate(entry["widgets"])]
    seen: set[str] = set()
    for path, item in placed:
        item = as_dict(item)
        key = as_text(item.get("i"))
        if key not in ids:
            issues.append(Issue(f"{path}.i", f"names no widget: {key!r}"))
        elif key in seen:
            issues.append(Issue(f"{path}.i", f"places widget {key!r} a second time"))
        seen.add(key)
        for field in ("x", "y", "w", "h"):
            value = item.get(field)
            if not isinstance(value, int) or isinstance(value, bool) or value < (1 if field in "wh" else 0):
                issues.append(Issue(f"{path}.{field}", "must be a whole number" + (" of at least 1" if field in "wh" else " >= 0")))
    for i, item in enumerate(as_list(layout)):
        key = as_text(as_dict(item).get("i"))
        if key in rows and key not in panel_map:
            issues.append(Issue(f"layout[{i}].i", f"row {key!r} needs a panelMap entry"))
    return issues


def _variables(variables: Any) -> list[Issue]:
    if variables is None:
        return []
    if not isinstance(variables, dict):
        return [Issue("variables", "must be an object keyed by variable id")]
    issues: list[Issue] = []
    names: set[str] = set()
    for key, variable in variables.items():
        path = member("variables", key)
        variable = as_dict(variable)
        if variable.get("id") != key:
            issues.append(Issue(f"{path}.id", "must equal the variable's key in the map"))
        name = as_text(variable.get("name"))
        if not name or name in names:
            issues.append(Issue(f"{path}.name", "must be a unique, non-empty name"))
        names.add(name)
        if variable.get("type") not in VARIABLE_TYPES:
            issues.append(Issue(f"{path}.type", f"must be one of {', '.join(VARIABLE_TYPES)}"))
        if variable.get("sort", "DISABLED") not in UI_SORTS.values():
            issues.append(Issue(f"{path}.sort", f"must be one of {', '.join(UI_SORTS.values())}"))
    return issues


def ui_problems(body: Any) -> list[Issue]:
    """Everything in a v5 dashboard that the v0.134 UI cannot show as meant, at its JSON path."""
    if not isinstance(body, dict):
        return [Issue("", "a v5 dashboard must be a JSON object")]
    issues: list[Issue] = []
    if not as_text(body.get("title")).strip():
        issues.append(Issue("title", "must be a non-empty string (the dashboards list hides it otherwise)"))
    widgets = body.get("widgets")
    if not _is_list(widgets):
        issues.append(Issue("widgets", "must be a list"))
    ids: set[str] = set()
    rows: set[str] = set()
    for i, widget in enumerate(as_list(widgets)):
        issues += _widget(widget, f"widgets[{i}]")
        key = as_text(as_dict(widget).get("id"))
        if key in ids:
            issues.append(Issue(f"widgets[{i}].id", f"duplicate widget id {key!r}"))
        ids.add(key)
        if as_dict(widget).get("panelTypes") == ROW:
            rows.add(key)
    return issues + _layout(body, ids, rows) + _variables(body.get("variables"))
