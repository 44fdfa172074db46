"""Lint reads alert rules: rendered rule JSON (POST /api/v2/rules bodies) and the alerts of a
definition: filter syntax, aggregations, variables, and SigNoz's own rule validation."""

from __future__ import annotations

import copy
import json
import textwrap
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import signoz_dac
from signoz_dac.cli.lint import register
from signoz_dac.lint import lint_dashboard
from signoz_dac.resources import builtin_definitions
from tests.conftest import THRESHOLD_ALERT


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        pass

    register(app)
    return app


@pytest.fixture(scope="module")
def shipped_rule() -> dict:
    rules = signoz_dac.render_alerts(signoz_dac.load_definition(builtin_definitions()[0]))
    return next(r for r in rules if r["condition"]["compositeQuery"]["queries"][0]["spec"]["filter"]["expression"])


def first_query(rule: dict) -> dict:
    return rule["condition"]["compositeQuery"]["queries"][0]["spec"]


def rules_of(body) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in lint_dashboard(body):
        out.setdefault(f.check, []).append(f)
    return out


def test_a_shipped_rule_is_clean(shipped_rule) -> None:
    assert lint_dashboard(shipped_rule) == []


def test_a_rule_filter_with_an_unclosed_quote(shipped_rule) -> None:
    rule = copy.deepcopy(shipped_rule)
    first_query(rule)["filter"]["expression"] += " AND name = 'llm"
    (f,) = rules_of(rule)["filter-syntax"]
    assert f.severity == "error" and f.path == "condition.compositeQuery.queries[0].spec.filter.expression"
    assert "unterminated string" in f.message and f.message.startswith('alert "')


def test_a_rule_aggregation_signoz_cannot_run(shipped_rule) -> None:
    rule = copy.deepcopy(shipped_rule)
    first_query(rule)["aggregations"] = [{"expression": "average(duration_nano)"}]
    assert rules_of(rule)["aggregation-unknown-function"][0].path.endswith("aggregations[0].expression")


def test_an_alert_rule_has_no_variables(shipped_rule) -> None:
    rule = copy.deepcopy(shipped_rule)
    first_query(rule)["filter"]["expression"] += " AND service.name IN $service_name"
    (f,) = rules_of(rule)["variable-undefined"]
    assert "no variables" in f.message


def test_a_rule_signoz_refuses_is_a_schema_finding(shipped_rule) -> None:
    rule = copy.deepcopy(shipped_rule)
    rule["alertType"] = "NOT_A_TYPE"
    assert rules_of(rule)["schema"]


def test_rule_json_through_the_cli(app, tmp_path: Path, shipped_rule) -> None:
    rule = copy.deepcopy(shipped_rule)
    first_query(rule)["filter"]["expression"] = "name = 'llm"
    path = tmp_path / "rule.json"
    path.write_text(json.dumps({"status": "success", "data": rule}))  # as GET /api/v2/rules/{id} answers
    res = CliRunner().invoke(app, ["lint", "-o", "json", str(path)])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["summary"]["rules"] == 1 and [f["check"] for f in doc["findings"]] == ["filter-syntax"]


def _definition(tmp_path: Path, aggregation: str = "count()", filter: str = '""') -> Path:
    path = tmp_path / "d.yaml"
    path.write_text(textwrap.dedent(THRESHOLD_ALERT.format(aggregation=aggregation, filter=filter)))
    return path


def test_a_definitions_alerts_are_linted_at_their_lines(app, tmp_path: Path) -> None:
    path = _definition(tmp_path, filter="\"name = 'no_such_span'\"")
    res = CliRunner().invoke(app, ["lint", "-o", "json", str(path)])
    doc = json.loads(res.stdout)
    (f,) = [f for f in doc["findings"] if f["check"] == "profile-span-name"]
    assert (f["file"], f["line"]) == (str(path), 10)  # the rule's entry in the definition
    assert doc["summary"] == {"errors": 1, "warnings": 0, "dashboards": 1, "rules": 1}


def test_a_variable_in_a_definitions_rule_filter_is_refused_at_the_filter(app, tmp_path: Path) -> None:
    # A rule has no variables: render refuses the definition, and lint reports that at the filter's line.
    path = _definition(tmp_path, filter="\"service.name IN $service_name\"")
    res = CliRunner().invoke(app, ["lint", "-o", "json", str(path)])
    doc = json.loads(res.stdout)
    (f,) = doc["findings"]
    assert (f["check"], f["file"], f["line"]) == ("input", str(path), 13)
    assert "$service_name would never be replaced" in f["message"]


