"""Aggregation expressions: §4.5 functions, argument counts, one call per entry, If predicates."""

from __future__ import annotations

import pytest

from signoz_dac.lint.aggregation import AggregationError, parse_aggregation

VALID = [
    ("count()", "count", ()),
    ("COUNT()", "count", ()),
    ("count(trace_id)", "count", ("trace_id",)),
    ("countIf(has_error = true)", "countIf", ()),
    ("count_if(name IN ('a', 'b'))", "countIf", ()),
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

INVALID = [
    # (expression, kind, column)
    ("", "syntax", 1),
    ("duration_nano", "syntax", 1),
    ("avg(x", "syntax", 4),
    ("count(), sum(x)", "packed", 8),
    ("count() sum(x)", "packed", 9),
    ("count() as total", "syntax", 9),
    ("count() + 1", "syntax", 9),
    ("average(x)", "unknown-function", 1),
    ("  p96(x)", "unknown-function", 3),
    ("quantile(0.9)(x)", "unknown-function", 1),
    ("avg()", "arguments", 1),
    ("avg(a, b)", "arguments", 1),
    ("count(a, b)", "arguments", 1),
    ("countIf()", "arguments", 1),
    ("sumIf(x)", "arguments", 1),
    ("avg(a, )", "arguments", 7),
    ("countIf(has_error =)", "predicate", 20),
    ("p95If(x, name = 'a' AND)", "predicate", 24),
]


@pytest.mark.parametrize(("text", "function", "fields"), VALID)
def test_valid_aggregations(text: str, function: str, fields: tuple[str, ...]) -> None:
    agg = parse_aggregation(text)
    assert agg.function.name == function
    assert agg.fields == fields
    assert (agg.predicate is not None) == agg.function.predicate


@pytest.mark.parametrize(("text", "kind", "column"), INVALID)
def test_invalid_aggregations(text: str, kind: str, column: int) -> None:
    with pytest.raises(AggregationError) as info:
        parse_aggregation(text)
    assert (info.value.kind, info.value.column) == (kind, column), info.value.caret()


def test_unknown_function_suggests_a_close_one() -> None:
    with pytest.raises(AggregationError, match=r"did you mean countDistinct\(\)"):
        parse_aggregation("countDistinc(trace_id)")
