"""Mistakes in generic panels and variables: one line naming the file, the line and the option."""

from __future__ import annotations

import pytest

import signoz_dac
from signoz_dac.definitions import load_definition
from signoz_dac.errors import DefinitionError, SchemaError
from tests.support.definitions import refused_at, starts_at

GOOD = """\
name: tools
title: Tools
variables:
  - {kind: custom, name: limit, values: "10,20", allow_all: false, multiple: false}
sections:
  - title: Calls
    panels:
      - type: query
        kind: time_series
        title: Tool calls
        legend: {position: right}
        queries:
          - {name: A, signal: traces, aggregations: [count()], group_by: [lk.function_tool.name]}
      - type: sql
        kind: table
        title: Slow calls
        sql: SELECT 1 AS n
"""

# (case, replace this, with this, expected line, words the message must contain)
CASES = [
    ("option of another kind", "        legend: {position: right}\n", "        legend: {position: right}\n        column_units: {A: s}\n", 12,
     ["'column_units' is not an option of a time_series panel"]),
    ("typo in a display option", "legend: {position: right}", "legend: {postion: right}", 11,
     ["unknown option 'postion'", "did you mean 'position'"]),
    ("bad enum", "legend: {position: right}", "legend: {position: left}", 11, ["must be one of: bottom, right"]),
    ("query without a source", "{name: A, signal: traces,", "{name: A, sgnal: traces,", 13,
     ["a query needs exactly one of: signal", "formula, trace_operator, promql, sql"]),
    ("typo in a query option", "group_by: [lk.function_tool.name]", "group_bi: [lk.function_tool.name]", 13,
     ["unknown option 'group_bi'", "did you mean 'group_by'"]),
    ("bad order", "group_by: [lk.function_tool.name]", "order: [count()]", 13, ["an order is '<key> asc' or '<key> desc'"]),
    ("sql panel with both forms", "        sql: SELECT 1 AS n\n", "        sql: SELECT 1 AS n\n        queries: [{sql: SELECT 2}]\n", 14,
     ["either sql: (one query) or queries:"]),
    ("promql on a table", "      - type: sql\n        kind: table\n        title: Slow calls\n        sql: SELECT 1 AS n\n",
     "      - type: promql\n        kind: table\n        title: Slow calls\n        promql: up\n", 14, ["a table panel cannot run PromQL"]),
    ("promql option on a sql panel", "        sql: SELECT 1 AS n\n", "        promql: up\n", 17, ["unknown option 'promql'"]),
    ("list with two queries", "        kind: time_series\n        title: Tool calls\n        legend: {position: right}\n",
     "        kind: list\n        title: Tool calls\n", 8, ["a list panel takes exactly one builder query"]),
    ("table threshold without a column", "        sql: SELECT 1 AS n\n", "        sql: SELECT 1 AS n\n        thresholds: [{value: 1, color: Red}]\n", 18,
     ["a table threshold needs `column`"]),
    ("label on a table threshold", "        sql: SELECT 1 AS n\n",
     "        sql: SELECT 1 AS n\n        thresholds: [{value: 1, color: Red, column: n, label: x}]\n", 18,
     ["'label' is not a threshold option of a table panel"]),
    ("omit of an unknown option", "        legend: {position: right}\n", "        legend: {position: right}\n        omit: [legnd]\n", 12,
     ["omit: 'legnd' is not an option here"]),
    ("omit of a set option", "        legend: {position: right}\n", "        legend: {position: right}\n        omit: [legend]\n", 12,
     ["omit: 'legend' is also set"]),
    ("bad panel id", "        title: Tool calls\n", "        title: Tool calls\n        id: tool calls\n", 11, ["id", "A-Z, a-z, 0-9"]),
    ("custom variable without values", 'values: "10,20", ', "", 4, ["values", "required"]),
    ("bad decimals", "        legend: {position: right}\n", "        legend: {position: right}\n        decimals: 7\n", 12,
     ["decimals must be 0, 1, 2, 3, 4 or full"]),
]


@pytest.mark.parametrize(("case", "old", "new", "line", "words"), CASES, ids=[c[0] for c in CASES])
def test_load_reports_file_and_line(tmp_path, case, old, new, line, words):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    if case == "list with two queries":
        text = text.replace("aggregations: [count()]", "aggregations: [count()]}\n          - {name: B, signal: logs")
    path = tmp_path / "tools.yaml"
    path.write_text(text)
    refused_at(path, line, *words)


def test_the_good_definition_renders(tmp_path):
    path = tmp_path / "tools.yaml"
    path.write_text(GOOD)
    body = signoz_dac.render(load_definition(path))
    assert set(body["spec"]["panels"]) == {"tool-calls", "slow-calls"}


def test_mixed_positions_in_a_section_are_an_error_at_the_section(tmp_path):
    path = tmp_path / "tools.yaml"
    path.write_text(GOOD.replace("        title: Tool calls\n", "        title: Tool calls\n        position: {x: 0, y: 0}\n"))
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render(load_definition(path))
    assert starts_at(str(info.value), path, 6, "give every panel of this section a `position`")


def test_two_panels_with_one_key_are_an_error_at_the_second(tmp_path):
    path = tmp_path / "tools.yaml"
    path.write_text(GOOD.replace("title: Slow calls", "title: Tool calls"))
    with pytest.raises(DefinitionError) as info:
        signoz_dac.render(load_definition(path))
    assert starts_at(str(info.value), path, 14, "panel key 'tool-calls' is already used by the panel at line 8")


@pytest.mark.parametrize(("position", "then"), [
    ("{x: 3, y: 2}", "spec.layouts[0].spec.items[1]: overlaps items[0] (x=3 y=2 w=6 h=6 vs x=0 y=0 w=6 h=6)"),
    ("{x: 8, y: 6}", "spec.layouts[0].spec.items[1].width: x + width must be at most 12"),
], ids=["overlapping", "wider than the grid"])
def test_a_position_that_does_not_fit_is_reported_at_the_panel_line(tmp_path, position, then):
    path = tmp_path / "tools.yaml"
    path.write_text(
        GOOD.replace("        title: Tool calls\n", "        title: Tool calls\n        position: {x: 0, y: 0}\n")
        .replace("        title: Slow calls\n", f"        title: Slow calls\n        position: {position}\n")
    )
    with pytest.raises(SchemaError) as info:
        signoz_dac.render(load_definition(path))
    assert starts_at(str(info.value), path, 15, then)  # the Slow calls panel
