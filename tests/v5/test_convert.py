"""convert_v5_to_v6 on hand-made v5 dashboards (no ../shared needed): the conversion rules SigNoz
applies, each expectation written from those rules, and the errors with JSON paths."""

from __future__ import annotations

import copy
import json

import pytest

from signoz_dac.errors import InputError, SchemaError
from signoz_dac.importer.v5 import convert_v5_to_v6 as imported
from signoz_dac.signoz.v5 import convert_v5_to_v6, name_from_title
from signoz_dac.signoz.v5.convert import convert_tags, resolve_image
from signoz_dac.signoz.v5.durations import go_duration, seconds
from signoz_dac.signoz.v6 import parse_dashboard
from tests.signoz_v6.bodies import set_path

from .bodies import query, query_data, v5_body, widget


@pytest.fixture
def body() -> dict:
    return convert_v5_to_v6(v5_body())


def _query(body: dict, key: str) -> dict:
    return body["spec"]["panels"][key]["spec"]["queries"][0]


def test_the_importer_reads_v5_through_the_same_function():
    assert imported is convert_v5_to_v6


def test_dashboard_fields(body):
    parse_dashboard(body)
    assert body["schemaVersion"] == "v6" and "generateName" not in body
    assert body["name"] == "voice-agents-old"
    assert body["spec"]["display"] == {"name": "Voice agents (old)", "description": "from SigNoz 0.134"}
    assert body["tags"] == [{"key": "tag", "value": "voice"}, {"key": "team", "value": "agents"}]
    assert (body["image"], body["spec"]["duration"], body["spec"]["links"]) == ("", "", [])


def test_widgets_become_panels_keyed_by_sanitised_id(body):
    panels = body["spec"]["panels"]
    # Rows are sections, and a widget placed nowhere is dropped; "value.1" has a '.' a $ref cannot hold.
    assert sorted(panels) == ["graph-1", "list-1", "pie-1", "table-1", "value-1"]
    kinds = {k: p["spec"]["plugin"]["kind"].split("/")[1] for k, p in panels.items()}
    assert kinds == {"graph-1": "TimeSeriesPanel", "value-1": "NumberPanel", "pie-1": "PieChartPanel",
                     "list-1": "ListPanel", "table-1": "TablePanel"}  # fmt: skip
    assert all(p["spec"]["links"] == [] for p in panels.values())


def test_widget_options_map_to_the_plugin_spec(body):
    graph = body["spec"]["panels"]["graph-1"]["spec"]["plugin"]["spec"]
    assert graph["formatting"] == {"unit": "ns", "decimalPrecision": "2"}
    assert graph["chartAppearance"]["lineInterpolation"] == "step_after"
    assert graph["chartAppearance"]["spanGaps"] == {"fillOnlyBelow": True, "fillLessThan": "1m30s"}  # 90 seconds
    assert graph["axes"] == {"softMin": 1, "softMax": None, "isLogScale": False}
    assert graph["visualization"] == {"timePreference": "global_time", "fillSpans": False}
    value = body["spec"]["panels"]["value-1"]["spec"]["plugin"]["spec"]
    # The threshold without a colour is dropped; ">=" and "Background" are read.
    assert value["thresholds"] == [{"value": 1, "operator": "above_or_equal", "unit": "", "color": "Red", "format": "background"}]
    assert body["spec"]["panels"]["pie-1"]["spec"]["plugin"]["spec"]["legend"]["position"] == "right"
    assert body["spec"]["panels"]["table-1"]["spec"]["plugin"]["spec"]["formatting"]["columnUnits"] == {"turns": "none"}
    fields = body["spec"]["panels"]["list-1"]["spec"]["plugin"]["spec"]["selectFields"]
    assert fields == [{"name": "body", "signal": "logs", "fieldContext": "log", "fieldDataType": "string"}]


