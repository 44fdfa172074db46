"""Each lint check with a failing and a passing case."""

from __future__ import annotations

import copy

import pytest

from signoz_dac.errors import InputError
from signoz_dac.lint import CHECKS, Catalog, lint_dashboard
from tests.lint.helpers import (
    CATALOG_DATA,
    TIME_FILTER,
    builder,
    builder_panel,
    composite_panel,
    dashboard,
    dynamic_var,
    key,
    panel,
    sql_panel,
    text_var,
)

CATALOG = Catalog.from_dict("pipecat", CATALOG_DATA)


def findings(body, check: str, **kw):
    return [f for f in lint_dashboard(body, catalog=kw.pop("catalog", None), **kw) if f.check == check]


def one(body, check: str, **kw):
    found = findings(body, check, **kw)
    assert len(found) == 1, [f.message for f in found]
    return found[0]


def single(p, variables=None):
    return dashboard({"p": p}, variables)


# -- filter-syntax / filter-full-text -------------------------------------------------------------


def test_filter_syntax() -> None:
    f = one(single(builder_panel(filt="name = 'llm' AND")), "filter-syntax")
    assert f.path == "spec.panels.p.spec.queries[0].spec.plugin.spec.filter.expression"
    assert "column 17" in f.message and "^" in f.message
    assert not findings(single(builder_panel(filt="name = 'llm' AND has_error = true")), "filter-syntax")


def test_filter_syntax_flags_template_variables_in_filters() -> None:
    body = single(builder_panel(filt="service.name = {{.service_name}}"), [dynamic_var("service_name")])
    assert "write $name" in one(body, "filter-syntax").message
    ok = single(builder_panel(filt="service.name IN $service_name"), [dynamic_var("service_name")])
    assert not findings(ok, "filter-syntax")


def test_filter_full_text_on_traces_but_not_logs() -> None:
    assert "'tiemout'" in one(single(builder_panel(filt="name = 'llm' tiemout")), "filter-full-text").message
    assert not findings(single(builder_panel(filt="tiemout", signal="logs")), "filter-full-text")
    assert not findings(single(builder_panel(filt="name = 'llm'")), "filter-full-text")


def test_composite_sub_queries_are_checked_with_their_paths() -> None:
    body = single(composite_panel("C", [{"type": "builder_query", "spec": builder(filt="a =")}]))
    f = one(body, "filter-syntax")
    assert f.path == "spec.panels.p.spec.queries[0].spec.plugin.spec.queries[0].spec.filter.expression"


# -- aggregations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "check"),
    [
        ("average(duration_nano)", "aggregation-unknown-function"),
        ("count(), sum(x)", "aggregation-packed"),
        ("p95(a, b)", "aggregation-arguments"),
        ("count() as n", "aggregation-arguments"),
        ("countIf(has_error = )", "filter-syntax"),
    ],
)
def test_aggregation_checks(expr: str, check: str) -> None:
    f = one(single(builder_panel(expr=expr)), check, disable=["schema"])
    assert f.path.endswith("aggregations[0].expression")


def test_aggregation_passes() -> None:
    body = single(builder_panel(expr="countIf(has_error = true)"))
    for check in ("aggregation-unknown-function", "aggregation-packed", "aggregation-arguments", "filter-syntax"):
        assert not findings(body, check)


# -- variables ------------------------------------------------------------------------------------


def test_variable_undefined_in_filter_and_sql() -> None:
    body = dashboard(
        {
            "a": builder_panel("A", filt="service.name IN $service"),
            "b": sql_panel("B", f"SELECT 1 FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} AND x = {{{{.nope}}}}"),
        }
    )
    msgs = sorted(f.message for f in findings(body, "variable-undefined"))
    assert len(msgs) == 2 and "$service is" in msgs[0] and "$nope is" in msgs[1]


def test_variable_defined_and_reserved_are_fine() -> None:
    body = dashboard(
        {
            "a": builder_panel("A", filt="service.name IN $service_name"),
            "b": sql_panel("B", f"SELECT 1 FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} "
                                "AND ('__all__' IN $service_name OR serviceName IN $service_name) AND n < [[t]]"),
        },
        [dynamic_var("service_name"), text_var("t")],
    )
    assert not findings(body, "variable-undefined")
    assert not findings(body, "variable-unused")


