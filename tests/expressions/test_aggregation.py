"""Aggregation expressions, read as SigNoz reads them on save and when the panel runs."""

from __future__ import annotations

import json

import pytest

from signoz_dac.signoz.expressions.aggregation import (
    AggregationError,
    aggregation_problem,
    parse_aggregation,
    rule_aggregation_problem,
)
from tests.conftest import require_shared

# -- when the panel runs: known functions, argument counts, conditions ---------------------------

VALID = [
    ("count()", "count", ()),
    ("COUNT()", "count", ()),
    ("count(trace_id)", "count", ("trace_id",)),
    ("countIf(has_error = true)", "countIf", ()),
    ("count_if(name IN ('a', 'b'))", "countIf", ()),
    ("countIf(name = 'it\\'s')", "countIf", ()),  # a quote escaped inside the condition
    ("countIf(body = 'a)b(c)')", "countIf", ()),  # brackets inside a string are text
    ("countDistinct(trace_id)", "countDistinct", ("trace_id",)),
    ("count_distinct(a, b, c)", "countDistinct", ("a", "b", "c")),
    ("countDistinctIf(trace_id, has_error = true)", "countDistinctIf", ("trace_id",)),
    ("avg(turn.duration_seconds)", "avg", ("turn.duration_seconds",)),
    ("  sum(gen_ai.usage.input_tokens) ", "sum", ("gen_ai.usage.input_tokens",)),
    ("p95(duration_nano)", "p95", ("duration_nano",)),
    ("P999(duration_nano)", "p999", ("duration_nano",)),
    ("p99If(metrics.ttfb, name = 'llm' AND has_error = false)", "p99If", ("metrics.ttfb",)),
    ("p50_if(x, a = 'b,c')", "p50If", ("x",)),
    ("avgIf(metrics.ttfb, hasAny(tags, ['a', 'b']))", "avgIf", ("metrics.ttfb",)),
    ("rate()", "rate", ()),
    ("rateIf(has_error = true)", "rateIf", ()),
    ("rate_sum(bytes)", "rate_sum", ("bytes",)),
    ("sum(a * 2)", "sum", ()),  # an expression argument: not a plain field
]


@pytest.mark.parametrize(("text", "function", "fields"), VALID)
def test_one_call(text: str, function: str, fields: tuple[str, ...]) -> None:
    agg = parse_aggregation(text)
    call = agg.single
    assert call is not None
    assert call.function.name == function
    assert call.fields == fields
    assert (call.predicate is not None) == call.function.predicate


@pytest.mark.parametrize(
    ("text", "functions", "operators"),
    [
        ("sum(a)+sum(b)", ["sum", "sum"], {"+"}),
        ("sum(a) / count()", ["sum", "count"], {"/"}),
        ("count() / 60", ["count"], {"/"}),
        ("(countIf(has_error = true) * 100) / count()", ["countIf", "count"], {"*", "/"}),
        ("-min(x)", ["min"], set()),
    ],
)
def test_arithmetic_between_aggregations_is_one_aggregation(text, functions, operators) -> None:
    agg = parse_aggregation(text)
    assert [c.function.name for c in agg.calls] == functions
    assert agg.operators == operators
    assert (agg.single is None) == bool(operators)


INVALID = [
    # (expression, kind, column)
    ("", "syntax", 1),
    ("duration_nano", "syntax", 1),
    ("avg(x", "syntax", 4),
    ("count(), sum(x)", "packed", 8),
    ("count() sum(x)", "packed", 9),
    ("count() as total", "syntax", 9),
    ("count() +", "syntax", 10),
    ("count() total", "syntax", 9),
    ("average(x)", "unknown-function", 1),
    ("  p96(x)", "unknown-function", 3),
    ("quantile(0.9)(x)", "unknown-function", 1),
    ("sum(a) + average(b)", "unknown-function", 10),
    ("sum(toFloat64(x))", "arguments", 5),  # SigNoz maps each argument to a field
    ("avg()", "arguments", 1),
    ("avg(a, b)", "arguments", 1),
    ("count(a, b)", "arguments", 1),
    ("countIf()", "arguments", 1),
    ("countIf(day > 10, status)", "arguments", 1),
    ("sumIf(x)", "arguments", 1),
    ("avg(a, )", "arguments", 7),
    ("countIf(has_error =)", "predicate", 20),
    ("p95If(x, name = 'a' AND)", "predicate", 24),
    ("countIf(name = 'x)", "syntax", 16),
]


@pytest.mark.parametrize(("text", "kind", "column"), INVALID)
def test_what_fails_when_the_panel_runs(text: str, kind: str, column: int) -> None:
    with pytest.raises(AggregationError) as info:
        parse_aggregation(text)
    assert (info.value.kind, info.value.column) == (kind, column), info.value.caret()


def test_unknown_function_suggests_a_close_one() -> None:
    with pytest.raises(AggregationError, match=r"did you mean countDistinct\(\)"):
        parse_aggregation("countDistinc(trace_id)")


# -- on save: exactly one SELECT item (dashboards), no " as " (dashboards and rules) -------------

SAVED = [
    # (expression, accepted by SigNoz on dashboard save)
    ("count()", True),
    ("sum(bytes)", True),
    ("countIf(day > 10, status)", True),
    ("sum(toFloat64(x))", True),
    ("sum(a)+sum(b)", True),
    ("countIf(body LIKE '%(done)%')", True),
    ("countIf(body = 'a)b(c)')", True),
    ("countIf(name = 'it\\'s')", True),
    ("count() total", True),  # SQL reads a trailing name as an alias
    ("count(DISTINCT trace_id)", True),
    ("count(), sum(bytes)", False),
    ("count(", False),
    ("sum(a) +", False),
    ("count() sum(x)", False),
    ("countIf(name = 'x)", False),
    ("count() as total", False),
    ("", False),
    ("   ", False),
]


@pytest.mark.parametrize(("text", "accepted"), SAVED)
def test_dashboard_save_check(text: str, accepted: bool) -> None:
    assert (aggregation_problem(text) is None) == accepted, aggregation_problem(text)


def test_rules_skip_the_single_select_item_check() -> None:
    assert rule_aggregation_problem("count(), sum(bytes)") is None
    assert rule_aggregation_problem("count() AS n") is not None
    assert rule_aggregation_problem(" ") is not None


def test_the_save_check_agrees_with_signozs_vectors() -> None:
    shared = require_shared()
    vectors = json.loads((shared / "fixtures" / "signoz-vectors" / "dashboard-validation.json").read_text())
    cases = [
        v for v in vectors if v["test"] in ("TestCommaSeparatedAggregationRejectedOnWrite", "TestEnsureSingleExpressionAggregation")
    ]
    assert len(cases) == 11
    for case in cases:
        panels = case["body"]["spec"]["panels"] if case["shape"] == "dashboard" else case["body"]["panels"]
        expressions = [
            agg["expression"]
            for panel in panels.values()
            for agg in panel["spec"]["queries"][0]["spec"]["plugin"]["spec"]["aggregations"]
        ]
        accepted = all(aggregation_problem(e) is None for e in expressions)
        assert accepted == case["valid"], (case["id"], expressions)
