"""to_v5: our v6 body -> the v5 JSON SigNoz 0.92-0.134 reads, checked three ways: its shape (what
the v5 UI needs), SigNoz's own conversion of it (which must give the body back), and the clear
errors for what v5 cannot hold."""

from __future__ import annotations

import copy
import json
import re
import warnings

import pytest

import signoz_dac
from signoz_dac.errors import SchemaError
from signoz_dac.render.v5 import NotCarried, not_carried, to_v5
from signoz_dac.signoz.v5 import convert_v5_to_v6, ui_problems
from tests.signoz_v6.bodies import DELETE, set_path

from .bodies import v6_body
from .helpers import comparable, differences


def _quiet(body):
    with warnings.catch_warnings():
        warnings.simplefilter("error", NotCarried)  # a body that loses nothing warns about nothing
        return to_v5(body)


def test_a_body_with_every_panel_kind_round_trips_exactly():
    body = v6_body()
    v5 = _quiet(body)
    assert ui_problems(v5) == []
    assert not_carried(body) == []
    back = convert_v5_to_v6(v5)
    assert back["name"] == body["name"]
    assert differences(comparable(back), comparable(body)) == []


def test_the_v5_json_has_the_shape_the_v5_ui_reads():
    v5 = _quiet(v6_body())
    assert (v5["title"], v5["version"], v5["tags"]) == ("Voice agents", "v5", ["team:voice", "agents"])
    # Variables: a map keyed by id, in the definition's order.
    variables = sorted(v5["variables"].values(), key=lambda v: v["order"])
    assert [(v["name"], v["type"]) for v in variables] == [
        ("service_name", "DYNAMIC"), ("env", "CUSTOM"), ("model", "QUERY"), ("threshold", "TEXTBOX")]  # fmt: skip
    assert all(key == v["id"] for key, v in v5["variables"].items())
    service = variables[0]
    assert (service["dynamicVariablesSource"], service["sort"], service["multiSelect"], service["selectedValue"]) == (
        "Traces", "ASC", True, ["voice-agent"])  # fmt: skip
    # Layout: the untitled grid first, then a row per section; a collapsed row keeps its children
    # in panelMap only, an expanded row's children follow it in the layout.
    rows = [w["id"] for w in v5["widgets"] if w["panelTypes"] == "row"]
    assert [(i["i"], i["y"], i["w"], i["h"]) for i in v5["layout"] if i["i"] in rows] == [
        (rows[0], 6, 12, 1), (rows[1], 7, 12, 1)]  # fmt: skip
    assert [i["i"] for i in v5["layout"]] == ["latency", "errors", rows[0], rows[1], "hist", "logs"]
    assert v5["panelMap"][rows[0]]["collapsed"] is True
    assert [c["i"] for c in v5["panelMap"][rows[0]]["widgets"]] == ["count", "models", "bars", "table"]
    assert v5["panelMap"][rows[1]] == {"collapsed": False, "widgets": []}
    # Widgets: v5 words, one query object with every key.
    widgets = {w["id"]: w for w in v5["widgets"]}
    latency = widgets["latency"]
    assert (latency["panelTypes"], latency["timePreferance"], latency["spanGaps"], latency["decimalPrecision"]) == (
        "graph", "LAST_1_HR", 60, 3)  # fmt: skip
    query = latency["query"]
    assert set(query) == {"queryType", "builder", "promql", "clickhouse_sql", "id"}
    [data] = query["builder"]["queryData"]
    assert (data["queryName"], data["expression"], data["aggregations"], data["stepInterval"]) == (
        "A", "A", [{"expression": "p95(duration_nano) as p95"}], 60)  # fmt: skip
    assert data["groupBy"][0]["key"] == "service.name" and data["orderBy"] == [{"columnName": "p95", "order": "desc"}]
    assert widgets["count"]["thresholds"][0]["thresholdOperator"] == "<="
    assert widgets["count"]["query"]["builder"]["queryData"][0]["reduceTo"] == "avg"
    assert widgets["table"]["query"]["queryType"] == "clickhouse_sql"
    assert widgets["logs"]["selectedLogFields"] == [{"name": "body", "signal": "logs", "fieldContext": "log", "fieldDataType": "string"}]
    assert widgets["logs"]["query"]["builder"]["queryData"][0]["pageSize"] == 100
    assert [f["queryName"] for f in widgets["errors"]["query"]["builder"]["queryFormulas"]] == ["F1"]