def test_queries(body):
    graph = _query(body, "graph-1")
    assert (graph["kind"], graph["spec"]["name"], graph["spec"]["plugin"]["kind"]) == ("time_series", "A", "signoz/BuilderQuery")
    spec = graph["spec"]["plugin"]["spec"]
    assert spec["aggregations"] == [{"expression": "p95(duration_nano)"}]
    assert spec["groupBy"] == [{"name": "service.name", "signal": "", "fieldContext": "resource", "fieldDataType": "string"}]
    assert _query(body, "value-1")["kind"] == "scalar"
    # "count() " is read as count(); a v4 "tag" context is an attribute.
    pie = _query(body, "pie-1")["spec"]["plugin"]["spec"]
    assert pie["aggregations"] == [{"expression": "count()"}] and pie["groupBy"][0]["fieldContext"] == "attribute"
    # A List: raw, its page size is its limit, and a `timestamp` order is not a key SigNoz keeps.
    logs = _query(body, "list-1")
    assert logs["kind"] == "raw"
    assert (logs["spec"]["plugin"]["spec"]["limit"], logs["spec"]["plugin"]["spec"]["order"]) == (25, [])
    table = _query(body, "table-1")
    assert table["spec"]["plugin"] == {
        "kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": "SELECT 1 AS turns", "disabled": False, "legend": ""}}  # fmt: skip


def test_layout_rows_and_panel_map(body):
    layouts = body["spec"]["layouts"]
    assert [lay["spec"].get("display") for lay in layouts] == [
        None, {"title": "Models", "collapse": {"open": False}}, {"title": "Logs", "collapse": {"open": True}}]  # fmt: skip
    boxes = [[(i["content"]["$ref"].rsplit("/", 1)[1], i["x"], i["y"], i["width"], i["height"]) for i in lay["spec"]["items"]]
             for lay in layouts]  # fmt: skip
    assert boxes == [
        [("graph-1", 0, 0, 6, 6), ("value-1", 6, 0, 3, 3)],
        [("pie-1", 0, 0, 4, 4)],  # from panelMap, moved up to the top of its section
        [("list-1", 0, 0, 12, 6), ("table-1", 0, 6, 6, 4)],  # the gap above the table is closed
    ]


def test_variables(body):
    variables = body["spec"]["variables"]
    # Sorted by order, then by id: b-uuid (0), then a-uuid and c-uuid (1).
    assert [(v["kind"], v["spec"]["name"]) for v in variables] == [
        ("ListVariable", "service_name"), ("TextVariable", "threshold"), ("ListVariable", "env")]  # fmt: skip
    service, text, env = (v["spec"] for v in variables)
    assert service["plugin"] == {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "traces"}}
    assert (service["allowAllValue"], service["allowMultiple"], service["sort"]) == (True, True, "alphabetical-asc")
    assert service["display"] == {"name": "service_name", "description": "services"}
    assert (text["value"], text["constant"]) == ("3", False)
    # The ALL option needs a multi-select.
    assert (env["defaultValue"], env["allowAllValue"], env["allowMultiple"]) == ("prod", False, False)


def test_the_same_input_gives_the_same_body():
    assert json.dumps(convert_v5_to_v6(v5_body())) == json.dumps(convert_v5_to_v6(v5_body()))


def test_the_input_is_not_changed():
    v5 = v5_body()
    convert_v5_to_v6(v5)
    assert v5 == v5_body()


def test_the_caller_can_name_the_dashboard():
    assert convert_v5_to_v6(v5_body(), name="old-agents")["name"] == "old-agents"
    with pytest.raises(SchemaError, match="name"):
        convert_v5_to_v6(v5_body(), name="Not A Label")


@pytest.mark.parametrize(
    ("title", "name"),
    [("Voice agents", "voice-agents"), ("  Überblick: Latenz & Fehler ", "uberblick-latenz-fehler"), ("x" * 80, "x" * 63),
     ("LiveKit voice agent", "livekit-voice-agent")],
)  # fmt: skip
def test_names_are_dns_labels_of_the_title(title, name):
    assert name_from_title(title) == name


def test_a_title_without_letters_or_digits_needs_a_name():
    with pytest.raises(SchemaError, match=r"title: cannot derive"):
        convert_v5_to_v6({**v5_body(), "title": "🎙️"})
    assert convert_v5_to_v6({**v5_body(), "title": "🎙️"}, name="voice")["spec"]["display"]["name"] == "🎙️"


# --- the v4 leftovers the migration reads ------------------------------------------------------------


def _one(panel_type: str, qd: dict) -> dict:
    v5 = {"title": "T", "widgets": [widget("w", panel_type, "W", query(queryData=[qd]))], "layout": [{"i": "w", "x": 0, "y": 0, "w": 6, "h": 6}]}
    return convert_v5_to_v6(v5)["spec"]["panels"]["w"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]


