"""Run a SigNoz builder query (traces signal) over captured spans, in Python.

What SigNoz's query builder does with a filter expression, an aggregation and a group-by, for the
subset our panels and rules use: `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN`, `EXISTS`,
`NOT EXISTS`, `AND`, `OR`, `NOT`, parentheses; `count()`, `sum(x)`, `avg(x)`, `min(x)`, `max(x)`.
Keys resolve as SigNoz resolves them: the span's own fields (`name`, `has_error`, `duration_nano`,
...), resource attributes (an explicit `resource.` context or a resource namespace such as
`service.`), else span attributes. A dynamic variable set to ALL (`"__all__"`) drops its condition,
as SigNoz does. Anything else raises, so a query this cannot run never passes silently.

The filter is parsed by the project's own parser (`signoz_dac.lint.filter_expr`), which is tested
against SigNoz's grammar; the semantics are written here, independently of the renderer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from signoz_dac.lint.filter_expr import And, Comparison, Key, Not, Or, Value, parse_filter
from signoz_dac.profiles.fields import is_resource_attribute

Span = Mapping[str, Any]
ALL = "__all__"
_MISSING = object()
_AGGREGATION = re.compile(r"^(count|sum|avg|min|max)\(([^)]*)\)$")


class Unsupported(ValueError):
    """A query feature this evaluator does not implement."""


def _field(span: Span, key: Key) -> Any:
    name = key.name
    if key.context in (None, "span"):
        if name == "name":
            return span["name"]
        if name == "has_error":
            return span["status_code"] == "STATUS_CODE_ERROR"
        if name == "duration_nano":
            return span["end_ns"] - span["start_ns"]
        if name in ("trace_id", "span_id", "parent_span_id"):
            return span[name]
    if key.context == "resource" or (key.context is None and is_resource_attribute(name)):
        return span["resource"].get(name, _MISSING)
    return span["attributes"].get(name, _MISSING)


def _literal(value: Value, variables: Mapping[str, Any]) -> Any:
    if value.kind == "variable":
        if value.variable not in variables:
            raise Unsupported(f"no value for ${value.variable}")
        return variables[value.variable]
    if value.kind == "number":
        return float(value.text)
    if value.kind == "bool":
        return value.text.lower() == "true"
    if value.kind == "string":
        return value.text
    raise Unsupported(f"bare word {value.text!r}")


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(actual, bool) or isinstance(expected, bool):
        return actual is expected if isinstance(actual, bool) and isinstance(expected, bool) else False
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return float(actual) == float(expected)
    return actual == expected


def _compare(node: Comparison, span: Span, variables: Mapping[str, Any]) -> bool:
    actual = _field(span, node.key)
    op = node.op
    if op == "EXISTS":
        return (actual is not _MISSING) != node.negated
    values = [_literal(v, variables) for v in node.values]
    if any(v == ALL for v in values):  # a variable set to ALL: SigNoz leaves the condition out
        return True
    if actual is _MISSING:
        if op in ("!=",) or (op == "IN" and node.negated):
            raise Unsupported(f"{op} on spans without {node.key.text}")  # not needed by our queries
        return False  # a span without the key never equals, nor is less or greater
    if op == "IN":
        flat = [x for v in values for x in (v if isinstance(v, (list, tuple)) else [v])]
        return any(_equal(actual, v) for v in flat) != node.negated
    (expected,) = values
    if op == "=":
        result = _equal(actual, expected)
    elif op == "!=":
        result = not _equal(actual, expected)
    elif op in ("<", "<=", ">", ">="):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            raise Unsupported(f"{op} on a non-number {node.key.text}")
        result = {"<": actual < expected, "<=": actual <= expected,
                  ">": actual > expected, ">=": actual >= expected}[op]
    else:
        raise Unsupported(f"operator {op}")
    return result != node.negated


def _holds(node: Any, span: Span, variables: Mapping[str, Any]) -> bool:
    if node is None:
        return True
    if isinstance(node, And):
        return all(_holds(n, span, variables) for n in node.operands)
    if isinstance(node, Or):
        return any(_holds(n, span, variables) for n in node.operands)
    if isinstance(node, Not):
        return not _holds(node.operand, span, variables)
    if isinstance(node, Comparison):
        return _compare(node, span, variables)
    raise Unsupported(f"{type(node).__name__} in a traces filter")


def matching(spans: Iterable[Span], expression: str, variables: Mapping[str, Any] | None = None) -> list[Span]:
    """The spans a filter expression keeps."""
    root = parse_filter(expression).root
    return [s for s in spans if _holds(root, s, variables or {})]


def aggregate(spans: list[Span], expression: str) -> float:
    match = _AGGREGATION.match(expression.strip())
    if not match:
        raise Unsupported(f"aggregation {expression!r}")
    function, argument = match.groups()
    if function == "count":
        return float(len(spans))
    key = parse_filter(f"{argument} EXISTS").comparisons()[0].key
    values = [v for s in spans if isinstance(v := _field(s, key), (int, float)) and not isinstance(v, bool)]
    if function == "sum":
        return float(sum(values))
    if not values:
        return float("nan")
    return {"avg": sum(values) / len(values), "min": min(values), "max": max(values)}[function]


def run_builder(spec: Mapping[str, Any], spans: Iterable[Span], variables: Mapping[str, Any] | None = None) -> dict[tuple, float]:
    """A builder query spec (as rendered) over all `spans` (the whole time range, one bucket):
    {group-by values: the first aggregation's value}. Without a group-by the key is ()."""
    kept = matching(spans, spec.get("filter", {}).get("expression", ""), variables)
    keys = [parse_filter(f"{g['name']} EXISTS").comparisons()[0].key for g in spec.get("groupBy") or []]
    groups: dict[tuple, list[Span]] = {}
    for span in kept:
        values = tuple(_field(span, k) for k in keys)
        if _MISSING in values:
            continue  # SigNoz drops rows without the group-by key
        groups.setdefault(values, []).append(span)
    (aggregation,) = spec["aggregations"]
    if not keys:
        return {(): aggregate(kept, aggregation["expression"])}
    return {values: aggregate(group, aggregation["expression"]) for values, group in groups.items()}
