"""Parse a traces/logs aggregation expression such as `p95(duration_nano)` or `countIf(has_error = true)`.

SigNoz reads each `aggregations[].expression` as one ClickHouse SELECT item and maps the function
through its own table (`reference/signoz-contract.md` §4.5). An unknown function or a wrong argument
count fails only when the panel runs; comma-packed entries are rejected at save. We check all of it
here, and parse the `…If` predicates with the filter parser, as SigNoz compiles them with the same
visitor.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from signoz_dac.lint.filter_expr import ExpressionError, Filter, FilterSyntaxError, parse_filter


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # the canonical spelling, for messages
    min_args: int
    max_args: int
    predicate: bool  # the last argument is a filter expression (the `…If` variants)
    family: str  # "count": a number of things, "value": in the unit of its field, "rate": per second


def _build_table() -> dict[str, FunctionSpec]:
    table: dict[str, FunctionSpec] = {}

    def add(spec: FunctionSpec, *aliases: str) -> None:
        for alias in (spec.name, *aliases):
            table[alias.lower()] = spec

    add(FunctionSpec("count", 0, 1, False, "count"))
    add(FunctionSpec("countIf", 1, 1, True, "count"), "count_if")
    add(FunctionSpec("countDistinct", 1, 10, False, "count"), "count_distinct")
    add(FunctionSpec("countDistinctIf", 2, 2, True, "count"), "count_distinct_if")
    for fn in ("sum", "avg", "min", "max"):
        add(FunctionSpec(fn, 1, 1, False, "value"))
        add(FunctionSpec(f"{fn}If", 2, 2, True, "value"), f"{fn}_if")
    for q in ("05", "10", "20", "25", "50", "75", "90", "95", "99", "999"):
        add(FunctionSpec(f"p{q}", 1, 1, False, "value"))
        add(FunctionSpec(f"p{q}If", 2, 2, True, "value"), f"p{q}_if")
    add(FunctionSpec("rate", 0, 1, False, "rate"))
    add(FunctionSpec("rateIf", 1, 1, True, "rate"), "rate_if")
    for fn in ("sum", "avg", "min", "max"):
        add(FunctionSpec(f"rate_{fn}", 1, 1, False, "rate"))
    return table


FUNCTIONS: dict[str, FunctionSpec] = _build_table()

_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_FIELD = re.compile(r"[A-Za-z$_@{#][A-Za-z0-9$_@#{}:\-/]*(?:\.[A-Za-z0-9$_@#{}:\-/]+)*")


class AggregationError(ExpressionError):
    """`kind` is one of "syntax", "packed", "unknown-function", "arguments", "predicate"."""

    def __init__(self, kind: str, message: str, expression: str, column: int):
        self.kind = kind
        super().__init__(message, expression, column)


@dataclass(frozen=True)
class Aggregation:
    function: FunctionSpec
    args: tuple[str, ...]  # raw argument texts (the predicate included)
    fields: tuple[str, ...]  # arguments that are plain field keys, e.g. `turn.duration_seconds`
    predicate: Filter | None


def parse_aggregation(text: str) -> Aggregation:
    """Parse one aggregation entry; raises `AggregationError` with the column of the first fault."""
    if not text.strip():
        raise AggregationError("syntax", "empty aggregation: write e.g. count() or avg(field)", text, 1)
    m = _NAME.match(text)
    if not m:
        first = len(text) - len(text.lstrip()) + 1
        raise AggregationError("syntax", "expected a function call such as count() or p95(duration_nano)", text, first)
    name = m.group(1)
    name_col = m.start(1) + 1
    open_at = m.end() - 1
    spec = FUNCTIONS.get(name.lower())
    if spec is None:
        hint = difflib.get_close_matches(name.lower(), FUNCTIONS, n=1)
        suggestion = f"; did you mean {FUNCTIONS[hint[0]].name}()?" if hint else ""
        raise AggregationError("unknown-function", f"unknown aggregation function {name}(){suggestion}", text, name_col)
    close_at = _matching_paren(text, open_at)
    _check_rest(text, text[close_at + 1 :], close_at + 1)

    args = _split_args(text, open_at + 1, close_at)
    if not spec.min_args <= len(args) <= spec.max_args:
        want = str(spec.min_args) if spec.min_args == spec.max_args else f"{spec.min_args} to {spec.max_args}"
        shape = " (the last one a filter condition)" if spec.predicate else ""
        raise AggregationError(
            "arguments", f"{name}() takes {want} argument(s){shape}, got {len(args)}", text, name_col
        )

    predicate = None
    plain = args
    if spec.predicate:
        pred_text, pred_start = args[-1]
        plain = args[:-1]
        try:
            predicate = parse_filter(pred_text)
        except FilterSyntaxError as err:
            raise AggregationError(
                "predicate", f"in the condition of {name}(): {err.message}", text, pred_start + err.column
            ) from None
        if predicate.root is None:
            raise AggregationError("arguments", f"{name}() needs a condition", text, name_col)
    fields = tuple(a.strip() for a, _ in plain if _FIELD.fullmatch(a.strip()))
    return Aggregation(spec, tuple(a.strip() for a, _ in args), fields, predicate)


def _outside_quotes(text: str, start: int = 0, end: int | None = None):
    """(index, char, bracket depth) of text[start:end] outside quoted strings, with backslash
    escapes inside quotes; the one scanner both the call's `)` and its commas are found with."""
    depth, quote, i = 0, None, start
    end = len(text) if end is None else end
    while i < end:
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        else:
            depth += (ch in "([") - (ch in ")]")
            yield i, ch, depth
        i += 1


def _matching_paren(text: str, open_at: int) -> int:
    for i, ch, depth in _outside_quotes(text, open_at):
        if ch in ")]" and depth == 0:
            return i
    raise AggregationError("syntax", "unclosed '(': missing ')'", text, open_at + 1)


def _check_rest(text: str, rest: str, offset: int) -> None:
    """Anything after the call's `)`: a second aggregation, an alias, or stray text."""
    stripped = rest.strip()
    if not stripped:
        return
    col = offset + (len(rest) - len(rest.lstrip())) + 1
    if stripped.startswith(","):
        raise AggregationError(
            "packed", "several aggregations packed in one entry: give each its own aggregations[] item", text, col
        )
    if re.match(r"(?i)as\b", stripped):
        raise AggregationError("syntax", "AS is not allowed in an expression: set the entry's `alias` instead", text, col)
    if _NAME.search(stripped):
        raise AggregationError("packed", "one function call per aggregation entry: split this expression", text, col)
    raise AggregationError("syntax", f"unexpected text after the call: {stripped!r}", text, col)


def _split_args(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """Top-level comma-separated arguments of text[start:end] with their 0-based start offsets."""
    if not text[start:end].strip():
        return []
    args: list[tuple[str, int]] = []
    begin = start
    for i, ch, depth in _outside_quotes(text, start, end):
        if ch == "," and depth == 0:
            args.append((text[begin:i], begin))
            begin = i + 1
    args.append((text[begin:end], begin))
    for arg, at in args:
        if not arg.strip():
            raise AggregationError("arguments", "empty argument", text, at + 1)
    return args