def test_output_is_byte_stable():
    first = json.dumps(_quiet(v6_body()), sort_keys=True)
    assert json.dumps(_quiet(v6_body()), sort_keys=True) == first


# What has no v5 form: (path to change, new value, the issue's path).
NO_V5_FORM = [
    ("spec.variables[3].spec.constant", True, "spec.variables[3].spec.constant"),
    ("spec.variables[1].spec.sort", "numerical-asc", "spec.variables[1].spec.sort"),
    ("spec.variables[1].spec.plugin", DELETE, "spec.variables[1].spec.plugin"),
    ("spec.panels.count.spec.plugin.spec.thresholds[0].operator", "not_equal", "spec.panels.count.spec.plugin.spec.thresholds[0].operator"),
    ("spec.panels.bars.spec.queries[0].spec.plugin.spec.step", 30, "spec.panels.bars.spec.queries[0].spec.plugin.spec.step"),
    ("spec.panels.latency.spec.queries[0].spec.plugin.spec.aggregations[0].expression", "sum(toFloat64(x))",
     "spec.panels.latency.spec.queries[0].spec.plugin.spec.aggregations[0].expression"),
    ("spec.panels.latency.spec.queries[0].spec.plugin.spec.cursor", "abc", "spec.panels.latency.spec.queries[0].spec.plugin.spec.cursor"),
    ("spec.panels.latency.spec.queries[0].spec.plugin.spec.functions[0].args[0].name", "shift",
     "spec.panels.latency.spec.queries[0].spec.plugin.spec.functions[0].args[0].name"),
    ("spec.panels.count.spec.queries[0].spec.plugin.spec.aggregations[0].reduceTo", "median",
     "spec.panels.count.spec.queries[0].spec.plugin.spec.aggregations[0].reduceTo"),
    ("spec.panels.errors.spec.queries[0].spec.plugin.spec.queries[2].spec.functions", [{"name": "absolute"}],
     "spec.panels.errors.spec.queries[0].spec.plugin.spec.queries[2].spec.functions"),
    ("spec.panels.errors.spec.queries[0].spec.plugin.spec.queries[1]",
     {"type": "promql", "spec": {"name": "B", "query": "up"}}, "spec.panels.errors.spec.queries[0].spec.plugin.spec.queries"),
    ("spec.layouts[1].spec.display", DELETE, "spec.layouts[1].spec.display"),
    ("tags[0].value", "a/b", "tags[0]"),
    ("tags[1]", {"key": "Team", "value": "VOICE"}, "tags"),
    ("spec.display.name", " ", "spec.display.name"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "issue_path"), NO_V5_FORM, ids=[c[0] + "=" + str(c[1])[:20] for c in NO_V5_FORM])
def test_what_v5_cannot_hold_is_an_error_at_its_path(path, value, issue_path):
    body = set_path(v6_body(), path, value)
    with pytest.raises(SchemaError) as caught:
        to_v5(body)
    assert issue_path in [issue.path for issue in caught.value.issues]


def test_a_preset_icon_as_data_uri_would_become_its_path(shared):
    """SigNoz maps its preset icons to /assets/Icons/<name>; a v6 body holding the data URI of one
    cannot keep it through v5 (the avocado icon comes from SigNoz's conversion vectors)."""
    from . import vectors

    [avocado] = [v["v1"] for v in vectors.load(shared) if v["id"] == "v1-image-preset-avocado-icon-base64-maps-to-icon-path"]
    with pytest.raises(SchemaError, match="/assets/Icons/avocado"):
        to_v5(set_path(v6_body(), "image", avocado))


def test_an_invalid_v6_body_is_refused_before_anything_is_written():
    body = set_path(v6_body(), "spec.panels.latency.kind", "Panels")
    with pytest.raises(SchemaError, match=r"spec\.panels\.latency\.kind"):
        to_v5(body)


