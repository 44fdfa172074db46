"""What SigNoz's UI does with a dashboard the server accepted: one failing and one passing case per
check, through lint; and render refusing its own output when it would break one."""

from __future__ import annotations

import pytest

from signoz_dac.lint import lint_dashboard
from tests.lint.helpers import (
    TIME_FILTER,
    builder,
    builder_panel,
    composite_panel,
    dashboard,
    dynamic_var,
    panel,
    query,
    sql_panel,
)


def findings(body, check: str):
    return [f for f in lint_dashboard(body) if f.check == check]


def metrics_panel(plugin: str, kind: str, reduce_to: str | None) -> dict:
    agg = {"metricName": "http.server.duration", "timeAggregation": "avg", "spaceAggregation": "p95"}
    if reduce_to:
        agg["reduceTo"] = reduce_to
    spec = {"name": "A", "signal": "metrics", "aggregations": [agg], "filter": {"expression": ""}}
    return panel("HTTP", plugin, queries=[query(kind, "signoz/BuilderQuery", spec)])


# -- panel-reduce-to ------------------------------------------------------------------------------


@pytest.mark.parametrize("plugin", ["signoz/NumberPanel", "signoz/PieChartPanel", "signoz/TablePanel"])
def test_metrics_on_a_scalar_panel_need_reduce_to(plugin: str) -> None:
    (f,) = findings(dashboard({"p": metrics_panel(plugin, "time_series", None)}), "panel-reduce-to")
    assert f.severity == "error" and f.path.endswith("aggregations[0].reduceTo") and "scalar" in f.message
    assert not findings(dashboard({"p": metrics_panel(plugin, "time_series", "avg")}), "panel-reduce-to")


def test_reduce_to_is_not_needed_where_the_ui_runs_a_time_series() -> None:
    assert not findings(dashboard({"p": metrics_panel("signoz/TimeSeriesPanel", "time_series", None)}), "panel-reduce-to")


# -- filter-variable-all / filter-variable-first-value --------------------------------------------


def test_equals_with_a_dynamic_variable_that_allows_all() -> None:
    body = dashboard({"p": builder_panel("Calls", filt="service.name = $svc")}, [dynamic_var("svc")])
    (f,) = findings(body, "filter-variable-all")
    assert f.severity == "error" and "service.name IN $svc" in f.message and f.path.endswith("filter.expression")
    ok = dashboard({"p": builder_panel("Calls", filt="service.name IN $svc")}, [dynamic_var("svc")])
    assert not findings(ok, "filter-variable-all") and not findings(ok, "filter-variable-first-value")


@pytest.mark.parametrize("operator", ["LIKE", "ILIKE", "CONTAINS", "REGEXP"])
def test_every_operator_but_in_compares_with_all(operator: str) -> None:
    body = dashboard({"p": builder_panel("Calls", filt=f"service.name {operator} $svc")}, [dynamic_var("svc")])
    assert findings(body, "filter-variable-all")


@pytest.mark.parametrize("operator", ["!=", "NOT LIKE", "NOT CONTAINS"])
def test_an_excluding_operator_under_all_keeps_everything(operator: str) -> None:
    # `!= '__all__'` matches every row: not an empty panel; several values still use only the first.
    body = dashboard({"p": builder_panel("Calls", filt=f"service.name {operator} $svc")}, [dynamic_var("svc")])
    assert not findings(body, "filter-variable-all")
    assert findings(body, "filter-variable-first-value")


def test_equals_with_a_multi_select_variable_without_all_uses_the_first_value() -> None:
    body = dashboard({"p": builder_panel("Calls", filt="service.name = $svc")}, [dynamic_var("svc", allow_all=False)])
    assert not findings(body, "filter-variable-all")
    (f,) = findings(body, "filter-variable-first-value")
    assert f.severity == "warning" and "first" in f.message


def test_equals_with_a_single_value_variable_is_fine() -> None:
    var = dynamic_var("svc", allow_all=False)
    var["spec"]["allowMultiple"] = False
    body = dashboard({"p": builder_panel("Calls", filt="service.name = $svc")}, [var])
    assert not findings(body, "filter-variable-all") and not findings(body, "filter-variable-first-value")


# -- table-column-key -----------------------------------------------------------------------------


def table(columns: dict, queries: list, thresholds: list | None = None) -> dict:
    spec = {"formatting": {"columnUnits": columns}}
    if thresholds:
        spec["thresholds"] = thresholds
    return dashboard({"t": panel("Table", "signoz/TablePanel", spec, [query("scalar", "signoz/CompositeQuery", {"queries": queries})])})


def test_builder_columns_are_keyed_by_query_name() -> None:
    queries = [{"type": "builder_query", "spec": builder("p95(duration_nano)", alias="p95")},
               {"type": "builder_formula", "spec": {"name": "F1", "expression": "A * 2"}}]  # fmt: skip
    (f,) = findings(table({"p95": "ns", "F1": "ns"}, queries), "table-column-key")
    assert f.path.endswith("columnUnits.p95") and "query name" in f.message and f.severity == "warning"
    assert not findings(table({"A": "ns", "F1": "ns"}, queries), "table-column-key")