def test_variable_unused() -> None:
    body = single(builder_panel(), [dynamic_var("service_name")])
    f = one(body, "variable-unused")
    assert f.severity == "warning" and f.path == "spec.variables[0].spec.name"


def test_link_placeholders_count_as_uses_but_are_not_required() -> None:
    p = builder_panel()
    p["spec"]["links"] = [{"name": "trace", "url": "/trace/{{trace_id}}?svc=$svc", "renderVariables": True}]
    body = single(p, [dynamic_var("svc")])
    assert not findings(body, "variable-undefined") and not findings(body, "variable-unused")


# -- units ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "unit", "want", "catalog"),
    [
        ("avg(turn.duration_seconds)", "ns", "'s'", None),
        ("p95(metrics.ttfb)", "ms", "'s'", CATALOG),  # a latency word: seconds in the voice frameworks
        ("p99(duration_nano)", "s", "'ns'", None),
        ("avg(db.wait_ms)", "s", "'ms'", None),
        ("count()", "ns", '"none"', None),
    ],
)
def test_panel_unit_mismatch(expr: str, unit: str | None, want: str, catalog) -> None:
    f = one(single(builder_panel(expr=expr, unit=unit)), "panel-unit", catalog=catalog)
    assert want in f.message and f.path.endswith("formatting.unit")


def test_latency_words_say_nothing_about_the_unit_without_a_profile() -> None:
    assert not findings(single(builder_panel(expr="p95(http.latency)", unit="ms")), "panel-unit")
    assert not findings(single(builder_panel(expr="p95(http.latency)", unit="ms")), "panel-unit-missing")


def test_a_missing_unit_is_a_warning_not_an_error() -> None:
    body = single(builder_panel(expr="avg(lk.e2e_latency)"))
    f = one(body, "panel-unit-missing", catalog=CATALOG)
    assert f.severity == "warning" and "'s'" in f.message
    assert not findings(body, "panel-unit", catalog=CATALOG)
    assert one(single(builder_panel(expr="avg(x_seconds)", unit="none")), "panel-unit-missing")


@pytest.mark.parametrize(
    ("expr", "unit"),
    [("avg(turn.duration_seconds)", "s"), ("p95(duration_nano)", "ns"), ("sum(gen_ai.usage.input_tokens)", "none"),
     ("count()", "none"), ("rate()", "reqps")],
)
def test_panel_unit_match(expr: str, unit: str) -> None:
    assert not findings(single(builder_panel(expr=expr, unit=unit)), "panel-unit")


def test_panel_unit_message_names_the_scale() -> None:
    f = one(single(builder_panel("Turn", expr="avg(turn.duration_seconds)", unit="ns")), "panel-unit")
    assert 'panel "Turn"' in f.message and "1,000,000,000× too small" in f.message


def test_table_column_units() -> None:
    p = builder_panel("T", plugin="signoz/TablePanel", expr="p95(turn.duration_seconds)", alias="ttfb")
    p["spec"]["plugin"]["spec"] = {"formatting": {"columnUnits": {"A": "ms"}}}  # the UI keys the column by query name
    assert one(single(p), "panel-unit").path.endswith("columnUnits.A")
    p["spec"]["plugin"]["spec"]["formatting"]["columnUnits"]["A"] = "s"
    assert not findings(single(p), "panel-unit")


def _ratio(expr: str, unit: str, a: str = "has_error = true", b: str = "has_error = false"):
    return single(
        composite_panel(
            "Error rate",
            [
                {"type": "builder_query", "spec": builder(filt=a, name="A", disabled=True)},
                {"type": "builder_query", "spec": builder(filt=b, name="B", disabled=True)},
                {"type": "builder_formula", "spec": {"name": "F1", "expression": expr, "legend": "errors"}},
            ],
            unit=unit,
        )
    )


def test_panel_unit_ratio() -> None:
    f = one(_ratio("A / (A+B)", "none"), "panel-unit-ratio")
    assert "percentunit" in f.message and f.severity == "warning"
    assert "'percent'" in one(_ratio("A * 100 / (A + B)", "percentunit"), "panel-unit-ratio").message
    assert not findings(_ratio("A / (A+B)", "percentunit"), "panel-unit-ratio")
    assert not findings(_ratio("A + B", "none"), "panel-unit-ratio")
    assert "the panel has no unit;" in one(_ratio("A / (A+B)", ""), "panel-unit-ratio").message  # not "unit is 'unset'"