# What v5 writes but SigNoz's conversion does not bring back: (change, the note's path).
NOT_CARRIED = [
    ("spec.duration", "6h", "spec.duration"),
    ("spec.refreshInterval", "30s", "spec.refreshInterval"),
    ("spec.links", [{"name": "docs", "url": "https://example.com"}], "spec.links"),
    ("spec.variables[0].spec.display.name", "Service", "spec.variables[0].spec.display.name"),
    ("spec.variables[0].spec.capturingRegexp", "(.*)", "spec.variables[0].spec.capturingRegexp"),
    ("spec.panels.logs.spec.links", [{"name": "trace", "url": "/trace/{{trace_id}}"}], "spec.panels.logs.spec.links"),
    ("spec.panels.logs.spec.queries[0].spec.plugin.spec.order", [{"key": {"name": "timestamp"}, "direction": "desc"}],
     "spec.panels.logs.spec.queries[0].spec.plugin.spec.order[0].key.name"),
    ("spec.panels.latency.spec.queries[0].spec.plugin.spec.selectFields", [{"name": "body", "signal": "logs"}],
     "spec.panels.latency.spec.queries[0].spec.plugin.spec.selectFields[0].signal"),
    ("spec.panels.errors.spec.queries[0].spec.name", "A", "spec.panels.errors.spec.queries[0].spec.name"),
    ("spec.layouts[2].spec.display.collapse", DELETE, "spec.layouts[2].spec.display.collapse"),
    ("spec.layouts[2].spec.items[1]", DELETE, "spec.panels.logs"),
    ("name", "voice", "name"),
    ("spec.panels.latency.spec.plugin.spec.chartAppearance.spanGaps", {"fillOnlyBelow": False, "fillLessThan": "5m"},
     "spec.panels.latency.spec.plugin.spec.chartAppearance.spanGaps.fillLessThan"),
    # SigNoz's own test dashboard (perses_with_sections.json) has a Number panel whose query is a
    # time_series: the conversion sets the kind from the panel (scalar), so it does not come back.
    ("spec.panels.count.spec.queries[0].kind", "time_series", "spec.panels.count.spec.queries[0].kind"),
    ("spec.panels.table.spec.queries[0].kind", "time_series", "spec.panels.table.spec.queries[0].kind"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "value", "note_path"), NOT_CARRIED, ids=[c[0] for c in NOT_CARRIED])
def test_what_the_conversion_does_not_bring_back_is_noted_and_is_the_only_difference(path, value, note_path):
    body = set_path(v6_body(), path, value)
    with pytest.warns(NotCarried, match=re.escape(note_path)):
        v5 = to_v5(body)
    assert [n.path for n in not_carried(body)] == [note_path]
    back = convert_v5_to_v6(v5)  # named from the title, as SigNoz's conversion does
    found = differences(comparable(back), comparable(body))
    assert found, "a noted field must really be lost"
    assert all(_covered(d, [note_path]) for d in found), found


def _covered(difference: str, note_paths: list[str]) -> bool:
    path = difference.split(": ", 1)[0]
    return any(path.startswith(n) or n.startswith(path) for n in note_paths)


# Optional fields SigNoz accepts absent, each meaning what SigNoz makes of it: an untitled
# dashboard is stored under its name, a panel without `display` has no title, a variable without
# `display` shows its name.
@pytest.mark.parametrize(("path", "notes"), [
    ("spec.display", []),
    ("spec.panels.logs.spec.display", []),
    ("spec.variables[0].spec.display", ["spec.variables[0].spec.display"]),
])
def test_an_absent_optional_field_means_what_signoz_makes_of_it(path, notes):
    body = set_path(v6_body(), path, DELETE)
    assert [n.path for n in not_carried(body)] == notes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotCarried)
        v5 = to_v5(body)
    if path == "spec.display":
        assert v5["title"] == body["name"] == "voice-agents"
    if path.startswith("spec.panels"):
        [logs] = [w for w in v5["widgets"] if w["id"] == "logs"]
        assert (logs["title"], logs["description"]) == ("", "")
    found = differences(comparable(convert_v5_to_v6(v5)), comparable(body))
    assert [d for d in found if not _covered(d, notes)] == []


