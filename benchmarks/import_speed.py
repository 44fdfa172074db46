"""Import speed: `signoz-dac import` of a 40-panel dashboard, in process.

The dashboard is built here, in the shape SigNoz's UI exports (every field spelled out): 40 panels
of all seven kinds, builder queries with group-bys and composites with formulas, ClickHouse SQL and
PromQL, four variables, two sections. Measured:

- import: body → definition (the style chosen by trying each);
- import + YAML: the text `import` writes;
- import + check: what `signoz-dac import` does per body before writing (the YAML loaded back,
  rendered, and compared with the body in canonical form).

Baseline: the strict models' parse of the same body (`parse_dashboard`, what push and lint run on a
body). Target: import well under a second; we hold it to 0.25 s, and the whole check to 1 s.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from report import Row, fmt_ratio, fmt_seconds, median_seconds

SECTION = "import (40-panel dashboard, in process, median)"
IMPORT_TARGET = 0.25  # seconds
CHECK_TARGET = 1.0

_BUILDER = {
    "name": "A", "signal": "traces", "source": "", "aggregations": [{"expression": "count()"}], "disabled": False,
    "filter": {"expression": "service.name IN $service_name AND name = 'llm'"},
    "groupBy": [{"name": "service.name", "signal": "", "fieldContext": "resource", "fieldDataType": "string"}],
    "order": [], "having": {"expression": ""}, "functions": [], "legend": "{{service.name}}",
}
_CHART = {
    "visualization": {"timePreference": "global_time", "fillSpans": False},
    "formatting": {"unit": "ms", "decimalPrecision": "2"},
    "chartAppearance": {"lineInterpolation": "spline", "showPoints": False, "lineStyle": "solid", "fillMode": "none",
                        "spanGaps": {"fillOnlyBelow": False, "fillLessThan": ""}},
    "axes": {"softMin": 0, "softMax": 0, "isLogScale": False},
    "legend": {"position": "bottom", "mode": "list", "customColors": {"agent": "#985DE5"}},
    "thresholds": None,
}
_PLUGINS: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    ("signoz/TimeSeriesPanel", _CHART, "time_series", {"kind": "signoz/BuilderQuery", "spec": _BUILDER}),
    ("signoz/TimeSeriesPanel", _CHART, "time_series", {"kind": "signoz/CompositeQuery", "spec": {"queries": [
        {"type": "builder_query", "spec": {**_BUILDER, "disabled": True}},
        {"type": "builder_query", "spec": {**_BUILDER, "name": "B", "disabled": True}},
        {"type": "builder_formula", "spec": {"name": "F1", "expression": "A / B", "disabled": False, "order": None,
                                             "having": {"expression": ""}, "functions": None, "legend": "ratio"}},
    ]}}),
    ("signoz/BarChartPanel", {k: v for k, v in _CHART.items() if k != "chartAppearance"}, "time_series",
     {"kind": "signoz/PromQLQuery", "spec": {"name": "A", "query": "sum(rate(http_requests_total[5m]))", "disabled": False, "legend": ""}}),
    ("signoz/NumberPanel", {"visualization": {"timePreference": "global_time"}, "formatting": {"unit": "none", "decimalPrecision": "2"},
                            "thresholds": [{"value": 0.1, "operator": "above", "unit": "percentunit", "color": "Red", "format": "text"}]},
     "scalar", {"kind": "signoz/BuilderQuery", "spec": {**_BUILDER, "groupBy": []}}),
    ("signoz/PieChartPanel", {"visualization": {"timePreference": "global_time"}, "formatting": {"unit": "none", "decimalPrecision": "2"},
                              "legend": {"position": "bottom", "mode": "list", "customColors": None}},
     "scalar", {"kind": "signoz/BuilderQuery", "spec": _BUILDER}),
    ("signoz/TablePanel", {"visualization": {"timePreference": "global_time"},
                           "formatting": {"columnUnits": {"A": "ms"}, "decimalPrecision": "2"}, "thresholds": None},
     "scalar", {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "disabled": False, "legend": "",
                                                         "query": "SELECT serviceName AS service, count() AS A\nFROM signoz_traces.distributed_signoz_index_v3\nGROUP BY service"}}),
    ("signoz/HistogramPanel", {"histogramBuckets": {"bucketCount": 30, "bucketWidth": None, "mergeAllActiveQueries": False},
                               "legend": {"position": "bottom", "mode": "list", "customColors": None}},
     "time_series", {"kind": "signoz/BuilderQuery", "spec": _BUILDER}),
    ("signoz/ListPanel", {"selectFields": [{"name": "body", "signal": "logs", "fieldContext": "log", "fieldDataType": ""}]},
     "raw", {"kind": "signoz/BuilderQuery", "spec": {**_BUILDER, "signal": "logs", "groupBy": [], "limit": 10}}),
]


def dashboard(panels: int = 40) -> dict[str, Any]:
    """A UI-export-shaped v6 body with `panels` panels, cycling through every kind."""
    spec_panels: dict[str, Any] = {}
    items: list[list[dict[str, Any]]] = [[], []]
    for i in range(panels):
        plugin, plugin_spec, request, query = _PLUGINS[i % len(_PLUGINS)]
        key = f"{i:08x}-0000-4000-8000-000000000000"
        spec_panels[key] = {"kind": "Panel", "spec": {
            "display": {"name": f"Panel {i}", "description": ""},
            "plugin": {"kind": plugin, "spec": copy.deepcopy(plugin_spec)},
            "queries": [{"kind": request, "spec": {"name": "A", "plugin": copy.deepcopy(query)}}],
            "links": [],
        }}
        grid = items[i % 2]
        grid.append({"x": 6 * (len(grid) % 2), "y": 6 * (len(grid) // 2), "width": 6, "height": 6,
                     "content": {"$ref": f"#/spec/panels/{key}"}})
    variables = [
        {"kind": "ListVariable", "spec": {"display": {"name": name, "description": ""}, "allowAllValue": True, "allowMultiple": True,
                                          "customAllValue": "", "capturingRegexp": "", "sort": "none", "name": name,
                                          "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": attribute, "signal": "all"}}}}
        for name, attribute in (("service_name", "service.name"), ("language", "telemetry.sdk.language"), ("env", "deployment.environment"))
    ] + [{"kind": "TextVariable", "spec": {"display": {"name": "threshold", "description": ""}, "value": "3", "constant": False,
                                           "name": "threshold"}}]
    return {"schemaVersion": "v6", "generateName": True, "image": "/assets/Icons/eight-ball", "tags": [], "spec": {
        "display": {"name": "Forty panels", "description": ""}, "duration": "", "refreshInterval": "", "links": [],
        "variables": variables, "panels": spec_panels,
        "layouts": [{"kind": "Grid", "spec": {"display": {"title": f"Section {n}", "collapse": {"open": True}}, "items": grid}}
                    for n, grid in enumerate(items)],
    }}


def rows(runs: int) -> tuple[list[Row], list[str], bool]:
    from signoz_dac.cli.importer import verify
    from signoz_dac.importer import definition_yaml, import_dashboard
    from signoz_dac.signoz.v6 import parse_dashboard

    body = dashboard()
    json.dumps(body)  # a JSON body, as a file or a GET gives it
    imported = import_dashboard(body)
    text = definition_yaml(imported)
    verify(imported, text)  # the round trip holds (it raises otherwise); also warms every import
    parse_dashboard(body, allow_generate_name=True)
    runs = max(runs, 5)
    base = median_seconds(lambda: parse_dashboard(body, allow_generate_name=True), runs)
    plain = median_seconds(lambda: import_dashboard(body), runs)
    with_yaml = median_seconds(lambda: definition_yaml(import_dashboard(body)), runs)

    def checked() -> None:
        result = import_dashboard(body)
        verify(result, definition_yaml(result))

    with_check = median_seconds(checked, runs)
    out = [Row(SECTION, "strict parse of the body", fmt_seconds(base), target="(baseline)")]
    for name, seconds, target in (("import", plain, IMPORT_TARGET), ("import + YAML", with_yaml, None),
                                  ("import + YAML + render-back check", with_check, CHECK_TARGET)):
        out.append(Row(
            SECTION, name, fmt_seconds(seconds), baseline="strict parse", baseline_value=fmt_seconds(base),
            ratio=fmt_ratio(seconds / base) + " of it", target=f"< {fmt_seconds(target)}" if target else "",
            met=(seconds < target) if target else None,
        ))
    notes = [f"import: {len(body['spec']['panels'])} panels → {len(text.splitlines())} lines of YAML in style "
             f"{imported.definition.style}"]
    return out, notes, True