# -- ClickHouse SQL -------------------------------------------------------------------------------

NO_TIME = "SELECT count() FROM signoz_traces.distributed_signoz_index_v3 WHERE name = 'turn'"


def test_sql_time_filter() -> None:
    f = one(single(sql_panel("S", NO_TIME)), "sql-time-filter")
    assert "no timestamp predicate" in f.message and "$start_timestamp - 1800" in f.message
    half = NO_TIME + " AND timestamp >= $start_datetime"  # right numbers, read slowly: a warning
    assert not findings(single(sql_panel("S", half)), "sql-time-filter")
    slow = one(single(sql_panel("S", half)), "sql-bucket-filter")
    assert slow.severity == "warning" and "ts_bucket_start" in slow.message
    fixed_window = NO_TIME + " AND timestamp > now() - 3600 AND ts_bucket_start > 0"
    assert "time variables" in one(single(sql_panel("S", fixed_window)), "sql-time-filter").message
    assert not findings(single(sql_panel("S", f"{NO_TIME} AND {TIME_FILTER}")), "sql-time-filter")
    logs = ("SELECT count() FROM signoz_logs.distributed_logs_v2 WHERE timestamp >= {{.start_timestamp_nano}} "
            "AND timestamp <= {{.end_timestamp_nano}} AND ts_bucket_start >= $start_timestamp - 1800")
    assert not findings(single(sql_panel("S", logs)), "sql-time-filter")
    assert not findings(single(sql_panel("S", "SELECT 1")), "sql-time-filter")  # no span/log table


def test_sql_comments_do_not_run() -> None:
    """A time filter or an ALL guard that is commented out does not run: the panel still counts the
    whole retention, or shows nothing under ALL. A `--` inside a string literal is no comment."""
    for commented in (f"{NO_TIME} -- AND {TIME_FILTER}", f"{NO_TIME} /* AND {TIME_FILTER} */"):
        assert "no timestamp predicate" in one(single(sql_panel("S", commented)), "sql-time-filter").message
    in_string = f"{NO_TIME} AND attributes_string['note'] != '-- x' AND {TIME_FILTER}"
    assert not findings(single(sql_panel("S", in_string)), "sql-time-filter")
    guard_commented = f"{NO_TIME} AND {TIME_FILTER} AND serviceName IN $service_name -- '__all__' IN $service_name"
    assert findings(single(sql_panel("S", guard_commented), [dynamic_var("service_name")]), "sql-all-value")
    local_in_comment = f"{NO_TIME} AND {TIME_FILTER} -- was signoz_traces.signoz_index_v3"
    assert not findings(single(sql_panel("S", local_in_comment)), "sql-local-table")


def test_sql_template() -> None:
    sql = f"SELECT '{{{{ oops' FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER}"
    assert "line 1, column 9" in one(single(sql_panel("S", sql)), "sql-template").message
    ok = f"SELECT 1 FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} AND x = {{{{.t}}}} AND y = {{{{ t }}}}"
    assert not findings(single(sql_panel("S", ok), [text_var("t")]), "sql-template")
    action = f"SELECT 1 FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} {{{{if .t}}}}AND x = 1{{{{end}}}}"
    assert not findings(single(sql_panel("S", action), [text_var("t")]), "sql-template")  # Go template actions


def test_sql_all_value() -> None:
    sql = f"{NO_TIME} AND {TIME_FILTER} AND serviceName IN $service_name"
    f = one(single(sql_panel("S", sql), [dynamic_var("service_name")]), "sql-all-value")
    assert "'__all__' IN $service_name" in f.message
    guarded = f"{NO_TIME} AND {TIME_FILTER} AND ('__all__' IN $service_name OR serviceName IN $service_name)"
    assert not findings(single(sql_panel("S", guarded), [dynamic_var("service_name")]), "sql-all-value")
    assert not findings(single(sql_panel("S", sql), [dynamic_var("service_name", allow_all=False)]), "sql-all-value")


def test_sql_all_value_in_query_variables() -> None:
    var = {
        "kind": "ListVariable",
        "spec": {
            "name": "model", "display": {"name": "model", "description": ""},
            "plugin": {"kind": "signoz/QueryVariable", "spec": {"queryValue": "SELECT x WHERE s IN $service_name"}},
        },
    }  # fmt: skip
    body = single(builder_panel(filt="a IN $model"), [dynamic_var("service_name"), var])
    assert one(body, "sql-all-value").path == "spec.variables[1].spec.plugin.spec.queryValue"


