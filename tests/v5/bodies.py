"""Hand-made bodies for the v5 tests, needing nothing from ../shared.

`v6_body()` holds only what the v5 format carries back (so its round trip is exact); `v5_body()`
is a v5 dashboard shaped like the ones the v0.134 UI writes, with a few v4 leftovers.
"""

from __future__ import annotations

from typing import Any


def builder(name: str, signal: str = "traces", **extra: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "name": name,
        "signal": signal,
        "aggregations": [{"expression": "p95(duration_nano)", "alias": "p95"}],
        "filter": {"expression": "service.name IN $service_name"},
        "groupBy": [{"name": "service.name", "fieldContext": "resource", "fieldDataType": "string"}],
        "order": [{"key": {"name": "p95"}, "direction": "desc"}],
        "legend": "{{service.name}}",
    }
    spec.update(extra)
    return spec


def panel(kind: str, spec: dict[str, Any], query: dict[str, Any], title: str) -> dict[str, Any]:
    return {"kind": "Panel", "spec": {"display": {"name": title}, "plugin": {"kind": kind, "spec": spec}, "queries": [query]}}


def single(kind: str, plugin: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "spec": {"name": spec["name"], "plugin": {"kind": plugin, "spec": spec}}}


def item(key: str, x: int, y: int, w: int, h: int) -> dict[str, Any]:
    return {"x": x, "y": y, "width": w, "height": h, "content": {"$ref": f"#/spec/panels/{key}"}}


