"""What we demand of our own rendered output beyond what SigNoz accepts (render/output_checks.py):
each demand is a body SigNoz would store, that the check refuses at the right path, and render
refuses it too when a template produces it."""

from __future__ import annotations

import copy
import shutil

import pytest

import signoz_dac
from signoz_dac.errors import SchemaError
from signoz_dac.render.output_checks import dashboard_issues, rule_issues
from signoz_dac.resources import builtin_definitions, templates_dir
from signoz_dac.signoz.rules import parse_rule
from signoz_dac.signoz.v6 import parse_dashboard


def _definition(stem: str):
    return signoz_dac.load_definition(next(p for p in builtin_definitions() if p.stem == stem))


@pytest.fixture(scope="module")
def pipecat() -> dict:
    return signoz_dac.render(_definition("pipecat"))


@pytest.fixture(scope="module")
def rules() -> list[dict]:
    return signoz_dac.render_alerts(_definition("pipecat"))


def _panel_of(body: dict, plugin: str, query: str) -> str:
    """The key of the first panel of a plugin kind whose query has a given plugin kind."""
    return next(
        key for key, panel in body["spec"]["panels"].items()
        if panel["spec"]["plugin"]["kind"] == plugin and panel["spec"]["queries"][0]["spec"]["plugin"]["kind"] == query
    )


def _dashboard_paths(body: dict) -> dict[str, str]:
    return {i.path: i.message for i in dashboard_issues(parse_dashboard(body))}  # SigNoz accepts it


def test_our_shipped_output_meets_every_demand(builtin_bodies):
    for body in builtin_bodies.values():
        assert dashboard_issues(parse_dashboard(body)) == []
    for path in builtin_definitions():
        for rule in signoz_dac.render_alerts(signoz_dac.load_definition(path)):
            assert rule_issues(parse_rule(rule)) == []


def test_a_query_kind_that_differs_from_the_panel(pipecat):
    body = copy.deepcopy(pipecat)
    key = _panel_of(body, "signoz/NumberPanel", "signoz/CompositeQuery")
    body["spec"]["panels"][key]["spec"]["queries"][0]["kind"] = "time_series"
    assert "the UI runs it as scalar" in _dashboard_paths(body)[f"spec.panels.{key}.spec.queries[0].kind"]


def test_a_top_level_formula(pipecat):
    body = copy.deepcopy(pipecat)
    key = _panel_of(body, "signoz/TimeSeriesPanel", "signoz/CompositeQuery")
    body["spec"]["panels"][key]["spec"]["queries"][0]["spec"]["plugin"] = {
        "kind": "signoz/Formula", "spec": {"name": "F1", "expression": "A / B"}}
    # The UI facts own this one (signoz.ui), and render refuses its own output with them.
    from signoz_dac.signoz import ui

    assert any(p.path.startswith(f"spec.panels.{key}.spec.queries[0]") for p in ui.problems(body))


def test_a_panel_key_a_layout_cannot_place(pipecat):
    body = copy.deepcopy(pipecat)
    body["spec"]["panels"]["has.dot"] = body["spec"]["panels"].pop(next(iter(body["spec"]["panels"])))
    for layout in body["spec"]["layouts"]:  # unplaced: SigNoz allows it, and its $ref could not name it
        layout["spec"]["items"] = [i for i in layout["spec"]["items"] if i["content"]["$ref"].split("/")[-1] in body["spec"]["panels"]]
    assert "so a layout can place it" in _dashboard_paths(body)['spec.panels."has.dot"']


@pytest.mark.parametrize("duration", ["1h30m", "90s", "0m"])
def test_a_duration_newer_servers_refuse(pipecat, duration):
    body = copy.deepcopy(pipecat)
    body["spec"]["duration"] = duration
    assert "positive whole number of m, h, d or w" in _dashboard_paths(body)["spec.duration"]


def test_composite_queries_are_named_once_and_formulas_name_their_own(pipecat):
    body = copy.deepcopy(pipecat)
    key, queries = next(
        (key, q["spec"]["plugin"]["spec"]["queries"])
        for key, panel in body["spec"]["panels"].items()
        for q in panel["spec"]["queries"]
        if q["spec"]["plugin"]["kind"] == "signoz/CompositeQuery"
        and any(e["type"] == "builder_formula" for e in q["spec"]["plugin"]["spec"]["queries"])
    )
    formula = next(i for i, q in enumerate(queries) if q["type"] == "builder_formula")
    queries[formula]["spec"]["expression"] = "A / Z"
    queries[1]["spec"]["name"] = ""
    found = _dashboard_paths(body)
    where = f"spec.panels.{key}.spec.queries[0].spec.plugin.spec.queries"
    assert "'Z', which is not a query of this composite" in found[f"{where}[{formula}].spec.expression"]
    assert "every query needs a name" in found[f"{where}[1].spec.name"]