def test_sql_local_table() -> None:
    local = f"SELECT 1 FROM signoz_traces.signoz_index_v3 WHERE {TIME_FILTER}"
    assert "distributed_signoz_index_v3" in one(single(sql_panel("S", local)), "sql-local-table").message
    assert not findings(single(sql_panel("S", f"{NO_TIME} AND {TIME_FILTER}")), "sql-local-table")


# -- field-context-resource -----------------------------------------------------------------------


def test_resource_keys_with_a_wrong_explicit_context() -> None:
    body = single(builder_panel(group_by=[key("service.name", "attribute"), key("telemetry.sdk.language", "span")]))
    found = findings(body, "field-context-resource")
    assert [f.path.rsplit(".", 2)[-2] for f in found] == ["groupBy[0]", "groupBy[1]"]
    assert 'fieldContext: "resource"' in found[0].message
    ok = single(builder_panel(group_by=[key("service.name", "resource"), key("gen_ai.request.model")]))
    assert not findings(ok, "field-context-resource")


def test_an_empty_field_context_is_resolved_by_the_server() -> None:
    body = single(builder_panel(group_by=[key("service.name", ""), key("deployment.environment", "")]))
    assert not findings(body, "field-context-resource")


def test_other_resource_conventions_may_really_be_attributes() -> None:
    # host.*, k8s.*, ... also arrive as span or log attributes; an explicit context there may be right.
    assert not findings(single(builder_panel(group_by=[key("k8s.pod.name", "attribute")])), "field-context-resource")
    assert one(single(builder_panel(group_by=[key("k8s.pod.name", "attribute")])), "field-context-resource",
               catalog=Catalog.from_dict("p", {**CATALOG_DATA, "resource": {"k8s.pod.name": "string"}}))  # fmt: skip


def test_list_panel_select_fields() -> None:
    p = panel("Errors", "signoz/ListPanel", {"selectFields": [key("service.name", "attribute")]},
              [{"kind": "raw", "spec": {"plugin": {"kind": "signoz/BuilderQuery", "spec": builder()}}}])  # fmt: skip
    assert one(single(p), "field-context-resource").path.startswith("spec.panels.p.spec.plugin.spec.selectFields[0]")


# -- formula-legend -------------------------------------------------------------------------------


def test_formula_legend() -> None:
    def chart(legend: str, plugin: str = "signoz/TimeSeriesPanel"):
        return single(composite_panel("Tokens", [
            {"type": "builder_query", "spec": builder("sum(gen_ai.usage.input_tokens)", name="A", disabled=True)},
            {"type": "builder_query", "spec": builder("sum(gen_ai.usage.output_tokens)", name="B", disabled=True)},
            {"type": "builder_formula", "spec": {"name": "F1", "expression": "A + B", "legend": legend}},
        ], plugin=plugin))  # fmt: skip

    assert one(chart(""), "formula-legend").path.endswith("queries[2].spec.legend")
    assert not findings(chart("total"), "formula-legend")
    assert not findings(chart("", "signoz/NumberPanel"), "formula-legend")  # a single number: no legend shown


# -- profile --------------------------------------------------------------------------------------


def test_profile_span_names() -> None:
    f = one(single(builder_panel(filt="name IN ('llm', 'llm_request')")), "profile-span-name", catalog=CATALOG)
    assert "'llm_request'" in f.message and "pipecat (1.14.0)" in f.message
    assert "did you mean 'turn'" in one(single(builder_panel(filt="name = 'turns'")), "profile-span-name", catalog=CATALOG).message
    assert not findings(single(builder_panel(filt="name = 'turn'")), "profile-span-name", catalog=CATALOG)
    assert not findings(single(builder_panel(filt="name = 'whatever'")), "profile-span-name")  # no catalog, no check


def test_profile_span_names_in_sql() -> None:
    sql = f"SELECT 1 FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} AND name = 'agent_turn'"
    assert "'agent_turn'" in one(single(sql_panel("S", sql)), "profile-span-name", catalog=CATALOG).message
    ok = sql.replace("'agent_turn'", "'turn'") + " AND attributes_number['turn.duration_seconds'] > 0"
    assert not findings(single(sql_panel("S", ok)), "profile-span-name", catalog=CATALOG)
    assert not findings(single(sql_panel("S", ok)), "profile-attribute", catalog=CATALOG)