def v6_body() -> dict[str, Any]:
    metric = {"metricName": "http.client.duration", "temporality": "cumulative", "timeAggregation": "rate",
              "spaceAggregation": "p95"}  # fmt: skip
    composite = {
        "kind": "time_series",
        "spec": {
            "plugin": {
                "kind": "signoz/CompositeQuery",
                "spec": {
                    "queries": [
                        {"type": "builder_query", "spec": builder("A", disabled=True, aggregations=[{"expression": "count()"}], order=[], groupBy=[])},
                        {"type": "builder_query", "spec": builder("B", disabled=True, aggregations=[{"expression": "count()"}], order=[], groupBy=[], filter={"expression": "has_error = true"})},
                        {"type": "builder_formula", "spec": {"name": "F1", "expression": "B / A", "legend": "error rate"}},
                    ]
                },
            }
        },
    }  # fmt: skip
    panels = {
        "latency": panel(
            "signoz/TimeSeriesPanel",
            {
                "visualization": {"timePreference": "last_1_hr", "fillSpans": True},
                "formatting": {"unit": "ns", "decimalPrecision": "3"},
                "chartAppearance": {"lineInterpolation": "linear", "showPoints": True, "lineStyle": "dashed",
                                    "fillMode": "gradient", "spanGaps": {"fillOnlyBelow": True, "fillLessThan": "1m0s"}},
                "axes": {"softMin": 0, "softMax": 100, "isLogScale": True},
                "legend": {"position": "right", "customColors": {"p95": "#ff0000"}},
                "thresholds": [{"value": 90, "unit": "ns", "color": "Red", "label": "slow"}],
            },
            single("time_series", "signoz/BuilderQuery", builder("A", stepInterval=60, limit=10, functions=[{"name": "timeShift", "args": [{"value": 3600}]}])),
            "Latency",
        ),
        "errors": panel("signoz/TimeSeriesPanel", {"formatting": {"unit": "percentunit"}}, composite, "Error rate"),
        "bars": panel(
            "signoz/BarChartPanel",
            {"visualization": {"stackedBarChart": True}, "legend": {"position": "bottom"}},
            single("time_series", "signoz/PromQLQuery", {"name": "A", "query": "sum(rate(calls_total[5m]))", "legend": "{{job}}"}),
            "Calls",
        ),
        "count": panel(
            "signoz/NumberPanel",
            {"formatting": {"unit": "none", "decimalPrecision": "0"},
             "thresholds": [{"value": 5, "operator": "below_or_equal", "color": "Orange", "format": "background", "unit": "none"}]},
            single("scalar", "signoz/BuilderQuery", builder("A", "metrics", aggregations=[{**metric, "reduceTo": "avg"}], groupBy=[], order=[])),
            "Requests",
        ),  # fmt: skip
        "models": panel(
            "signoz/PieChartPanel",
            {"legend": {"position": "right", "customColors": {"gpt-4.1": "#00ff00"}}},
            single("scalar", "signoz/BuilderQuery", builder("A", "logs", aggregations=[{"expression": "count()"}], order=[],
                                                            groupBy=[{"name": "gen_ai.request.model", "fieldContext": "attribute"}])),
            "Models",
        ),  # fmt: skip
        "table": panel(
            "signoz/TablePanel",
            {"formatting": {"columnUnits": {"turns": "none"}, "decimalPrecision": "full"},
             "thresholds": [{"value": 3, "operator": "below", "color": "Red", "columnName": "turns"}]},
            single("scalar", "signoz/ClickHouseSQL", {"name": "A", "query": "SELECT 1 AS turns", "legend": ""}),
            "Turns",
        ),  # fmt: skip
        "hist": panel(
            "signoz/HistogramPanel",
            {"histogramBuckets": {"bucketCount": 20, "bucketWidth": None, "mergeAllActiveQueries": True}},
            single("time_series", "signoz/BuilderQuery", builder("A", "metrics", aggregations=[metric], groupBy=[], order=[])),
            "Duration histogram",
        ),
        "logs": panel(
            "signoz/ListPanel",
            {"selectFields": [{"name": "body", "signal": "logs", "fieldContext": "log", "fieldDataType": "string"}]},
            single("raw", "signoz/BuilderQuery", builder("A", "logs", aggregations=[], groupBy=[], order=[], limit=100)),
            "Logs",
        ),
    }
    return {
        "schemaVersion": "v6",
        "name": "voice-agents",
        "image": "/assets/Icons/avocado",
        "tags": [{"key": "team", "value": "voice"}, {"key": "tag", "value": "agents"}],
        "spec": {
            "display": {"name": "Voice agents", "description": "Every panel kind"},
            "variables": [
                {"kind": "ListVariable", "spec": {
                    "display": {"name": "service_name", "description": "services"}, "name": "service_name",
                    "defaultValue": ["voice-agent"], "allowAllValue": True, "allowMultiple": True, "sort": "alphabetical-asc",
                    "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "traces"}}}},
                {"kind": "ListVariable", "spec": {
                    "display": {"name": "env"}, "name": "env", "defaultValue": "prod",
                    "plugin": {"kind": "signoz/CustomVariable", "spec": {"customValue": "prod,staging"}}}},
                {"kind": "ListVariable", "spec": {
                    "display": {"name": "model"}, "name": "model", "allowMultiple": True, "allowAllValue": True,
                    "customAllValue": "*", "sort": "alphabetical-desc",
                    "plugin": {"kind": "signoz/QueryVariable", "spec": {"queryValue": "SELECT 1"}}}},
                {"kind": "TextVariable", "spec": {"display": {"name": "threshold"}, "name": "threshold", "value": "3"}},
            ],  # fmt: skip
            "panels": panels,
            "layouts": [
                {"kind": "Grid", "spec": {"items": [item("latency", 0, 0, 6, 6), item("errors", 6, 0, 6, 6)]}},
                {"kind": "Grid", "spec": {"display": {"title": "Breakdown", "collapse": {"open": False}},
                                          "items": [item("count", 0, 0, 3, 3), item("models", 3, 0, 3, 3), item("bars", 6, 0, 6, 6),
                                                    item("table", 0, 3, 6, 4)]}},
                {"kind": "Grid", "spec": {"display": {"title": "Raw", "collapse": {"open": True}},
                                          "items": [item("hist", 0, 0, 6, 6), item("logs", 6, 0, 6, 8)]}},
            ],  # fmt: skip
        },
    }


def query(query_type: str = "builder", **parts: Any) -> dict[str, Any]:
    """A widget query as the v5 UI writes it: every key present."""
    out = {
        "queryType": query_type,
        "builder": {"queryData": [], "queryFormulas": [], "queryTraceOperator": []},
        "promql": [{"name": "A", "query": "", "legend": "", "disabled": False}],
        "clickhouse_sql": [{"name": "A", "query": "", "legend": "", "disabled": False}],
        "id": "q",
    }
    for key, value in parts.items():
        if key in ("queryData", "queryFormulas", "queryTraceOperator"):
            out["builder"][key] = value
        else:
            out[key] = value
    return out


def query_data(name: str = "A", signal: str = "traces", **extra: Any) -> dict[str, Any]:
    out = {
        "queryName": name, "expression": name, "dataSource": signal, "source": "", "disabled": False, "legend": "",
        "aggregations": [{"expression": "count() "}], "filter": {"expression": "service.name IN $service_name"},
        "groupBy": [], "orderBy": [], "having": {"expression": ""}, "limit": None, "stepInterval": None, "functions": [],
    }  # fmt: skip
    out.update(extra)
    return out


def widget(wid: str, panel_type: str, title: str, q: dict[str, Any] | None, **extra: Any) -> dict[str, Any]:
    out = {
        "id": wid, "panelTypes": panel_type, "title": title, "description": "", "opacity": "1",
        "nullZeroValues": "zero", "timePreferance": "GLOBAL_TIME", "yAxisUnit": "none", "decimalPrecision": 2,
        "softMin": None, "softMax": None, "isLogScale": False, "legendPosition": "bottom", "customLegendColors": {},
        "fillSpans": False, "stackedBarChart": False, "thresholds": [], "columnUnits": {}, "bucketCount": 30,
        "bucketWidth": 0, "mergeAllActiveQueries": False, "selectedLogFields": None, "selectedTracesFields": None,
        "contextLinks": {"linksData": []},
    }  # fmt: skip
    if q is not None:
        out["query"] = q
    out.update(extra)
    return out


def v5_body() -> dict[str, Any]:
    """Top: a graph and a value tile; a collapsed row "Models" (a pie, kept in panelMap); an
    expanded row "Logs" (a list and a ClickHouse table)."""
    widgets = [
        widget("graph-1", "graph", "Latency", query(queryData=[query_data(aggregations=[{"expression": "p95(duration_nano)"}],
               groupBy=[{"key": "service.name", "dataType": "string", "type": "resource", "isColumn": True}])]),
               yAxisUnit="ns", spanGaps=90, lineInterpolation="step_after", softMin=1),
        widget("value.1", "value", "Errors", query(queryData=[query_data(filter={"expression": "has_error = true"})]),
               thresholds=[{"thresholdValue": 1, "thresholdOperator": ">=", "thresholdColor": "Red", "thresholdFormat": "Background"},
                           {"thresholdValue": 0, "thresholdOperator": ">"}]),
        widget("row-models", "row", "Models", None),
        widget("pie-1", "pie", "Models", query(queryData=[query_data(groupBy=[{"key": "gen_ai.request.model", "dataType": "string", "type": "tag"}])]),
               legendPosition="right"),
        widget("row-logs", "row", "Logs", None),
        widget("list-1", "list", "Logs", query(queryData=[query_data(signal="logs", pageSize=25, aggregations=[],
               orderBy=[{"columnName": "timestamp", "order": "desc"}])]),
               selectedLogFields=[{"name": "body", "fieldContext": "log", "fieldDataType": "string", "signal": "logs", "isIndexed": False}]),
        widget("table-1", "table", "Turns", query("clickhouse_sql", clickhouse_sql=[{"name": "A", "query": "SELECT 1 AS turns", "legend": "", "disabled": False}]),
               columnUnits={"turns": "none"}),
        widget("unplaced", "graph", "Nowhere", query(queryData=[query_data()])),
    ]  # fmt: skip
    layout = [
        {"i": "graph-1", "x": 0, "y": 0, "w": 6, "h": 6},
        {"i": "value.1", "x": 6, "y": 0, "w": 3, "h": 3},
        {"i": "row-models", "x": 0, "y": 6, "w": 12, "h": 1},
        {"i": "row-logs", "x": 0, "y": 7, "w": 12, "h": 1},
        {"i": "list-1", "x": 0, "y": 8, "w": 12, "h": 6},
        {"i": "table-1", "x": 0, "y": 20, "w": 6, "h": 4},
    ]
    variables = {
        "b-uuid": {"id": "b-uuid", "name": "service_name", "type": "DYNAMIC", "dynamicVariablesAttribute": "service.name",
                   "dynamicVariablesSource": "Traces", "multiSelect": True, "showALLOption": True, "sort": "ASC", "order": 0,
                   "description": "services"},
        "a-uuid": {"id": "a-uuid", "name": "threshold", "type": "TEXTBOX", "textboxValue": "3", "order": 1},
        "c-uuid": {"id": "c-uuid", "name": "env", "type": "CUSTOM", "customValue": "prod,dev", "selectedValue": "prod",
                   "multiSelect": False, "showALLOption": True, "order": 1},
    }  # fmt: skip
    return {
        "title": "Voice agents (old)",
        "description": "from SigNoz 0.134",
        "tags": ["voice", "team:agents"],
        "image": "",
        "version": "v5",
        "uploadedGrafana": False,
        "widgets": widgets,
        "layout": layout,
        "panelMap": {"row-models": {"collapsed": True, "widgets": [{"i": "pie-1", "x": 0, "y": 7, "w": 4, "h": 4}]},
                     "row-logs": {"collapsed": False, "widgets": []}},  # fmt: skip
        "variables": variables,
    }
