"""Builder formulas (`A / B`, `(A + B) / C * 100`) over the queries' series, as SigNoz evaluates them.

SigNoz computes formulas after the queries, point by point:
- series of different queries are paired by their group labels: a series of one query goes with
  the series of another whose labels are the same or a subset (an ungrouped total pairs with
  every group);
- at a timestamp where a query has no point, a count, sum or rate counts as 0; an average,
  minimum, maximum or percentile has no value there, and the formula skips the timestamp;
- a result that is not a finite number (x / 0) is dropped.
A scalar query is a series with one point, so the same rules give scalar formulas.

The expression language is govaluate's arithmetic: query names, numbers, + - * / %, unary minus,
parentheses, and a few math functions. It is read with Python's own parser, whose arithmetic
grammar is the same, and anything outside that subset is refused.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import Any

from signoz_dac.preview.errors import QueryFailed, Unsupported
from signoz_dac.preview.query import QueryOutcome, Series

_FUNCTIONS: dict[str, Callable[..., float]] = {
    "abs": abs, "sqrt": math.sqrt, "exp": math.exp, "log": math.log, "ln": math.log, "log2": math.log2,
    "log10": math.log10, "exp2": lambda x: 2.0**x, "exp10": lambda x: 10.0**x, "cbrt": lambda x: math.copysign(abs(x) ** (1 / 3), x),
}  # fmt: skip
_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b if b != 0 else (math.nan if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)),
    ast.Mod: lambda a, b: math.fmod(a, b) if b != 0 else math.nan,
}  # fmt: skip


def compile_formula(expression: str) -> tuple[Callable[[Mapping[str, float]], float], set[str]]:
    """The formula as a function of {query name: value}, and the query names it reads."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        raise QueryFailed(f"formula {expression!r} does not parse") from None
    names: set[str] = set()

    def build(node: ast.AST) -> Callable[[Mapping[str, float]], float]:
        if isinstance(node, ast.Expression):
            return build(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            value = float(node.value)
            return lambda env: value
        if isinstance(node, ast.Name):
            names.add(node.id)
            name = node.id
            return lambda env: env[name]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            left, right, op = build(node.left), build(node.right), _BINARY[type(node.op)]
            return lambda env: op(left(env), right(env))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            inner = build(node.operand)
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            return lambda env: sign * inner(env)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS and not node.keywords:
            fn = _FUNCTIONS[node.func.id]
            args = [build(a) for a in node.args]
            return lambda env: fn(*(a(env) for a in args))
        raise Unsupported(f"formula {expression!r}: {ast.unparse(node)!r} is not evaluated locally")

    return build(tree), names


def _subset(small: Mapping[str, Any], big: Mapping[str, Any]) -> bool:
    return all(k in big and big[k] == v for k, v in small.items())


def evaluate_formula(spec: Mapping[str, Any], outcomes: Mapping[str, QueryOutcome]) -> list[Series]:
    """The formula's series (name = the formula's name), from the queries' outcomes."""
    name = str(spec.get("name") or "F1")
    expression = str(spec.get("expression") or "")
    fn, names = compile_formula(expression)
    missing = sorted(n for n in names if n not in outcomes)
    if missing:
        raise QueryFailed(f"formula {name} uses {', '.join(missing)}, which is not a query of this panel")
    per_query: dict[str, list[Series]] = {}
    zero: dict[str, bool] = {}
    for query in names:
        outcome = outcomes[query]
        if len(outcome.zero_default) > 1:
            raise Unsupported(f"formula {name}: query {query} has several aggregations")
        per_query[query] = [s for s in outcome.series if s.aggregation == 0]
        zero[query] = bool(outcome.zero_default and outcome.zero_default[0])
    # The label sets the result has: the widest of the queries' label sets.
    label_sets: list[dict[str, Any]] = []
    for series_list in per_query.values():
        for s in series_list:
            if not any(_subset(s.labels, other) for other in label_sets):
                label_sets = [ls for ls in label_sets if not _subset(ls, s.labels)] + [dict(s.labels)]
    results: list[Series] = []
    for labels in label_sets:
        matched: dict[str, Series | None] = {}
        for query, series_list in per_query.items():
            match = next((s for s in series_list if _subset(s.labels, labels)), None)
            if match is None and not zero[query]:
                break
            matched[query] = match
        else:
            timestamps = sorted({ts for s in matched.values() if s is not None for ts in s.points})
            points: dict[int, float] = {}
            for ts in timestamps:
                env: dict[str, float] = {}
                for query, found in matched.items():
                    if found is not None and ts in found.points:
                        env[query] = found.points[ts]
                    elif zero[query]:
                        env[query] = 0.0
                    else:
                        break
                else:
                    try:
                        value = fn(env)
                    except (ValueError, OverflowError, ZeroDivisionError):
                        continue
                    if math.isfinite(value):
                        points[ts] = value
            if points:
                results.append(Series(name, labels, points, 0, expression))
    return results