def test_v4_filters_become_an_expression():
    items = [
        {"key": {"key": "service.name"}, "op": "IN", "value": "$service_name"},
        {"key": {"key": "http.status_code"}, "op": ">=", "value": 500},
        {"key": {"key": "name"}, "op": "nin", "value": ["a", "it's"]},
        {"key": {"key": "error"}, "op": "nexists", "value": ""},
        {"key": {"key": "body"}, "op": "contains", "value": "timeout"},
    ]
    spec = _one("graph", query_data(filter={"expression": ""}, filters={"op": "AND", "items": items}))
    assert spec["filter"]["expression"] == (
        "(service.name IN $service_name AND http.status_code >= 500 AND name NOT IN ['a', 'it\\'s'] "
        "AND error NOT EXISTS AND body CONTAINS 'timeout')"
    )


def test_v4_flat_aggregations_are_rebuilt():
    metrics = _one("value", query_data(signal="metrics", aggregations=[], aggregateOperator="rate",
                                       aggregateAttribute={"key": "calls_total"}, timeAggregation="rate", spaceAggregation="avg"))  # fmt: skip
    # A scalar panel reduces a counter read as a rate with sum.
    assert metrics["aggregations"] == [
        {"metricName": "calls_total", "temporality": "", "timeAggregation": "rate", "spaceAggregation": "avg", "reduceTo": "sum"}]  # fmt: skip
    logs = _one("graph", query_data(signal="logs", aggregations=[], aggregateOperator="count_distinct", aggregateAttribute={"key": "trace_id"}))
    assert logs["aggregations"] == [{"expression": "count_distinct(trace_id)"}]


def test_default_fixes():
    spec = _one("graph", query_data(signal="metrics", aggregations=[{"metricName": "m", "spaceAggregation": "median"}],
                                    orderBy=[{"columnName": "#SIGNOZ_VALUE", "order": "DESC"}, {"columnName": "host", "order": "asc"}],
                                    functions=[{"name": "absolute"}, {"name": "notAFunction"}]))  # fmt: skip
    # An invalid space aggregation is sum; "order by the value" and any other key that is not a
    # group-by or aggregation key become the aggregation's key; an unknown function is dropped.
    assert spec["aggregations"][0]["spaceAggregation"] == "sum"
    assert spec["order"] == [{"key": {"name": "sum(m)"}, "direction": "desc"}, {"key": {"name": "sum(m)"}, "direction": "asc"}]
    assert spec["functions"] == [{"name": "absolute"}]
    assert _one("list", query_data(signal="logs", aggregations=[]))["aggregations"] == []
    assert _one("graph", query_data(signal="logs", aggregations=[]))["aggregations"] == [{"expression": "count()"}]


def test_several_queries_and_a_formula_make_a_composite_without_a_name():
    v5 = {"title": "T", "layout": [{"i": "w", "x": 0, "y": 0, "w": 6, "h": 6}],
          "widgets": [widget("w", "graph", "W", query(queryData=[query_data("A"), query_data("")],
                                                      queryFormulas=[{"queryName": "", "expression": "A / B"}, {"expression": " "}]))]}  # fmt: skip
    [q] = convert_v5_to_v6(v5)["spec"]["panels"]["w"]["spec"]["queries"]
    assert "name" not in q["spec"]
    queries = q["spec"]["plugin"]["spec"]["queries"]
    # A missing name is the query's letter or the formula's number; an empty formula is dropped.
    assert [(e["type"], e["spec"]["name"]) for e in queries] == [("builder_query", "A"), ("builder_query", "B"), ("builder_formula", "F1")]


def test_a_body_not_yet_v5_has_spaces_removed_from_variable_names():
    v5 = {"title": "T", "version": "v4", "variables": {"x": {"name": "my var", "type": "TEXTBOX", "textboxValue": "1"}}}
    assert convert_v5_to_v6(v5)["spec"]["variables"][0]["spec"]["name"] == "myvar"
    with pytest.raises(SchemaError, match=r"spec\.variables\[0\]\.spec\.name"):
        convert_v5_to_v6({**v5, "version": "v5"})  # kept as is, and a v6 name cannot hold a space


# --- images, tags, durations ---------------------------------------------------------------------


def test_images():
    assert resolve_image("data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E") == "data:image/svg+xml;base64,PHN2Zy8+"
    assert resolve_image("https://example.com/a.png") == "/assets/Icons/eight-ball"
    assert resolve_image("/assets/Logos/x") == "/assets/Logos/x"


