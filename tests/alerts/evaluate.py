"""A small model of how SigNoz computes a rendered builder query and evaluates a rendered rule.

Tests use it to compute what a panel shows and whether a rule fires on captured spans, from the
rendered JSON's own parameters only: filter, aggregation, group-by, step, formula, window,
matchType, op and target. What it models of SigNoz v0.138 (pkg/querybuilder, pkg/querier and
pkg/query-service/rules):

- a span belongs to the range when its start (`timestamp`) is in [start, end);
- a time series has one point per bucket `floor(timestamp / step) * step` (epoch seconds, UTC) and
  per group; a group-by key missing on a span leaves the span out;
- a positive comparison on a missing attribute is false; `!=`, NOT IN and NOT EXISTS are true;
- `IN $var` with a dynamic variable at ALL (`__all__`) is no condition at all;
- a formula is computed per group and bucket; an input count or sum missing there counts 0; a
  division by zero gives no point;
- a rule queries the last `evalWindow` with both ends rounded down to the minute, compares each
  group's points with each threshold as `matchType` says, and, with `alertOnAbsent`, reports no
  data when the selected query returns no series.

It does not model metrics, logs, or percentiles over 8192 values or more (ClickHouse samples them). A full local
evaluator is planned separately; keep this one small.
"""

from __future__ import annotations

import ast
import operator
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from signoz_dac.lint.filter_expr import And, Comparison, Filter, Not, Or, parse_filter

NS = 1_000_000_000
Span = dict[str, Any]
Group = tuple[tuple[str, Any], ...]
_RESOURCE_PREFIXES = ("service.", "telemetry.sdk.", "deployment.", "host.", "k8s.")
_CALL = re.compile(r"^\s*(\w+)\((.*)\)\s*$", re.S)
_UNITS_PER_SECOND = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1.0, "m": 1 / 60, "h": 1 / 3600}


# ---------------------------------------------------------------------------------------------- fields


def field(span: Span, name: str, context: str | None = None) -> tuple[bool, Any]:
    """(present, value) of a key on a span: intrinsic fields, resource attributes, span attributes."""
    if context in (None, "span") and name == "name":
        return True, span["name"]
    if context in (None, "span") and name == "has_error":
        return True, span["status_code"] == "STATUS_CODE_ERROR"
    if context in (None, "span") and name == "duration_nano":
        return True, span["end_ns"] - span["start_ns"]
    if context in (None, "span") and name == "trace_id":
        return True, span["trace_id"]
    if context == "resource" or (context is None and name.startswith(_RESOURCE_PREFIXES)):
        return name in span["resource"], span["resource"].get(name)
    return name in span["attributes"], span["attributes"].get(name)


def _literal(value) -> Any:
    if value.kind == "number":
        return float(value.text)
    if value.kind == "bool":
        return value.text == "true"
    return value.text