def test_a_field_signoz_would_ignore(pipecat):
    body = copy.deepcopy(pipecat)
    key = next(iter(body["spec"]["panels"]))
    body["spec"]["panels"][key]["spec"]["plugin"]["colour"] = "red"
    assert "SigNoz ignores the field 'colour'" in _dashboard_paths(body)[f"spec.panels.{key}.spec.plugin.colour"]


# --- rules ----------------------------------------------------------------------------------------


def _rule_paths(rule: dict) -> dict[str, str]:
    return {i.path: i.message for i in rule_issues(parse_rule(rule))}  # SigNoz accepts it


Q = "condition.compositeQuery.queries"


def _formula_rule(rules: list[dict]) -> dict:
    return copy.deepcopy(next(r for r in rules if len(r["condition"]["compositeQuery"]["queries"]) > 1))


def test_the_selected_query_disabled(rules):
    rule = _formula_rule(rules)
    rule["condition"]["selectedQueryName"] = rule["condition"]["compositeQuery"]["queries"][0]["spec"]["name"]
    rule["condition"]["compositeQuery"]["queries"][0]["spec"]["disabled"] = True
    assert "never sees data" in _rule_paths(rule)["condition.selectedQueryName"]


def test_several_queries_none_selected(rules):
    rule = _formula_rule(rules)
    del rule["condition"]["selectedQueryName"]
    assert "must name the query" in _rule_paths(rule)["condition.selectedQueryName"]


def test_a_target_unit_without_or_against_the_query_unit(rules):
    rule = copy.deepcopy(next(r for r in rules if r["condition"]["compositeQuery"].get("unit") == "percent"))
    rule["condition"]["thresholds"]["spec"][0]["targetUnit"] = "ms"
    assert "cannot be converted" in _rule_paths(rule)["condition.thresholds.spec[0].targetUnit"]
    del rule["condition"]["compositeQuery"]["unit"]
    assert "needs compositeQuery.unit" in _rule_paths(rule)["condition.thresholds.spec[0].targetUnit"]


@pytest.mark.parametrize(("unit", "target", "problem"), [
    ("ms", "foo", "'foo' is not a unit SigNoz converts"),
    ("nanos", "ms", "the query's unit 'nanos' is not a unit SigNoz converts"),
])
def test_a_target_unit_signoz_cannot_convert(rules, unit, target, problem):
    # SigNoz leaves a level in a unit it does not know as written: compared with values in another
    # unit, the rule fires at the wrong level (800 "ms" against nanoseconds: almost always).
    rule = copy.deepcopy(rules[0])
    rule["condition"]["compositeQuery"]["unit"] = unit
    rule["condition"]["thresholds"]["spec"][0]["targetUnit"] = target
    assert problem in _rule_paths(rule)["condition.thresholds.spec[0].targetUnit"]


@pytest.mark.parametrize(("unit", "target"), [("ns", "ms"), ("foo", "foo"), ("none", "")])
def test_a_target_unit_that_needs_no_or_a_known_conversion(rules, unit, target):
    rule = copy.deepcopy(rules[0])
    rule["condition"]["compositeQuery"]["unit"] = unit
    rule["condition"]["thresholds"]["spec"][0]["targetUnit"] = target
    assert "condition.thresholds.spec[0].targetUnit" not in _rule_paths(rule)