def test_profile_attributes() -> None:
    body = single(builder_panel(expr="avg(metrics.ttfb)", filt="name = 'turn'"))
    f = one(body, "profile-attribute", catalog=CATALOG)
    assert "'metrics.ttfb'" in f.message and "span(s) turn" in f.message
    good = single(builder_panel(
        expr="p95(metrics.ttfb)",
        filt="name = 'llm' AND has_error = false AND service.name IN $s AND resource.deployment.environment = 'x'",
        group_by=[key("gen_ai.request.model"), key("service.name", "resource")],
    ), [dynamic_var("s")])  # fmt: skip
    assert not findings(good, "profile-attribute", catalog=CATALOG)


def test_profile_from_name_loads_its_catalog_or_skips(monkeypatch) -> None:
    import signoz_dac.lint.engine as engine

    with pytest.raises(InputError):
        lint_dashboard(single(builder_panel()), profile="no-such-profile")
    monkeypatch.setattr(engine, "load_catalog", lambda name: CATALOG)
    assert findings(single(builder_panel(filt="name = 'nope'")), "profile-span-name", profile="pipecat")


# -- titles ---------------------------------------------------------------------------------------


def test_panel_titles() -> None:
    body = dashboard({"a": builder_panel("Latency"), "b": builder_panel(" latency "), "c": builder_panel("  ")})
    assert one(body, "panel-title-duplicate").path == "spec.panels.b.spec.display.name"
    assert one(body, "panel-title-empty").path == "spec.panels.c.spec.display.name"
    ok = dashboard({"a": builder_panel("Latency"), "b": builder_panel("Errors")})
    assert not findings(ok, "panel-title-duplicate") and not findings(ok, "panel-title-empty")


# -- schema ---------------------------------------------------------------------------------------


def test_schema_check_reports_paths_and_lint_keeps_going() -> None:
    body = single(builder_panel("Turn", expr="avg(turn.duration_seconds)", unit="ns"))
    body["spec"]["panels"]["p"]["spec"]["bogus"] = 1
    del body["spec"]["layouts"]
    found = lint_dashboard(body)
    schema = [f for f in found if f.check == "schema"]
    assert schema and all(f.path for f in schema)
    assert any(f.check == "panel-unit" for f in found)  # the other checks still ran


def test_schema_accepts_generate_name_like_signoz_exports() -> None:
    body = single(builder_panel())
    del body["name"]
    body["generateName"] = True
    assert not findings(body, "schema")


def test_a_clean_dashboard_has_no_findings() -> None:
    body = dashboard(
        {
            "a": builder_panel("Turn latency", expr="avg(turn.user_bot_latency_seconds)", unit="s",
                               filt="name = 'turn' AND service.name IN $service_name",
                               group_by=[key("service.name", "resource")], legend="{{service.name}}"),
            "b": sql_panel("Turns", f"SELECT count() FROM signoz_traces.distributed_signoz_index_v3 WHERE {TIME_FILTER} "
                                    "AND ('__all__' IN $service_name OR serviceName IN $service_name) AND name = 'turn'"),
        },
        [dynamic_var("service_name")],
    )  # fmt: skip
    assert lint_dashboard(body, catalog=CATALOG) == []


# -- engine ---------------------------------------------------------------------------------------


def test_disable_and_unknown_check_ids() -> None:
    body = single(builder_panel(filt="a ="))
    assert findings(body, "filter-syntax")
    assert not findings(body, "filter-syntax", disable=["filter-syntax"])
    with pytest.raises(InputError, match="unknown lint check"):
        lint_dashboard(body, disable=["no-such-check"])


def test_a_crashing_check_is_a_finding_not_a_crash(monkeypatch) -> None:
    from signoz_dac.lint import registry

    def boom(ctx):
        raise RuntimeError("bug")

    monkeypatch.setattr(registry, "FINDERS", [(("panel-title-empty",), boom)])
    import signoz_dac.lint.engine as engine

    monkeypatch.setattr(engine, "FINDERS", registry.FINDERS)
    assert [f.check for f in lint_dashboard(single(builder_panel()))] == ["internal-error"]


