"""A small model of how SigNoz computes a rendered builder query (traces signal) and evaluates a
rendered rule, run over captured or synthetic spans in Python.

Tests use it to compute which spans a filter keeps, what a panel shows and whether a rule fires,
from the rendered JSON's own parameters only: filter, aggregation, group-by, step, formula, window,
matchType, op and target. The filter is parsed by the project's parser
(`signoz_dac.signoz.expressions`, tested against SigNoz's grammar); the semantics are written here,
independently of the renderer. What it models of SigNoz v0.138 (pkg/querybuilder, pkg/querier and
pkg/query-service/rules):

- keys resolve as SigNoz resolves them: the span's own fields (`name`, `has_error`, `duration_nano`,
  `trace_id`, ...), resource attributes (an explicit `resource.` context or a resource namespace
  such as `service.`), else span attributes;
- `=`, `!=`, `<`, `<=`, `>`, `>=`, `IN`, `NOT IN`, `EXISTS`, `NOT EXISTS`, `AND`, `OR`, `NOT`; a
  positive comparison on a missing attribute is false; `!=`, NOT IN and NOT EXISTS are true;
- a condition on a dynamic variable set to ALL (`__all__`) is no condition at all;
- `count()`, `countIf(filter)`, `sum`, `rate_sum`, `avg`, `min`, `max` and `pNN` (ClickHouse's
  `quantile`, exact below 8192 values: ClickHouse samples above that, which is not modelled);
- a span belongs to the range when its start (`timestamp`) is in [start, end);
- a time series has one point per bucket `floor(timestamp / step) * step` (epoch seconds, UTC) and
  per group; a group-by key missing on a span leaves the span out;
- a formula is computed per group and bucket; an input count or sum missing there counts 0; a
  division by zero gives no point;
- a rule queries the last `evalWindow` with both ends rounded down to the minute, compares each
  group's points with each threshold as `matchType` says, and, with `alertOnAbsent`, reports no
  data when the selected query returns no series.

Anything else (metrics, logs, functions, full-text search) raises `Unsupported`, so a query this
cannot run never passes silently. A full local evaluator is planned separately; keep this one small.
"""

from __future__ import annotations

import ast
import operator
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from signoz_dac.profiles.fields import is_resource_attribute
from signoz_dac.signoz.expressions import Filter, parse_filter
from signoz_dac.signoz.expressions.filter import And, Comparison, Not, Or, Value

NS = 1_000_000_000
ALL = "__all__"
Span = Mapping[str, Any]
Group = tuple[tuple[str, Any], ...]  # ((group-by key, value), ...)
Variables = Mapping[str, Any]
_MISSING = object()
_CALL = re.compile(r"^\s*(\w+)\((.*)\)\s*$", re.S)
_UNITS_PER_SECOND = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1.0, "m": 1 / 60, "h": 1 / 3600}


class Unsupported(ValueError):
    """A query feature this evaluator does not implement."""


# ---------------------------------------------------------------------------------------------- filters


def field(span: Span, name: str, context: str | None = None) -> Any:
    """A key's value on a span, or `_MISSING`: intrinsic fields, resource attributes, span attributes."""
    if context in (None, "span"):
        if name == "name":
            return span["name"]
        if name == "has_error":
            return span["status_code"] == "STATUS_CODE_ERROR"
        if name == "duration_nano":
            return span["end_ns"] - span["start_ns"]
        if name in ("trace_id", "span_id", "parent_span_id"):
            return span[name]
    if context == "resource" or (context is None and is_resource_attribute(name)):
        return span["resource"].get(name, _MISSING)
    return span["attributes"].get(name, _MISSING)


def _literal(value: Value, variables: Variables) -> Any:
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
        return isinstance(actual, bool) and isinstance(expected, bool) and actual == expected
    if isinstance(actual, (int, float)) and isinstance(expected, (int, float)):
        return float(actual) == float(expected)
    return actual == expected


def _compare(node: Comparison, span: Span, variables: Variables) -> bool:
    actual = field(span, node.key.name, node.key.context)
    present = actual is not _MISSING
    if node.op == "EXISTS":
        return present != node.negated
    values = [_literal(v, variables) for v in node.values]
    if any(v == ALL for v in values):  # a variable set to ALL: SigNoz leaves the condition out
        return True
    if node.op == "IN":
        flat = [x for v in values for x in (v if isinstance(v, (list, tuple)) else [v])]
        return (present and any(_equal(actual, v) for v in flat)) != node.negated
    (expected,) = values
    if node.op == "!=":
        return not present or not _equal(actual, expected)
    if not present:
        return node.negated  # a span without the key never equals, nor is less or greater
    if node.op == "=":
        result = _equal(actual, expected)
    elif node.op in ("<", "<=", ">", ">="):
        if isinstance(actual, bool) or not isinstance(actual, (int, float)):
            raise Unsupported(f"{node.op} on a non-number {node.key.text}")
        compare = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}[node.op]
        result = compare(float(actual), float(expected))
    else:
        raise Unsupported(f"operator {node.op}")
    return result != node.negated


def _holds(node: Any, span: Span, variables: Variables) -> bool:
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