def _equal(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if isinstance(expected, float):
        return isinstance(actual, (int, float)) and float(actual) == expected
    return str(actual) == expected


def matches(flt: Filter | str, span: Span, variables: dict[str, Any] | None = None) -> bool:
    parsed = parse_filter(flt) if isinstance(flt, str) else flt
    return parsed.root is None or _node(parsed.root, span, variables or {})


def _node(node, span: Span, variables: dict[str, Any]) -> bool:
    if isinstance(node, And):
        return all(_node(n, span, variables) for n in node.operands)
    if isinstance(node, Or):
        return any(_node(n, span, variables) for n in node.operands)
    if isinstance(node, Not):
        return not _node(node.operand, span, variables)
    assert isinstance(node, Comparison), f"not modelled: {node}"
    present, actual = field(span, node.key.name, node.key.context)
    if node.op == "EXISTS":
        return present != node.negated
    if node.op == "IN":
        expected: list[Any] = []
        for value in node.values:
            if value.kind == "variable":
                chosen = variables[value.variable]
                if chosen == "__all__":
                    return True  # SigNoz drops the condition
                expected += chosen if isinstance(chosen, list) else [chosen]
            else:
                expected.append(_literal(value))
        hit = present and any(_equal(actual, e) for e in expected)
        return (not hit) if node.negated else hit
    (value,) = node.values
    expected = _literal(value)
    if node.op == "!=":
        return not present or not _equal(actual, expected)
    if not present:
        return False
    if node.op == "=":
        return _equal(actual, expected)
    compare = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[node.op]
    return isinstance(actual, (int, float)) and not isinstance(actual, bool) and compare(float(actual), expected)


# ---------------------------------------------------------------------------------------------- queries


def _aggregate(expression: str, spans: list[Span]) -> float | None:
    call = _CALL.match(expression)
    assert call, f"not an aggregation: {expression}"
    function, argument = call.group(1).lower(), call.group(2).strip()
    if function == "count":
        return float(len(spans))
    if function == "countif":
        predicate = parse_filter(argument)
        return float(sum(matches(predicate, s) for s in spans))
    values = [float(v) for s in spans for present, v in [field(s, argument)] if present]
    if function in ("sum", "rate_sum"):
        return float(sum(values))
    if not values:
        return None
    if function == "avg":
        return sum(values) / len(values)
    if function in ("min", "max"):
        return {"min": min, "max": max}[function](values)
    if re.fullmatch(r"p\d+", function):
        # SigNoz's pNN is ClickHouse's quantile(0.NN): on fewer than 8192 values, the sorted values
        # interpolated linearly at index level * (n - 1).
        ordered, level = sorted(values), float("0." + function[1:])
        index = level * (len(ordered) - 1)
        low = int(index)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (index - low)
    raise AssertionError(f"aggregation {function} is not modelled")


def _defaults_to_zero(expression: str) -> bool:
    return expression.split("(")[0].strip().lower() in ("count", "countif", "sum", "rate_sum")


@dataclass(frozen=True)
class Result:
    """One query's series: {group: {bucket start (s, or None for a scalar): value}}."""

    series: dict[Group, dict[int | None, float]]
    zero_default: bool  # missing points count as 0 in a formula (counts and sums)


def run_builder(spec: dict, spans: Iterable[Span], start_ns: int, end_ns: int, step: int | None,
                variables: dict[str, Any] | None = None) -> Result:
    """A builder query's result: a scalar per group (`step=None`, as number/table panels ask) or a
    time series with `step`-second buckets."""
    flt = parse_filter(spec["filter"]["expression"])
    keys = [(g["name"], g.get("fieldContext") or None) for g in spec.get("groupBy") or []]
    (aggregation,) = spec["aggregations"]
    expression = aggregation["expression"]
    buckets: dict[tuple[Group, int | None], list[Span]] = defaultdict(list)
    for span in spans:
        if not start_ns <= span["start_ns"] < end_ns or not matches(flt, span, variables):
            continue
        found = [field(span, name, context) for name, context in keys]
        if not all(present for present, _ in found):
            continue
        group = tuple((name, value) for (name, _), (_, value) in zip(keys, found))
        bucket = None if step is None else (span["start_ns"] // NS) // step * step
        buckets[(group, bucket)].append(span)
    series: dict[Group, dict[int | None, float]] = defaultdict(dict)
    for (group, bucket), members in buckets.items():
        value = _aggregate(expression, members)
        if value is not None:
            if expression.lower().startswith("rate_"):
                value /= step if step else (end_ns - start_ns) / NS
            series[group][bucket] = value
    return Result(dict(series), _defaults_to_zero(expression))


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _formula(expression: str, values: dict[str, float]) -> float | None:
    def walk(node):
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None:
                return None
            if isinstance(node.op, ast.Div) and right == 0:
                return None  # NaN or Inf: SigNoz drops the point
            return _OPS[type(node.op)](left, right)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values.get(node.id)
        raise AssertionError(f"formula part not modelled: {ast.dump(node)}")

    return walk(ast.parse(expression, mode="eval").body)


def run_formula(expression: str, inputs: dict[str, Result]) -> Result:
    """A formula over its inputs, per group and bucket; missing counts and sums are 0."""
    names = [n.id for n in ast.walk(ast.parse(expression, mode="eval")) if isinstance(n, ast.Name)]
    points = {(g, b) for name in names for g, s in inputs[name].series.items() for b in s}
    series: dict[Group, dict[int | None, float]] = defaultdict(dict)
    for group, bucket in points:
        values = {}
        for name in names:
            got = inputs[name].series.get(group, {}).get(bucket)
            values[name] = 0.0 if got is None and inputs[name].zero_default else got
        value = _formula(expression, values)
        if value is not None:
            series[group][bucket] = value
    return Result(dict(series), False)


def builder_specs(query_plugin: dict) -> tuple[list[dict], list[dict]]:
    """(builder specs, formula specs) of a panel's query plugin or a rule's compositeQuery."""
    if query_plugin.get("kind") == "signoz/BuilderQuery":
        return [query_plugin["spec"]], []
    queries = query_plugin["spec"]["queries"] if "spec" in query_plugin else query_plugin["queries"]
    return ([q["spec"] for q in queries if q["type"] == "builder_query"],
            [q["spec"] for q in queries if q["type"] == "builder_formula"])


def run_query(query_plugin: dict, spans: list[Span], start_ns: int, end_ns: int, *, time_series: bool,
              variables: dict[str, Any] | None = None) -> dict[str, Result]:
    """Every builder query and formula of a panel or rule, by name: scalars, or time series with
    each builder's own `stepInterval`."""
    builders, formulas = builder_specs(query_plugin)
    results = {
        b["name"]: run_builder(b, spans, start_ns, end_ns, b["stepInterval"] if time_series else None, variables)
        for b in builders
    }
    for f in formulas:
        results[f["name"]] = run_formula(f["expression"], results)
    return results


def panel_value(body: dict, key: str, spans: list[Span], start_ns: int, end_ns: int,
                variables: dict[str, Any] | None = None, query: str | None = None) -> dict[Group, float]:
    """What a number or table panel shows over the range, per group: its formula or first shown
    query, or the column of `query` (a table shows one column per query)."""
    plugin = body["spec"]["panels"][key]["spec"]["queries"][0]["spec"]["plugin"]
    results = run_query(plugin, spans, start_ns, end_ns, time_series=False, variables=variables or {})
    builders, formulas = builder_specs(plugin)
    shown = query or (formulas[-1]["name"] if formulas else next(b["name"] for b in builders if not b["disabled"]))
    return {group: points[None] for group, points in results[shown].series.items()}


# ---------------------------------------------------------------------------------------------- rules


def _duration_seconds(text: str) -> int:
    amount, unit = re.fullmatch(r"(\d+)([smh])", text).groups()  # type: ignore[union-attr]
    return int(amount) * {"s": 1, "m": 60, "h": 3600}[unit]


def _meets(values: list[float], match: str, op: str, target: float) -> bool:
    compare = {
        "above": operator.gt, "below": operator.lt, "above_or_equal": operator.ge,
        "below_or_equal": operator.le, "equal": operator.eq, "not_equal": operator.ne,
    }[op]
    if match == "at_least_once":
        return any(compare(v, target) for v in values)
    if match == "all_the_times":
        return all(compare(v, target) for v in values)
    if match == "on_average":
        return compare(sum(values) / len(values), target)
    if match == "in_total":
        return compare(sum(values), target)
    if match == "last":
        return compare(values[-1], target)
    raise AssertionError(match)


def _target(level: dict, query_unit: str) -> float:
    unit = level.get("targetUnit") or query_unit
    if unit == query_unit or unit not in _UNITS_PER_SECOND or query_unit not in _UNITS_PER_SECOND:
        return float(level["target"])
    return float(level["target"]) / _UNITS_PER_SECOND[unit] * _UNITS_PER_SECOND[query_unit]


@dataclass(frozen=True)
class Evaluation:
    firing: dict[Group, set[str]]  # group -> the levels (threshold names) that fire
    points: dict[Group, list[float]]  # group -> the selected query's points in the window
    no_data: bool  # alertOnAbsent and the selected query returned nothing


def evaluate_rule(rule: dict, spans: list[Span], at_ns: int) -> Evaluation:
    """One evaluation of a rendered rule at `at_ns`, as SigNoz's rolling evaluation does it."""
    window = _duration_seconds(rule["evaluation"]["spec"]["evalWindow"])
    end_ns = at_ns // (60 * NS) * (60 * NS)
    start_ns = end_ns - window * NS
    condition = rule["condition"]
    composite = condition["compositeQuery"]
    results = run_query(composite, spans, start_ns, end_ns, time_series=True)
    selected = results[condition["selectedQueryName"]]
    firing: dict[Group, set[str]] = {}
    points: dict[Group, list[float]] = {}
    for group, series in selected.series.items():
        values = [series[b] for b in sorted(series)]
        points[group] = values
        firing[group] = {
            level["name"] for level in condition["thresholds"]["spec"]
            if _meets(values, level["matchType"], level["op"], _target(level, composite.get("unit", "")))
        }
    return Evaluation(firing, points, bool(condition.get("alertOnAbsent")) and not selected.series)