def test_a_definition_alert_filter_that_does_not_parse_fails_lint_strict(app, tmp_path: Path) -> None:
    path = _definition(tmp_path, filter="\"name = 'llm\"")
    res = CliRunner().invoke(app, ["lint", "--strict", "-o", "json", str(path)])
    assert res.exit_code == 1
    (f,) = [f for f in json.loads(res.stdout)["findings"] if f["file"] == str(path) and f["line"] == 13]
    assert f["check"] == "input" and "filter does not parse" in f["message"]


def test_bodies_as_signoz_answers_a_get_are_read_as_posted(app, tmp_path: Path, shipped_rule) -> None:
    """GET adds id, state and audit fields, which a client never sends: they are no finding."""
    from tests.lint.helpers import builder_panel, dashboard

    stored = {"id": "0195f5a4-0000-7000-8000-000000000000", "createdAt": "2025-01-01T00:00:00Z", "createdBy": "a@b.c",
              "updatedAt": "2025-01-01T00:00:00Z", "updatedBy": "a@b.c"}  # fmt: skip
    rule = {**shipped_rule, **stored, "state": "inactive"}
    board = {**dashboard({"a": builder_panel("Calls")}), **stored, "locked": False, "orgId": "o", "source": "user"}
    paths = []
    for name, body in (("rule.json", rule), ("dashboard.json", board)):
        paths.append(str(tmp_path / name))
        (tmp_path / name).write_text(json.dumps({"status": "success", "data": body}))
    res = CliRunner().invoke(app, ["lint", "--strict", *paths])
    assert res.exit_code == 0, res.output


def test_a_render_output_folder_is_linted_with_its_rules(app, tmp_path: Path, shipped_rule) -> None:
    """`lint build/` checks what `render` wrote there: the dashboards and each `<name>.alerts/` rule."""
    from signoz_dac.cli.render import register as register_render

    render_app = typer.Typer()
    render_app.callback()(lambda: None)
    register_render(render_app)
    out = tmp_path / "build"
    rendered = CliRunner().invoke(render_app, ["render", "--output-dir", str(out)])
    assert rendered.exit_code == 0, rendered.output
    written = sorted(out.glob("*.alerts/*.json"))
    assert written, "render writes each dashboard's alert rules into <name>.alerts/"

    clean = CliRunner().invoke(app, ["lint", "-o", "json", str(out)])
    doc = json.loads(clean.stdout)
    assert clean.exit_code == 0 and doc["summary"]["rules"] == len(written), clean.stdout

    broken = json.loads(written[0].read_text())
    first_query(broken)["filter"]["expression"] = "name = 'llm"
    written[0].write_text(json.dumps(broken))
    res = CliRunner().invoke(app, ["lint", "-o", "json", str(out)])
    assert res.exit_code == 1 and [f["check"] for f in json.loads(res.stdout)["findings"]] == ["filter-syntax"]


def test_a_rule_unit_that_does_not_match_its_values(shipped_rule) -> None:
    """SigNoz converts each threshold from its targetUnit into the rule's unit before comparing: a
    P95 in seconds under unit `ns` compares 0.8 with 800,000,000 and never fires. Only the selected
    query counts, disabled or not (the shipped rules compare a formula of two disabled counts)."""
    rule = copy.deepcopy(shipped_rule)
    composite = rule["condition"]["compositeQuery"]
    composite["queries"] = composite["queries"][:1]
    query = first_query(rule)
    query["aggregations"] = [{"expression": "p95(turn.user_bot_latency_seconds)"}]
    query["disabled"] = False
    rule["condition"]["selectedQueryName"] = query["name"]
    composite["unit"] = "ns"
    (f,) = rules_of(rule)["panel-unit"]
    assert f.path == "condition.compositeQuery.unit" and "set condition.compositeQuery.unit to 's'" in f.message
    composite["unit"] = "s"
    assert "panel-unit" not in rules_of(rule)
    del composite["unit"]  # no unit: the values are compared with the targets as they are
    assert not {"panel-unit", "panel-unit-missing"} & rules_of(rule).keys()
    del rule["condition"]["selectedQueryName"]
    assert not {"panel-unit", "panel-unit-missing"} & rules_of(rule).keys()


def test_every_shipped_rule_unit_matches(app) -> None:
    for definition in builtin_definitions():
        for rule in signoz_dac.render_alerts(signoz_dac.load_definition(definition)):
            assert not [f for f in lint_dashboard(rule) if f.check.startswith("panel-unit")], rule["alert"]