def matches(flt: Filter | str, span: Span, variables: Variables | None = None) -> bool:
    """Whether a filter expression keeps one span."""
    parsed = parse_filter(flt) if isinstance(flt, str) else flt
    return _holds(parsed.root, span, variables or {})


def matching(spans: Iterable[Span], expression: str, variables: Variables | None = None) -> list[Span]:
    """The spans a filter expression keeps."""
    parsed = parse_filter(expression)
    return [s for s in spans if _holds(parsed.root, s, variables or {})]


# ---------------------------------------------------------------------------------------------- queries


def _aggregate(expression: str, spans: list[Span]) -> float | None:
    call = _CALL.match(expression)
    if not call:
        raise Unsupported(f"aggregation {expression!r}")
    function, argument = call.group(1).lower(), call.group(2).strip()
    if function == "count":
        return float(len(spans))
    if function == "countif":
        predicate = parse_filter(argument)
        return float(sum(matches(predicate, s) for s in spans))
    key = parse_filter(f"{argument} EXISTS").comparisons()[0].key
    values = [float(v) for s in spans
              if isinstance(v := field(s, key.name, key.context), (int, float)) and not isinstance(v, bool)]
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
        if len(values) >= 8192:
            raise Unsupported("a percentile over 8192 values or more (ClickHouse samples them)")
        ordered, level = sorted(values), float("0." + function[1:])
        index = level * (len(ordered) - 1)
        low = int(index)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (index - low)
    raise Unsupported(f"aggregation {function}")


def _defaults_to_zero(expression: str) -> bool:
    return expression.split("(")[0].strip().lower() in ("count", "countif", "sum", "rate_sum")


@dataclass(frozen=True)
class Result:
    """One query's series: {group: {bucket start (s, or None for a scalar): value}}."""

    series: dict[Group, dict[int | None, float]]
    zero_default: bool  # missing points count as 0 in a formula (counts and sums)

    def totals(self) -> dict[tuple, float]:
        """A scalar result as {group-by values: value} (() without a group-by)."""
        return {tuple(value for _, value in group): points[None] for group, points in self.series.items()}


def run_builder(spec: Mapping[str, Any], spans: Iterable[Span], start_ns: int | None = None, end_ns: int | None = None,
                step: int | None = None, variables: Variables | None = None) -> Result:
    """A builder query's result over the spans that start in [start_ns, end_ns) (default: all of
    them): a scalar per group (`step=None`, as number and table panels ask) or a time series with
    `step`-second buckets."""
    flt = parse_filter((spec.get("filter") or {}).get("expression", ""))
    keys = [(g["name"], g.get("fieldContext") or None) for g in spec.get("groupBy") or []]
    (aggregation,) = spec["aggregations"]
    expression = aggregation["expression"]
    buckets: dict[tuple[Group, int | None], list[Span]] = defaultdict(list)
    kept = 0
    for span in spans:
        if start_ns is not None and not start_ns <= span["start_ns"] < end_ns:  # type: ignore[operator]
            continue
        if not matches(flt, span, variables):
            continue
        kept += 1
        found = [field(span, name, context) for name, context in keys]
        if _MISSING in found:
            continue  # SigNoz drops rows without the group-by key
        group = tuple((name, value) for (name, _), value in zip(keys, found))
        bucket = None if step is None else (span["start_ns"] // NS) // step * step
        buckets[(group, bucket)].append(span)
    if not keys and step is None and not kept:
        buckets[((), None)] = []  # a scalar without a group-by always has its one value
    series: dict[Group, dict[int | None, float]] = defaultdict(dict)
    for (group, bucket), members in buckets.items():
        value = _aggregate(expression, members)
        if value is not None:
            if expression.lower().startswith("rate_"):
                if step is None and start_ns is None:
                    raise Unsupported("a rate over no time range")
                value /= step if step else (end_ns - start_ns) / NS  # type: ignore[operator]
            series[group][bucket] = value
    return Result(dict(series), _defaults_to_zero(expression))


def totals(spec: Mapping[str, Any], spans: Iterable[Span], variables: Variables | None = None) -> dict[tuple, float]:
    """A builder query over all `spans` as one scalar per group: {group-by values: value}."""
    return run_builder(spec, spans, variables=variables).totals()


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _formula(expression: str, values: dict[str, float | None]) -> float | None:
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
        raise Unsupported(f"formula part {ast.dump(node)}")

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


def builder_specs(query_plugin: Mapping[str, Any]) -> tuple[list[dict], list[dict]]:
    """(builder specs, formula specs) of a panel's query plugin or a rule's compositeQuery."""
    if query_plugin.get("kind") == "signoz/BuilderQuery":
        return [query_plugin["spec"]], []
    queries = query_plugin["spec"]["queries"] if "spec" in query_plugin else query_plugin["queries"]
    return ([q["spec"] for q in queries if q["type"] == "builder_query"],
            [q["spec"] for q in queries if q["type"] == "builder_formula"])


def run_query(query_plugin: Mapping[str, Any], spans: list[Span], start_ns: int, end_ns: int, *, time_series: bool,
              variables: Variables | None = None) -> dict[str, Result]:
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
                variables: Variables | None = None, query: str | None = None) -> dict[Group, float]:
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
    raise Unsupported(f"matchType {match}")


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