def test_a_query_without_filter_or_having_is_one_with_empty_ones():
    """SigNoz reads an absent filter or having as no condition: v5 gets empty expressions."""
    body = v6_body()
    single = body["spec"]["panels"]["latency"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]
    composite = body["spec"]["panels"]["errors"]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["queries"]
    for spec in [single] + [q["spec"] for q in composite]:
        spec.pop("filter", None)
        spec.pop("having", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotCarried)
        v5 = to_v5(body)
    for key in ("latency", "errors"):
        [widget] = [w for w in v5["widgets"] if w["id"] == key]
        builder = widget["query"]["builder"]
        for query in builder["queryData"]:
            assert (query["filter"], query["having"]) == ({"expression": ""}, {"expression": ""})
        assert all(f["having"] == {"expression": ""} for f in builder["queryFormulas"])
    assert differences(comparable(convert_v5_to_v6(v5)), comparable(body)) == []


def test_panel_links_are_written_for_the_v5_ui():
    body = set_path(v6_body(), "spec.panels.logs.spec.links", [{"name": "Open", "url": "/trace/{{trace_id}}"}])
    with pytest.warns(NotCarried):
        v5 = to_v5(body)
    [logs] = [w for w in v5["widgets"] if w["id"] == "logs"]
    [link] = logs["contextLinks"]["linksData"]
    assert (link["label"], link["url"]) == ("Open", "/trace/{{trace_id}}") and link["id"]


# The built-in dashboards lose exactly these, each for a reason stated in `not_carried`: the
# variables' display names (v5 has no place for them, and shows the name), the names our templates
# give composite queries (SigNoz's conversion names only a single query), the Shortest
# conversations table's trace link (a contextLink the v5 UI shows, which SigNoz's migration drops),
# and the lists' `timestamp desc` order and select-field signals (the v5 UI uses them; the
# migration drops them). They set no time range, so `spec.duration` is not among them.
SHIPPED_NOTES = [
    r"spec\.variables\[\d\]\.spec\.display\.name$",
    r"spec\.panels\.[a-z-]+\.spec\.queries\[0\]\.spec\.name$",
    r"spec\.panels\.shortest-conversations\.spec\.links$",
    r"spec\.panels\.(error-records|logs)\.spec\.queries\[0\]\.spec\.plugin\.spec\.order\[0\]\.key\.name$",
    r"spec\.panels\.error-records\.spec\.queries\[0\]\.spec\.plugin\.spec\.selectFields\[\d\]\.signal$",
]


def test_the_shipped_dashboards_render_to_v5_and_convert_back(builtin_bodies):
    for name, body in builtin_bodies.items():
        original = copy.deepcopy(body)
        with pytest.warns(NotCarried):
            v5 = to_v5(body)
        assert body == original, "to_v5 must not change its input"
        assert ui_problems(v5) == []
        back = convert_v5_to_v6(v5)
        assert back["name"] == name  # the title's slug is the definition's name
        notes = [n.path for n in not_carried(body)]
        assert sorted({p for p in SHIPPED_NOTES for n in notes if re.match(p, n)}) == sorted(SHIPPED_NOTES), name
        assert all(any(re.match(p, n) for p in SHIPPED_NOTES) for n in notes), name
        found = differences(comparable(back), comparable(body))
        assert found and [d for d in found if not _covered(d, notes)] == [], name


def test_render_v5_is_to_v5_of_render():
    from signoz_dac.resources import builtin_definitions

    dashboard = signoz_dac.load_definition(builtin_definitions()[0])
    with pytest.warns(NotCarried):
        expected = to_v5(signoz_dac.render(dashboard))
    with pytest.warns(NotCarried):
        assert signoz_dac.render_v5(dashboard) == expected


def test_an_empty_default_value_is_noted():
    body = set_path(v6_body(), "spec.variables[1].spec.defaultValue", "")
    assert [n.path for n in not_carried(body)] == ["spec.variables[1].spec.defaultValue"]


def test_every_problem_is_reported_at_once():
    body = set_path(v6_body(), "tags[1]", {"key": "Team", "value": "VOICE"})
    set_path(body, "spec.variables[3].spec.constant", True)
    with pytest.raises(SchemaError) as caught:
        to_v5(body)
    assert sorted(i.path for i in caught.value.issues) == ["spec.variables[3].spec.constant", "tags"]
