"""Reading a body that breaks SigNoz's rules through the same strict models (what lint and the UI
checks read): every part that decodes is there, in its place; nothing is guessed."""

from __future__ import annotations

import pytest

from signoz_dac.errors import SchemaError
from signoz_dac.lint import lint_dashboard
from signoz_dac.signoz.reading import read_dashboard, read_rule
from signoz_dac.signoz.v6 import PostableDashboard, parse_dashboard
from signoz_dac.signoz.v6.lenient import read_leniently


def _body() -> dict:
    return {
        "schemaVersion": "v6",
        "name": "d",
        "spec": {
            "display": {"name": "D"},
            "variables": [
                {"kind": "ListVariable", "spec": {"name": "svc", "allowAllValue": True, "allowMultiple": True,
                                                  "plugin": {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name"}}}},
            ],
            "panels": {
                "a": _panel("traces", "name = 'llm'"),
                "b": _panel("traces", "name = 'tts'"),
            },
            "layouts": [{"kind": "Grid", "spec": {"items": [
                {"x": 0, "y": 0, "width": 6, "height": 6, "content": {"$ref": "#/spec/panels/a"}},
                {"x": 6, "y": 0, "width": 6, "height": 6, "content": {"$ref": "#/spec/panels/b"}},
            ]}}],
        },
    }  # fmt: skip


def _panel(signal: str, flt: str) -> dict:
    builder = {"name": "A", "signal": signal, "aggregations": [{"expression": "count()"}], "filter": {"expression": flt}}
    return {"kind": "Panel", "spec": {
        "display": {"name": "P"},
        "plugin": {"kind": "signoz/TimeSeriesPanel", "spec": {"formatting": {"unit": "none"}}},
        "queries": [{"kind": "time_series", "spec": {"plugin": {"kind": "signoz/CompositeQuery", "spec": {"queries": [
            {"type": "builder_query", "spec": builder},
            {"type": "builder_query", "spec": {**builder, "name": "B"}},
            {"type": "builder_formula", "spec": {"name": "F1", "expression": "A / B", "legend": "share"}},
        ]}}}}],
    }}  # fmt: skip


def _composite(body: dict, key: str) -> list:
    return body["spec"]["panels"][key]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["queries"]


def test_a_valid_body_reads_as_the_strict_parse_gives_it():
    body = _body()
    assert read_leniently(PostableDashboard, body) == parse_dashboard(body)


def test_rules_are_not_applied_but_still_refuse_in_a_strict_parse():
    body = _body()
    body["spec"]["layouts"][0]["spec"]["items"][1]["x"] = 3  # the two panels overlap: SigNoz refuses it
    model = read_leniently(PostableDashboard, body)
    assert model.spec.layouts[0].spec.items[1].x == 3
    with pytest.raises(SchemaError, match="overlap"):
        parse_dashboard(body)  # lenient reading left nothing switched off behind it


def test_a_bad_value_gives_way_to_its_default_and_the_rest_is_read():
    body = _body()
    body["spec"]["panels"]["a"]["spec"]["plugin"]["spec"]["formatting"]["unit"] = 5
    body["spec"]["panels"]["a"]["spec"]["queries"][0]["kind"] = "bogus"
    model = read_leniently(PostableDashboard, body)
    panel = model.spec.panels["a"]
    assert panel.spec.plugin.kind == "signoz/TimeSeriesPanel"
    assert panel.spec.plugin.spec.formatting.unit == ""  # the default
    assert panel.spec.queries[0].kind == ""  # required text: empty
    assert [e.spec.name for e in panel.spec.queries[0].spec.plugin.spec.queries] == ["A", "B", "F1"]


def test_an_unreadable_element_keeps_the_others_in_place():
    body = _body()
    body["spec"]["panels"]["b"] = 7
    _composite(body, "a")[0] = "junk"
    _composite(body, "a")[1]["type"] = "no_such_type"
    reading = read_dashboard(body)
    (panel,) = reading.panels  # "b" is not an object: nothing to read
    assert panel.key == "a"
    (formula,) = panel.queries  # the two entries before it are unreadable; its path is still [2]
    assert formula.type == "builder_formula"
    assert formula.path == "spec.panels.a.spec.queries[0].spec.plugin.spec.queries[2].spec"


def test_a_builder_query_with_an_unknown_signal_is_read_as_what_every_signal_shares():
    body = _body()
    _composite(body, "a")[0]["spec"]["signal"] = "spans"
    (a, b, f1) = read_dashboard(body).panels[0].queries
    assert (a.name, a.signal, a.filter) == ("A", "", ("name = 'llm'", "spec.panels.a.spec.queries[0].spec.plugin.spec.queries[0].spec.filter.expression"))


def test_lint_reads_past_schema_errors_at_the_right_paths():
    body = _body()
    _composite(body, "a")[0]["spec"]["limit"] = "ten"  # a schema error in the query
    _composite(body, "a")[0]["spec"]["filter"]["expression"] = "name = 'llm' AND"  # and a broken filter
    _composite(body, "b")[0]["spec"]["signal"] = 42
    findings = {(f.check, f.path) for f in lint_dashboard(body)}
    prefix = "spec.panels.a.spec.queries[0].spec.plugin.spec.queries[0].spec"
    assert ("schema", f"{prefix}.limit") in findings
    assert ("filter-syntax", f"{prefix}.filter.expression") in findings
    # The query with a bad signal still counts as query A for its formula: no false formula-reference.
    assert not any(rule == "formula-reference" for rule, _ in findings)


def test_the_reading_of_a_parsed_body_needs_no_second_pass():
    body = _body()
    parsed = parse_dashboard(body)
    from_model, from_body = read_dashboard(parsed), read_dashboard(body)
    assert [(p.key, p.path, [q.path for q in p.queries]) for p in from_model.panels] == [
        (p.key, p.path, [q.path for q in p.queries]) for p in from_body.panels
    ]
    assert from_model.panels[0].panel is parsed.spec.panels["a"]


def test_a_variable_of_an_unknown_kind_is_not_read():
    body = _body()
    body["spec"]["variables"][0]["kind"] = "ChoiceVariable"
    assert read_dashboard(body).variables == []


def test_anything_else_reads_as_nothing():
    assert read_leniently(PostableDashboard, [1, 2]) is None
    assert read_dashboard({"spec": "x"}).panels == []
    assert read_rule({"condition": {"compositeQuery": {"queries": "x"}}}).queries == []


def test_the_shipped_dashboards_read_whole(builtin_bodies):
    for body in builtin_bodies.values():
        reading = read_dashboard(body)
        assert [p.key for p in reading.panels] == list(body["spec"]["panels"])
        for panel in reading.panels:
            (query,) = body["spec"]["panels"][panel.key]["spec"]["queries"]
            plugin = query["spec"]["plugin"]
            written = plugin["spec"]["queries"] if plugin["kind"] == "signoz/CompositeQuery" else [plugin["spec"]]
            assert [q.name for q in panel.queries] == [w.get("spec", w)["name"] for w in written]