def test_locate_maps_paths_to_lines() -> None:
    from signoz_dac.errors import Location

    body = single(builder_panel(filt="a ="))
    (f,) = lint_dashboard(body, source="x.yaml", locate=lambda path: Location("x.yaml", 7), disable=["schema"])
    assert (str(f.location), f.to_dict()["line"]) == ("x.yaml:7", 7)


def test_every_check_has_a_doc_and_severity() -> None:
    for check in CHECKS.values():
        assert check.severity in ("error", "warning") and check.doc.endswith(".")


def test_lint_does_not_mutate_the_body() -> None:
    body = single(builder_panel(filt="a ="))
    before = copy.deepcopy(body)
    lint_dashboard(body)
    assert body == before


# -- review fixes ---------------------------------------------------------------------------------


def test_panel_unit_ratio_leaves_a_count_divided_by_a_constant_alone() -> None:
    assert not findings(_ratio("A / 60", "cps"), "panel-unit-ratio")  # a rate, not a fraction
    errors_of_calls = _ratio("A / B", "none", a="name = 'llm' AND has_error = true", b="name = 'llm'")
    assert one(errors_of_calls, "panel-unit-ratio")
    assert not findings(_ratio("A / B", "none"), "panel-unit-ratio")  # errors per success: may exceed 1


def test_dollar_words_in_sql_strings_and_comments_are_not_undefined_variables() -> None:
    sql = (f"SELECT count() AS value, 'cost in $USD' AS note FROM signoz_traces.distributed_signoz_index_v3 "
           f"WHERE {TIME_FILTER} -- $threshold goes here\n AND n > $limit")
    msgs = [f.message for f in findings(single(sql_panel("S", sql)), "variable-undefined")]
    assert len(msgs) == 1 and "$limit is" in msgs[0]


def test_sql_time_filter_checks_query_variables_too() -> None:
    var = {
        "kind": "ListVariable",
        "spec": {
            "name": "model", "display": {"name": "model", "description": ""}, "allowAllValue": False, "allowMultiple": False,
            "plugin": {"kind": "signoz/QueryVariable", "spec": {"queryValue": NO_TIME}},
        },
    }
    f = one(single(builder_panel(filt="x IN $model"), [var]), "sql-time-filter")
    assert f.path == "spec.variables[0].spec.plugin.spec.queryValue" and f.message.startswith("variable model:")


def test_one_list_of_resource_prefixes_for_render_and_lint() -> None:
    from signoz_dac.lint.checks.fields import is_resource_key
    from signoz_dac.profiles.fields import is_resource_attribute

    for name in ("service.name", "telemetry.auto.version", "k8s.pod.name", "gen_ai.request.model", "name"):
        assert is_resource_key(name) == is_resource_attribute(name)


# -- profile-latency-measure ----------------------------------------------------------------------


def test_a_latency_title_over_a_span_length() -> None:
    """A latency chart of the turn span's length reads the playout too; the profile's own latency
    attribute, another title, or a catalog of no known profile give no finding."""
    livekit = Catalog.from_dict("livekit", {"spans": {"agent_turn": {"lk.e2e_latency": "number"}}})
    playout = single(builder_panel("Agent Response Latency (P95)", expr="p95(duration_nano)", filt="name = 'agent_turn'"))
    f = one(playout, "profile-latency-measure", catalog=livekit)
    assert f.severity == "warning" and f.path.endswith("aggregations[0].expression")
    assert "p95(duration_nano) on span 'agent_turn'" in f.message and "Aggregate lk.e2e_latency (s)" in f.message
    right = single(builder_panel("Agent Response Latency (P95)", expr="p95(lk.e2e_latency)", filt="name = 'agent_turn'"))
    assert not findings(right, "profile-latency-measure", catalog=livekit)
    length = single(builder_panel("Agent turn duration", expr="p95(duration_nano)", filt="name = 'agent_turn'"))
    assert not findings(length, "profile-latency-measure", catalog=livekit)
    custom = Catalog.from_dict("my-framework", {"spans": {"agent_turn": {}}})
    assert not findings(playout, "profile-latency-measure", catalog=custom)
    # With no span named, the spans that carry the attribute: Pipecat's turn length is on `turn` only.
    pipecat = single(builder_panel("Turn latency", expr="avg(turn.duration_seconds)"))
    assert "Aggregate turn.user_bot_latency_seconds" in one(pipecat, "profile-latency-measure", catalog=CATALOG).message
