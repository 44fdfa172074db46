"""Generic panels render to the SigNoz panels they describe, validated by the strict models, and
import gives the definition back.

The kitchen-sink definition sets every option of every kind; these tests read the rendered body
where SigNoz's UI reads each option.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import signoz_dac
from signoz_dac.definitions import load_definition
from signoz_dac.definitions.dashboard import Section
from signoz_dac.definitions.generic.model import Omittable, child_context, unset_value
from signoz_dac.definitions.generic.panels import REQUEST_TYPE, GenericPanel
from signoz_dac.definitions.generic.style import OMIT, PRESENT
from signoz_dac.importer import import_dashboard
from signoz_dac.importer.yaml_out import data
from signoz_dac.render.generic import panel_key
from signoz_dac.render.pipeline import render_traced

KITCHEN_SINK = Path(__file__).parent / "kitchen_sink.yaml"


@pytest.fixture(scope="module")
def body() -> dict:
    return signoz_dac.render(load_definition(KITCHEN_SINK))  # validated by the strict models


def spec(body: dict, key: str) -> dict:
    return body["spec"]["panels"][key]["spec"]


def query(body: dict, key: str) -> dict:
    return spec(body, key)["queries"][0]


def test_time_series_options_land_where_the_ui_reads_them(body):
    plugin = spec(body, "tool-calls")["plugin"]
    assert plugin["kind"] == "signoz/TimeSeriesPanel"
    assert plugin["spec"]["visualization"] == {"timePreference": "last_1_hr", "fillSpans": True}
    assert plugin["spec"]["formatting"] == {"unit": "reqps", "decimalPrecision": 1}
    assert plugin["spec"]["chartAppearance"] == {
        "lineInterpolation": "step_after", "showPoints": True, "lineStyle": "dashed", "fillMode": "gradient",
        "spanGaps": {"fillOnlyBelow": True, "fillLessThan": "5m"},
    }
    assert plugin["spec"]["axes"] == {"softMin": 0, "softMax": 100, "isLogScale": True}
    assert plugin["spec"]["legend"] == {"position": "right", "mode": "list", "customColors": {"A": "#ff0000"}}
    assert plugin["spec"]["thresholds"] == [{"value": 50, "unit": "reqps", "color": "Red", "label": "busy"}]
    assert spec(body, "tool-calls")["links"] == [
        {"name": "Trace", "url": "/trace/{{_trace_id}}", "tooltip": "", "renderVariables": True, "targetBlank": True}
    ]


def test_several_queries_travel_in_one_composite_with_their_formula_and_trace_operator(body):
    q = query(body, "tool-calls")
    assert q["kind"] == "time_series" and q["spec"]["name"] == "A"
    envelopes = q["spec"]["plugin"]["spec"]["queries"]
    assert q["spec"]["plugin"]["kind"] == "signoz/CompositeQuery"
    assert [e["type"] for e in envelopes] == ["builder_query", "builder_query", "builder_formula", "builder_trace_operator"]
    a = envelopes[0]["spec"]
    assert a["aggregations"] == [{"expression": "count()"}, {"expression": "p95(duration_nano)", "alias": "p95"}]
    assert a["groupBy"] == [
        {"name": "lk.function_tool.name", "signal": "", "fieldContext": "", "fieldDataType": ""},
        {"name": "service.name", "signal": "", "fieldContext": "resource", "fieldDataType": "string"},
    ]
    assert a["order"] == [{"key": {"name": "count()"}, "direction": "desc"}]
    assert a["limitBy"] == {"keys": ["service.name"], "value": "2"}
    assert a["having"] == {"expression": "count() > 5"}
    assert a["stepInterval"] == 60
    assert a["functions"] == [{"name": "timeShift", "args": [{"value": 3600}]}, {"name": "fillZero"}]
    assert envelopes[1]["spec"]["secondaryAggregations"] == [{"expression": "count()", "alias": "c", "stepInterval": 60, "limit": 5}]
    assert envelopes[2]["spec"] == {
        "name": "F1", "expression": "A / B", "disabled": False, "order": [{"key": {"name": "F1"}, "direction": "desc"}],
        "limit": 5, "having": {"expression": "F1 > 1"}, "functions": [{"name": "absolute"}], "legend": "ratio",
    }
    assert envelopes[3]["spec"]["expression"] == "A => B" and envelopes[3]["spec"]["returnSpansFrom"] == "A"


def test_each_kind_gets_its_plugin_and_request_type(body):
    expected = {
        "tool-calls": ("signoz/TimeSeriesPanel", "time_series"), "errors-by-service": ("signoz/BarChartPanel", "time_series"),
        "latency-spread": ("signoz/HistogramPanel", "time_series"), "p95-latency": ("signoz/NumberPanel", "scalar"),
        "slow-calls": ("signoz/TablePanel", "scalar"), "models": ("signoz/PieChartPanel", "scalar"),
        "logs": ("signoz/ListPanel", "raw"), "draft": ("signoz/TimeSeriesPanel", "time_series"),
    }
    got = {key: (p["spec"]["plugin"]["kind"], p["spec"]["queries"][0]["kind"]) for key, p in body["spec"]["panels"].items()}
    assert got == {**expected, "p95-latency": ("signoz/NumberPanel", "scalar")}


def test_number_table_pie_histogram_and_list_options(body):
    number = spec(body, "p95-latency")
    assert number["plugin"]["spec"]["thresholds"] == [
        {"value": 1.2, "operator": "above", "unit": "s", "color": "Red", "format": "background"}
    ]
    assert number["queries"][0]["spec"]["name"] == "Q"
    metric = number["queries"][0]["spec"]["plugin"]["spec"]["aggregations"][0]
    assert metric == {"metricName": "http.server.duration", "spaceAggregation": "p95", "timeAggregation": "rate",
                      "temporality": "cumulative", "reduceTo": "avg"}
    table = spec(body, "slow-calls")
    assert table["plugin"]["spec"]["formatting"] == {"columnUnits": {"d": "ns"}, "decimalPrecision": "full"}
    assert table["plugin"]["spec"]["thresholds"][0]["columnName"] == "d"
    assert table["queries"][0]["spec"]["plugin"]["kind"] == "signoz/ClickHouseSQL"
    assert table["queries"][0]["spec"]["plugin"]["spec"]["query"].startswith("SELECT trace_id")
    pie = spec(body, "models")
    assert pie["queries"][0]["spec"]["plugin"]["kind"] == "signoz/CompositeQuery"  # composite: true, one query
    assert pie["plugin"]["spec"]["legend"] == {"position": "right", "mode": "list", "customColors": {"gpt-4o": "#00ff00"}}
    histogram = spec(body, "latency-spread")
    assert histogram["plugin"]["spec"]["histogramBuckets"] == {"bucketCount": 30, "bucketWidth": 0.5, "mergeAllActiveQueries": True}
    promql = histogram["queries"][0]["spec"]["plugin"]
    assert promql == {"kind": "signoz/PromQLQuery", "spec": {"name": "A", "query": "sum(rate(http_server_duration_bucket[5m])) by (le)",
                                                             "disabled": False, "step": 60, "stats": True, "legend": "{{le}}"}}
    listing = spec(body, "logs")
    assert listing["plugin"]["spec"]["selectFields"] == [
        {"name": "timestamp", "signal": "", "fieldContext": "log", "fieldDataType": ""},
        {"name": "body", "signal": "logs", "fieldContext": "log", "fieldDataType": "string"},
    ]
    assert listing["queries"][0]["spec"]["plugin"]["kind"] == "signoz/BuilderQuery"


def test_variables_of_every_kind(body):
    variables = {v["spec"]["name"]: v for v in body["spec"]["variables"]}
    dynamic = variables["service_name"]["spec"]
    assert dynamic["display"] == {"name": "Service", "description": "Services"}
    assert (dynamic["defaultValue"], dynamic["sort"], dynamic["customAllValue"], dynamic["capturingRegexp"]) == (
        ["agent"], "alphabetical-desc", "*", "(.*)")
    assert dynamic["plugin"] == {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "all"}}
    assert variables["status"]["spec"]["plugin"] == {"kind": "signoz/QueryVariable", "spec": {"queryValue": "SELECT DISTINCT status FROM t"}}
    assert variables["limit"]["spec"]["plugin"] == {"kind": "signoz/CustomVariable", "spec": {"customValue": "10,20,50"}}
    assert variables["limit"]["spec"]["defaultValue"] == "10"
    assert variables["threshold"] == {"kind": "TextVariable", "spec": {
        "name": "threshold", "display": {"name": "Threshold", "description": ""}, "value": "3", "constant": True}}


def test_sections_positions_and_unplaced_panels(body):
    layouts = body["spec"]["layouts"]
    assert layouts[0]["spec"]["display"] == {"title": "Charts", "collapse": {"open": False}}
    assert layouts[0]["spec"]["repeatVariable"] == "service_name"
    assert "display" not in layouts[1]["spec"]  # an untitled section
    items = {i["content"]["$ref"].rsplit("/", 1)[1]: (i["x"], i["y"], i["width"], i["height"]) for layout in layouts for i in layout["spec"]["items"]}
    assert items == {
        "tool-calls": (0, 0, 12, 8), "errors-by-service": (0, 8, 6, 6), "latency-spread": (6, 8, 6, 6),
        "p95-latency": (0, 0, 3, 3), "slow-calls": (3, 0, 9, 6), "models": (0, 6, 6, 6), "logs": (6, 6, 6, 6),
    }
    assert "draft" in body["spec"]["panels"] and "draft" not in items  # kept, shown nowhere


def test_dashboard_fields(body):
    assert body["image"] == "/assets/Icons/eight-ball"
    assert sorted((t["key"], t["value"]) for t in body["tags"]) == [("tag", "alpha"), ("tag", "beta"), ("team", "voice")]
    assert (body["spec"]["duration"], body["spec"]["refreshInterval"]) == ("1d", "30s")
    assert body["spec"]["links"] == [{"name": "Runbook", "url": "https://runbooks.example/voice", "tooltip": "How to",
                                      "renderVariables": False, "targetBlank": True}]


def essential(value, style: str, context=("dashboard", None)):
    """A definition's options as they matter: set options that differ from what the style writes
    anyway (spelling out a default says nothing more), recursively; `omit` kept."""
    if isinstance(value, GenericPanel):
        context = ("panel", value.kind)
    elif isinstance(value, Section):
        context = ("section", "untitled" if value.title is None else None)
    if isinstance(value, Omittable):
        out = {}
        for name in sorted(value.model_fields_set - {"omit"}):
            item = getattr(value, name)
            default = unset_value(type(value), name, style, context)
            sub = context
            if isinstance(item, Omittable):
                sub = child_context(context, name, type(item))
            elif isinstance(item, list) and item and isinstance(item[0], Omittable):
                sub = child_context(context, name, type(item[0]))
            got = essential(item, style, sub)
            if default is PRESENT and got == {"omit": []}:
                continue  # an empty sub-object the style writes anyway
            if default is not OMIT and not isinstance(item, Omittable) and essential(default, style, sub) == got:
                continue
            if (name == "request_type" and item == REQUEST_TYPE[value.kind]) or (item is None and name == "size"):
                continue  # the request type the kind implies; no size (the default one)
            out[name] = got
        return {**out, "omit": sorted(value.omit)}
    if isinstance(value, list):
        return [essential(v, style, context) for v in value]
    return data(value)


def test_import_of_the_render_gives_the_definition_back(body):
    """Written in its own style, the import says what the definition says. What the definition left
    to defaults becomes explicit only where the body must say it: every panel's key and place."""
    definition = load_definition(KITCHEN_SINK)
    again = import_dashboard(body, style=definition.style).definition
    placed = {p.id: (p.position, p.size) for s in again.sections for p in s.panels}
    filled = definition.model_copy(update={"sections": [
        s.model_copy(update={"panels": [
            p.model_validate({**p.model_dump(exclude_unset=True), "id": panel_key(p),
                              "position": placed[panel_key(p)][0], "size": placed[panel_key(p)][1]})
            for p in s.panels
        ]}) for s in definition.sections
    ]})
    assert essential(again, definition.style) == essential(filled, definition.style)
    assert render_traced(again).body == body