def test_a_threshold_rule_in_a_unit_signoz_cannot_convert_is_refused_at_the_rule(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text(
        "name: my-agent\ntitle: My agent\nprofile: pipecat\nsections:\n  - panels:\n      - type: turn_latency\n"
        "alerts:\n  rules:\n    - type: threshold\n      id: slow\n      aggregation: p99(duration_nano)\n"
        "      unit: ns\n      threshold_unit: foo\n      warning: 800\n"
    )
    with pytest.raises(SchemaError) as info:
        signoz_dac.render_alerts(signoz_dac.load_definition(path))
    (issue,) = info.value.issues
    assert "'foo' is not a unit SigNoz converts" in issue.message
    assert issue.location is not None and (issue.location.file, issue.location.line) == (path, 9)


def test_a_signal_the_alert_type_is_not_about(rules):
    rule = copy.deepcopy(rules[0])
    rule["alertType"] = "LOGS_BASED_ALERT"
    assert "about logs" in _rule_paths(rule)[f"{Q}[0].spec.signal"]


def test_a_packed_aggregation_list(rules):
    rule = copy.deepcopy(rules[0])
    rule["condition"]["compositeQuery"]["queries"][0]["spec"]["aggregations"] = [{"expression": "p95(a), p99(b)"}]
    assert "one aggregation entry per function call" in _rule_paths(rule)[f"{Q}[0].spec.aggregations[0].expression"]


def test_levels_named_once_and_channels_named(rules):
    rule = copy.deepcopy(next(r for r in rules if len(r["condition"]["thresholds"]["spec"]) > 1))
    levels = rule["condition"]["thresholds"]["spec"]
    levels[1]["name"] = levels[0]["name"]
    levels[0]["channels"] = [" "]
    found = _rule_paths(rule)
    assert "duplicate threshold name" in found["condition.thresholds.spec[1].name"]
    assert "must not be empty" in found["condition.thresholds.spec[0].channels[0]"]


def test_promql_says_promql_rule(rules):
    rule = copy.deepcopy(rules[0])
    rule["condition"]["compositeQuery"] = {"queryType": "promql", "panelType": "graph",
                                           "queries": [{"type": "promql", "spec": {"name": "A", "query": "up"}}]}
    rule["condition"]["selectedQueryName"] = "A"
    assert "promql_rule" in _rule_paths(rule)["ruleType"]


def test_a_query_type_that_does_not_match_its_queries(rules):
    rule = copy.deepcopy(rules[0])
    rule["condition"]["compositeQuery"]["queryType"] = "clickhouse_sql"
    assert "does not belong in a queryType 'clickhouse_sql' rule" in _rule_paths(rule)[f"{Q}[0].type"]


def test_a_rule_field_signoz_would_ignore(rules):
    rule = copy.deepcopy(rules[0])
    rule["evalWindw"] = "5m"
    assert "SigNoz ignores the field 'evalWindw'" in _rule_paths(rule)["evalWindw"]


# --- render refuses it ----------------------------------------------------------------------------


@pytest.fixture
def my_templates(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    return folder


def test_render_refuses_a_template_whose_query_kind_the_ui_would_not_run(my_templates):
    query = my_templates / "queries" / "query.json.j2"
    scalar_as_time_series = '{{ ("time_series" if panel.request_type == "scalar" else panel.request_type) | tojson }}'
    query.write_text(query.read_text().replace('{{ panel.request_type | tojson }}', scalar_as_time_series))
    with pytest.raises(SchemaError) as info:
        signoz_dac.render(_definition("pipecat"), templates=my_templates)
    issue = next(i for i in info.value.issues if i.path.endswith(".kind"))
    assert "the UI runs it as scalar" in issue.message
    assert issue.location is not None and issue.location.line > 1  # the panel's definition line


def test_render_refuses_a_rule_template_with_a_field_signoz_ignores(my_templates):
    rule = my_templates / "alerts" / "rule.json.j2"
    rule.write_text(rule.read_text().replace('"evaluation":', '"evalution": {}, "evaluation":', 1))
    with pytest.raises(SchemaError) as info:
        signoz_dac.render_alerts(_definition("pipecat"), templates=my_templates)
    assert "SigNoz ignores the field 'evalution'" in str(info.value)


@pytest.mark.parametrize("name", ["start_timestamp", "end_datetime", "SIGNOZ_START_TIME"])
def test_a_variable_named_as_a_time_variable_of_clickhouse_sql(pipecat, name):
    # SigNoz fills these names from the panel's time range when it substitutes variables into
    # ClickHouse SQL: a dashboard variable of that name puts its value in the time filter (or the
    # time range in the variable's filter), so the SQL panels do not mean what they say.
    body = copy.deepcopy(pipecat)
    variable = next(v for v in body["spec"]["variables"] if v["spec"]["name"] == "service_name")
    variable["spec"]["name"] = name
    assert _dashboard_paths(body) == {
        f"spec.variables[{body['spec']['variables'].index(variable)}].spec.name":
            f"{name!r} is the name SigNoz gives the panel's time range in ClickHouse SQL; rename the variable",
    }


def test_a_time_variable_name_is_fine_without_clickhouse_sql(tmp_path):
    # Builder filters know only the dashboard's variables: there the name means the variable.
    path = tmp_path / "plain.yaml"
    path.write_text(
        "name: plain\ntitle: Plain\nvariables:\n  - {kind: dynamic, name: start_timestamp, attribute: service.name}\n"
        "sections:\n  - panels:\n      - {type: query, kind: number, title: Calls,"
        " queries: [{name: A, signal: traces, aggregations: [count()], filter: service.name IN $start_timestamp}]}\n"
    )
    body = signoz_dac.render(signoz_dac.load_definition(path))
    assert dashboard_issues(parse_dashboard(body)) == []