def test_tags():
    assert convert_tags(["env:prod", "Env:PROD", "a b", "name:x", ":", "k:v:w", "3d:y"]) == [
        {"key": "env", "value": "prod"}, {"key": "tag", "value": "a_b"}, {"key": "_name", "value": "x"},
        {"key": "k", "value": "v_w"}, {"key": "_3d", "value": "y"}]  # fmt: skip
    assert convert_tags(None) is None


def test_durations():
    assert [go_duration(s) for s in (0, 0.5, 30, 60, 90, 3600, 5400.25)] == ["0s", "500ms", "30s", "1m0s", "1m30s", "1h0m0s", "1h30m0.25s"]
    assert [seconds(t) for t in ("1m0s", "5m", "1h30m", "1d", "250ms", "bad", "")] == [60, 300, 5400, 86400, 0.25, None, None]


# --- failures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "issue"),
    [
        ("widgets[0].title", 3, "widgets[0].title: must be a string, got a number"),
        ("widgets[0].query", "nope", "widgets[0].query: must be an object, got a string"),
        ("layout[1].x", "6", "layout[1].x: must be a whole number, got a string"),
        ("layout[1].y", 1.5, "layout[1].y: must be a whole number, got a number"),
        ("tags", "nope", "tags: must be a list, got a string"),
        ("tags[1]", 42, "tags[1]: must be a string, got a number"),
        ("variables", [], "variables: must be an object, got a list"),
        ("variables.b-uuid.type", "WHATEVER", "variables.b-uuid.type: unknown variable type 'WHATEVER'"),
        ("widgets[0].query.queryType", "sql", "widgets[0].query.queryType: unknown query type 'sql'"),
        ("widgets[0].query.builder", None, "widgets[0].query.builder: a builder query needs its 'builder' object"),
        ("panelMap.row-models.widgets[0].w", "4", "panelMap.row-models.widgets[0].w: must be a whole number"),
        ("widgets[0].thresholds[0].thresholdValue", "1", "widgets[0].thresholds[0].thresholdValue: must be a number"),
    ],
)  # fmt: skip
def test_malformed_fields_are_errors_at_their_path(path, value, issue):
    v5 = v5_body()
    if path == "widgets[0].thresholds[0].thresholdValue":
        v5["widgets"][0]["thresholds"] = [{"thresholdValue": 0, "thresholdColor": "Red"}]
    set_path(v5, path, value)
    with pytest.raises(SchemaError) as caught:
        convert_v5_to_v6(v5, source="old.json")
    assert isinstance(caught.value, InputError)
    assert any(str(i).startswith(issue) for i in caught.value.issues), [str(i) for i in caught.value.issues]
    assert str(caught.value).startswith("old.json: ")


def test_several_malformed_fields_are_reported_together():
    v5 = set_path(set_path(v5_body(), "widgets[0].title", 1), "layout[0].w", "6")
    with pytest.raises(SchemaError) as caught:
        convert_v5_to_v6(v5)
    assert [i.path for i in caught.value.issues] == ["widgets[0].title", "layout[0].w"]


@pytest.mark.parametrize("body", [{"schemaVersion": "v6", "spec": {}}, {"metadata": {"schemaVersion": "v6"}, "spec": {}}])
def test_a_v6_body_is_refused(body):
    with pytest.raises(SchemaError, match="already in the v6 format"):
        convert_v5_to_v6(body)


def test_not_an_object_is_refused():
    with pytest.raises(SchemaError, match="JSON object"):
        convert_v5_to_v6([])


def test_a_result_that_breaks_the_v6_rules_names_the_widget():
    v5 = copy.deepcopy(v5_body())
    # A formula that does not parse: fine for SigNoz's converter, refused by the v6 checks (which,
    # like SigNoz, do not check the names it refers to).
    v5["widgets"][0]["query"]["builder"]["queryFormulas"] = [{"queryName": "F1", "expression": "A / "}]
    with pytest.raises(SchemaError) as caught:
        convert_v5_to_v6(v5)
    [issue] = caught.value.issues
    assert issue.path.startswith("spec.panels.graph-1.spec.queries[0]")
    assert issue.message.startswith("after conversion: ") and issue.message.endswith("(from widgets[0])")
