"""Test bodies: a hand-built minimal valid v6 body covering every panel plugin, query plugin and variable kind,
and helpers to mutate one spot of it by dotted JSON path (the same path syntax as Issue.path)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

# ../shared beside the repo (as tests/conftest.py expects): SigNoz's own exported dashboards.
FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "signoz-official"

DELETE = object()  # set_path(..., DELETE) removes the key


def builder(signal: str = "traces", name: str = "A", **extra: Any) -> dict[str, Any]:
    """A builder query spec (the `spec` of signoz/BuilderQuery or of a builder_query envelope)."""
    if signal == "metrics":
        aggs: list[dict[str, Any]] = [
            {"metricName": "http.client.duration", "timeAggregation": "avg", "spaceAggregation": "p95"}
        ]
    else:
        aggs = [{"expression": "count()"}]
    spec = {
        "name": name,
        "signal": signal,
        "aggregations": aggs,
        "filter": {"expression": "service.name IN $service_name"},
        "groupBy": [{"name": "service.name", "fieldContext": "resource", "fieldDataType": "string"}],
        "legend": "{{service.name}}",
    }
    spec.update(extra)
    return spec


def query(kind: str, plugin_kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "spec": {"name": "A", "plugin": {"kind": plugin_kind, "spec": spec}}}


def panel(plugin_kind: str, plugin_spec: dict[str, Any], q: dict[str, Any], name: str = "Panel") -> dict[str, Any]:
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": name, "description": ""},
            "plugin": {"kind": plugin_kind, "spec": plugin_spec},
            "queries": [q],
        },
    }


def item(key: str, x: int, y: int, w: int = 6, h: int = 6) -> dict[str, Any]:
    return {"x": x, "y": y, "width": w, "height": h, "content": {"$ref": f"#/spec/panels/{key}"}}


def make_body() -> dict[str, Any]:
    composite = {
        "queries": [
            {"type": "builder_query", "spec": builder(name="A", disabled=True, groupBy=[])},
            {"type": "builder_query", "spec": builder(name="B", disabled=True, groupBy=[])},
            {"type": "builder_formula", "spec": {"name": "F1", "expression": "A / (A + B)", "legend": "error rate"}},
        ]
    }
    panels = {
        "latency": panel(
            "signoz/TimeSeriesPanel",
            {
                "visualization": {"timePreference": "global_time"},
                "formatting": {"unit": "ns", "decimalPrecision": "2"},
                "chartAppearance": {"lineInterpolation": "spline", "spanGaps": {"fillOnlyBelow": True, "fillLessThan": "5m"}},
                "legend": {"position": "bottom"},
                "thresholds": [{"value": 0, "color": "Red", "label": "zero"}],
            },
            query("time_series", "signoz/BuilderQuery", builder(aggregations=[{"expression": "p95(duration_nano)", "alias": "p95"}], order=[{"key": {"name": "p95"}, "direction": "desc"}], limit=10)),
        ),
        "bars": panel(
            "signoz/BarChartPanel",
            {"visualization": {"stackedBarChart": True}},
            query("time_series", "signoz/PromQLQuery", {"name": "A", "query": "sum(rate(calls_total[5m]))"}),
        ),
        "errors": panel(
            "signoz/NumberPanel",
            {"formatting": {"unit": "percentunit"}, "thresholds": [{"value": 0.05, "operator": "above", "color": "Red"}]},
            query("scalar", "signoz/CompositeQuery", composite),
        ),
        "models": panel(
            "signoz/PieChartPanel",
            {"legend": {"position": "right"}},
            query("scalar", "signoz/BuilderQuery", builder(signal="logs")),
        ),
        "table": panel(
            "signoz/TablePanel",
            {"formatting": {"columnUnits": {"A": "ms"}}, "thresholds": [{"value": 1, "color": "Red", "columnName": "A"}]},
            query("scalar", "signoz/ClickHouseSQL", {"name": "A", "query": "SELECT 1"}),
        ),
        "hist": panel(
            "signoz/HistogramPanel",
            {"histogramBuckets": {"bucketCount": 30, "bucketWidth": None}},
            query("time_series", "signoz/BuilderQuery", builder(signal="metrics")),
        ),
        "logs": panel(
            "signoz/ListPanel",
            {"selectFields": [{"name": "body", "fieldContext": "log"}]},
            query("raw", "signoz/BuilderQuery", builder(signal="logs", aggregations=[], groupBy=[], limit=100)),
        ),
    }
    return {
        "schemaVersion": "v6",
        "name": "voice-agents",
        "image": "/assets/Icons/eight-ball",
        "tags": [{"key": "managed-by", "value": "signoz-dac"}],
        "spec": {
            "display": {"name": "Voice agents", "description": ""},
            "variables": [
                {
                    "kind": "ListVariable",
                    "spec": {
                        "display": {"name": "service_name"},
                        "name": "service_name",
                        "defaultValue": ["voice-agent"],
                        "allowAllValue": True,
                        "allowMultiple": True,
                        "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "traces"}},
                    },
                },
                {
                    "kind": "ListVariable",
                    "spec": {
                        "display": {"name": "env"},
                        "name": "env",
                        "defaultValue": "prod",
                        "sort": "alphabetical-asc",
                        "plugin": {"kind": "signoz/CustomVariable", "spec": {"customValue": "prod,staging"}},
                    },
                },
                {
                    "kind": "TextVariable",
                    "spec": {"display": {"name": "threshold"}, "name": "threshold", "value": "3", "constant": True},
                },
            ],
            "panels": panels,
            "layouts": [
                {
                    "kind": "Grid",
                    "spec": {
                        "items": [item("latency", 0, 0), item("bars", 6, 0), item("errors", 0, 6, 3, 3), item("models", 3, 6, 3, 3)]
                    },
                },
                {
                    "kind": "Grid",
                    "spec": {
                        "display": {"title": "Details", "collapse": {"open": True}},
                        "items": [item("table", 0, 0, 12, 6), item("hist", 0, 6), item("logs", 6, 6)],
                    },
                },
            ],
            "duration": "1h",
            "refreshInterval": "30s",
            "links": [],
        },
    }


_STEP = re.compile(r'"([^"]*)"|([^.\[\]]+)|\[(\d+)\]')


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for quoted, bare, index in _STEP.findall(path):
        steps.append(int(index) if index else (quoted or bare))
    return steps


def set_path(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """Set (or with DELETE remove) the value at a dotted path like `spec.layouts[0].spec.items[1].x`."""
    *parents, last = _steps(path)
    node: Any = body
    for step in parents:
        node = node[step]
    if value is DELETE:
        del node[last]
    else:
        node[last] = copy.deepcopy(value)
    return body


def get_path(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for step in _steps(path):
        node = node[step]
    return node


def load_fixture(name: str) -> dict[str, Any]:
    from tests.conftest import require_shared

    require_shared()  # SigNoz's own exports live in ../shared: skip locally, fail in CI, when it is absent
    return json.loads((FIXTURES / name).read_text())