def test_a_query_with_several_aggregations_is_keyed_by_expression() -> None:
    spec = builder("count()")
    spec["aggregations"].append({"expression": "p95(duration_nano)"})
    queries = [{"type": "builder_query", "spec": spec}]
    assert not findings(table({"A.p95(duration_nano)": "ns", "A.count()": "none", "A": "none"}, queries), "table-column-key")
    assert findings(table({"A.p99(duration_nano)": "ns"}, queries), "table-column-key")


def test_threshold_column_names_too() -> None:
    queries = [{"type": "builder_query", "spec": builder()}]
    bad = table({}, queries, [{"value": 1, "color": "Red", "columnName": "errors"}])
    assert findings(bad, "table-column-key")[0].path.endswith("thresholds[0].columnName")


def test_sql_columns_are_keyed_by_their_sql_names() -> None:
    sql = f"SELECT serviceName AS service, count() AS calls FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} GROUP BY service"
    p = sql_panel("Calls", sql)
    p["spec"]["plugin"]["spec"] = {"formatting": {"columnUnits": {"calls": "none", "A": "s"}}}
    (f,) = findings(dashboard({"t": p}), "table-column-key")
    assert f.path.endswith("columnUnits.A") and "SQL" in f.message


# -- panel-link-hidden ----------------------------------------------------------------------------

LINK = [{"name": "Open trace", "url": "/trace/{{trace_id}}"}]


def with_links(p: dict, links=LINK) -> dict:
    p["spec"]["links"] = links
    return dashboard({"p": p})


def test_links_on_a_sql_panel_never_show() -> None:
    sql = f"SELECT trace_id FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER}"
    (f,) = findings(with_links(sql_panel("Traces", sql)), "panel-link-hidden")
    assert "ClickHouse SQL" in f.message and f.path.endswith(".links")


@pytest.mark.parametrize("plugin", ["signoz/ListPanel", "signoz/HistogramPanel"])
def test_links_on_panels_without_drilldown_never_show(plugin: str) -> None:
    kind = "raw" if plugin == "signoz/ListPanel" else "time_series"
    p = panel("P", plugin, queries=[query(kind, "signoz/BuilderQuery", builder())])
    assert findings(with_links(p), "panel-link-hidden")


@pytest.mark.parametrize("plugin", ["signoz/TimeSeriesPanel", "signoz/TablePanel", "signoz/NumberPanel"])
def test_links_on_builder_panels_with_drilldown_show(plugin: str) -> None:
    assert not findings(with_links(builder_panel("P", plugin=plugin)), "panel-link-hidden")
    assert not findings(with_links(builder_panel("P"), [{"name": "empty", "url": ""}]), "panel-link-hidden")


# -- panel-query-dropped --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "spec"),
    [("signoz/Formula", {"name": "F1", "expression": "A / B"}), ("signoz/TraceOperator", {"name": "T", "expression": "A => B"})],
)
def test_a_top_level_formula_or_trace_operator_is_dropped(kind: str, spec: dict) -> None:
    body = dashboard({"p": panel("Rate", queries=[query("time_series", kind, spec)])})
    (f,) = findings(body, "panel-query-dropped")
    assert f.severity == "error" and f.path.endswith("queries[0].spec.plugin.kind") and "CompositeQuery" in f.message


def test_a_formula_inside_a_composite_is_kept() -> None:
    body = dashboard({"p": composite_panel("Rate", [
        {"type": "builder_query", "spec": builder(name="A")},
        {"type": "builder_formula", "spec": {"name": "F1", "expression": "A * 2", "legend": "x"}},
    ])})  # fmt: skip
    assert not findings(body, "panel-query-dropped")


# -- formula-reference ----------------------------------------------------------------------------


def test_a_formula_naming_no_query() -> None:
    def formula(expression: str) -> dict:
        return dashboard({"p": composite_panel("Rate", [
            {"type": "builder_query", "spec": builder(name="A")},
            {"type": "builder_query", "spec": builder(name="B")},
            {"type": "builder_formula", "spec": {"name": "F1", "expression": expression, "legend": "x"}},
        ])})  # fmt: skip

    (f,) = findings(formula("A / C"), "formula-reference")
    assert "uses C" in f.message and f.path.endswith("queries[2].spec.expression")
    assert not findings(formula("a / b"), "formula-reference")  # SigNoz matches names case-insensitively


# -- render refuses its own output ------------------------------------------------------------------


def test_render_refuses_a_panel_the_ui_would_not_show(monkeypatch) -> None:
    import signoz_dac
    from signoz_dac.errors import SchemaError
    from signoz_dac.definitions.generic.panels import Link
    from signoz_dac.render import expand
    from signoz_dac.resources import builtin_definitions

    original = expand.EXPANDERS["conversations_below_threshold_list"]

    def with_a_link(panel, ctx):
        for generic in original(panel, ctx):
            yield generic.model_copy(update={"links": [Link(name="Open trace", url="/trace/{{trace_id}}")]})

    monkeypatch.setitem(expand.EXPANDERS, "conversations_below_threshold_list", with_a_link)
    definition = signoz_dac.load_definition(builtin_definitions()[0])
    with pytest.raises(SchemaError) as info:
        signoz_dac.render(definition)
    (issue,) = info.value.issues
    assert issue.path.endswith(".links") and "SigNoz UI" in issue.message and issue.location is not None
