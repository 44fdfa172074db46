"""Small builders for SigNoz v6 bodies, so each rule test shows only what it is about."""

from __future__ import annotations

from typing import Any


def builder(
    expr: str = "count()",
    filt: str = "",
    *,
    name: str = "A",
    signal: str = "traces",
    group_by: list[dict[str, Any]] | None = None,
    disabled: bool = False,
    legend: str = "",
    alias: str | None = None,
) -> dict[str, Any]:
    agg: dict[str, Any] = {"expression": expr}
    if alias:
        agg["alias"] = alias
    spec: dict[str, Any] = {
        "name": name,
        "signal": signal,
        "aggregations": [agg],
        "filter": {"expression": filt},
        "disabled": disabled,
        "legend": legend,
    }
    if group_by is not None:
        spec["groupBy"] = group_by
    return spec


def key(name: str, context: str = "attribute", dtype: str = "string") -> dict[str, Any]:
    return {"name": name, "fieldContext": context, "fieldDataType": dtype}


def query(kind: str, plugin_kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "spec": {"plugin": {"kind": plugin_kind, "spec": spec}}}


def panel(
    title: str = "Panel",
    plugin: str = "signoz/TimeSeriesPanel",
    plugin_spec: dict[str, Any] | None = None,
    queries: list[dict[str, Any]] | None = None,
    *,
    unit: str | None = None,
) -> dict[str, Any]:
    plugin_spec = dict(plugin_spec or {})
    if unit is not None:
        plugin_spec["formatting"] = {"unit": unit}
    kind = {"signoz/NumberPanel": "scalar", "signoz/TablePanel": "scalar", "signoz/PieChartPanel": "scalar"}.get(
        plugin, "time_series"
    )
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": title, "description": ""},
            "plugin": {"kind": plugin, "spec": plugin_spec},
            "queries": queries if queries is not None else [query(kind, "signoz/BuilderQuery", builder())],
        },
    }


def builder_panel(title: str = "Panel", *, plugin: str = "signoz/TimeSeriesPanel", unit: str | None = None, **kw: Any):
    kind = "scalar" if plugin in ("signoz/NumberPanel", "signoz/TablePanel") else "time_series"
    return panel(title, plugin, queries=[query(kind, "signoz/BuilderQuery", builder(**kw))], unit=unit)


def composite_panel(title: str, queries: list[dict[str, Any]], *, plugin: str = "signoz/TimeSeriesPanel", unit=None):
    kind = "scalar" if plugin in ("signoz/NumberPanel", "signoz/TablePanel") else "time_series"
    return panel(title, plugin, queries=[query(kind, "signoz/CompositeQuery", {"queries": queries})], unit=unit)


def sql_panel(title: str, sql: str, *, plugin: str = "signoz/TablePanel") -> dict[str, Any]:
    kind = "scalar" if plugin in ("signoz/NumberPanel", "signoz/TablePanel") else "time_series"
    return panel(title, plugin, queries=[query(kind, "signoz/ClickHouseSQL", {"name": "A", "query": sql})])


def dynamic_var(name: str, attribute: str = "service.name", *, allow_all: bool = True) -> dict[str, Any]:
    return {
        "kind": "ListVariable",
        "spec": {
            "name": name,
            "display": {"name": name, "description": ""},
            "allowAllValue": allow_all,
            "allowMultiple": True,
            "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": attribute, "signal": "traces"}},
        },
    }


def text_var(name: str, value: str = "3") -> dict[str, Any]:
    return {"kind": "TextVariable", "spec": {"name": name, "display": {"name": name, "description": ""}, "value": value}}


def dashboard(panels: dict[str, dict[str, Any]], variables: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    items = [
        {"x": (i % 2) * 6, "y": (i // 2) * 6, "width": 6, "height": 6, "content": {"$ref": f"#/spec/panels/{k}"}}
        for i, k in enumerate(panels)
    ]
    return {
        "schemaVersion": "v6",
        "name": "lint-test",
        "tags": [],
        "spec": {
            "display": {"name": "Lint test", "description": ""},
            "variables": variables or [],
            "panels": panels,
            "layouts": [{"kind": "Grid", "spec": {"items": items}}],
            "duration": "1h",
        },
    }


TIME_FILTER = (
    "timestamp BETWEEN $start_datetime AND $end_datetime "
    "AND ts_bucket_start BETWEEN $start_timestamp - 1800 AND $end_timestamp"
)


CATALOG_DATA = {
    "framework": "pipecat-ai",
    "version": "1.14.0",
    "spans": {
        "turn": {"turn.duration_seconds": "number", "turn.user_bot_latency_seconds": "number"},
        "llm": {"metrics.ttfb": "number", "gen_ai.request.model": "string", "gen_ai.usage.input_tokens": "number"},
        "tts": {"metrics.ttfb": "number", "gen_ai.request.model": "string"},
    },
    "resource": {"service.name": "string", "telemetry.sdk.language": "string"},
}
