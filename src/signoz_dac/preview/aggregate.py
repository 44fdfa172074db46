"""A trace aggregation expression → a ClickHouse aggregate, as SigNoz rewrites it.

Each function call is one of SigNoz's aggregation functions (read by `signoz.expressions`, the
`…If` predicates with the filter grammar); calls may be combined with + - * / and numbers
(`sum(a) + sum(b)`, `countIf(has_error = true) / count()`), which SigNoz accepts as one SELECT
item. The rewrite:

- `count()` counts spans; `count(k)` spans that carry `k`; `countDistinct(k, ...)` distinct values;
- `sum/avg/min/max(k)` over the spans that carry `k` (others are NULL, which aggregates skip);
- `pNN(k)` is ClickHouse's `quantile(0.NN)` (linear interpolation between the two nearest values);
- `…If(..., condition)` adds the condition (a filter expression);
- `rate()` is a count per second of the interval: the step for a time series, the whole range for
  a scalar; `rate_sum/avg/min/max(k)` likewise.

Counts, sums and rates of an empty bucket are 0 for formulas (SigNoz fills them with zero); an
average or percentile of nothing has no value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signoz_dac.preview.errors import QueryFailed, Unsupported
from signoz_dac.preview.fields import NUMBER, TIME, FieldCatalog, value_of
from signoz_dac.preview.filters import FilterCompiler
from signoz_dac.signoz.expressions import AggregationError, Call, parse_aggregation
from signoz_dac.signoz.expressions.filter import make_key

_ZERO_DEFAULT = {"count", "countif", "countdistinct", "countdistinctif", "sum", "sumif", "rate", "rateif",
                 "rate_sum"}  # fmt: skip


@dataclass(frozen=True)
class AggregationSQL:
    expression: str  # as written in the query
    sql: str
    zero_default: bool  # a missing bucket means 0 (counts, sums, rates)


def compile_aggregation(expression: str, catalog: FieldCatalog, filters: FilterCompiler, rate_seconds: float) -> AggregationSQL:
    """The ClickHouse expression: each call rewritten, the numbers, operators and parentheses
    between the calls kept as written (SigNoz's reader has checked they are only that)."""
    try:
        aggregation = parse_aggregation(expression)
    except AggregationError as exc:
        raise QueryFailed(f"aggregation {expression!r}: {exc.message}") from None
    pieces: list[str] = []
    pos = 0
    for call in aggregation.calls:
        pieces += [expression[pos : call.column - 1], _call(call, expression, catalog, filters, rate_seconds)]
        pos = call.end
    pieces.append(expression[pos:])
    single = aggregation.single
    return AggregationSQL(
        expression=expression,
        sql="".join(pieces).strip(),
        zero_default=single is not None and single.function.name.lower() in _ZERO_DEFAULT,
    )


def _call(call: Call, expression: str, catalog: FieldCatalog, filters: FilterCompiler, rate_seconds: float) -> str:
    text = expression[call.column - 1 : call.end]
    name = call.function.name.lower()
    plain = call.args[:-1] if call.function.predicate else call.args
    if len(call.fields) != len(plain):
        raise Unsupported(f"aggregation {text!r}: only field names are evaluated as arguments")
    condition = None
    if call.predicate is not None:
        condition = filters.compile(call.predicate) or "true"
    values = [_value(f, catalog, filters, numeric=not name.startswith("count")) for f in call.fields]

    base = name.removesuffix("if")
    if name.startswith("rate"):
        inner = {"rate": "count()", "rateif": f"countIf({condition})"}.get(name)
        if inner is None:  # rate_sum, rate_avg, rate_min, rate_max
            inner = f"{name.removeprefix('rate_')}({values[0]})"
        elif name == "rate" and values:
            inner = f"count({values[0]})"
        return f"({inner} / {float(rate_seconds)!r})"
    if name == "count":
        return f"count({values[0]})" if values else "count()"
    if name == "countif":
        return f"countIf({condition})"
    if name == "countdistinct":
        return f"countDistinct({', '.join(values)})"
    if name == "countdistinctif":
        return f"countDistinctIf({values[0]}, {condition})"
    if base in ("sum", "avg", "min", "max"):
        return f"{base}If({values[0]}, {condition})" if condition else f"{base}({values[0]})"
    if re.fullmatch(r"p\d+", base):
        level = _level(base[1:])
        return f"quantileIf({level})({values[0]}, {condition})" if condition else f"quantile({level})({values[0]})"
    raise Unsupported(f"aggregation function {call.function.name}() is not evaluated locally")


def _level(digits: str) -> str:
    """`95` → 0.95, `05` → 0.05, `999` → 0.999: SigNoz's pNN percentile levels."""
    return "0." + digits


def _value(field_text: str, catalog: FieldCatalog, filters: FilterCompiler, numeric: bool) -> str:
    resolved = catalog.resolve(make_key(field_text, 0))
    if resolved.warning and resolved.warning not in filters.warnings:
        filters.warnings.append(resolved.warning)
    if not resolved.known:
        return "CAST(NULL AS Nullable(Float64))"  # no span carries it: nothing to aggregate
    fields = [f for f in resolved.fields if f.type == NUMBER] if numeric else list(resolved.fields)
    if numeric and not fields:
        kinds = ", ".join(sorted({f.type for f in resolved.fields}))
        raise Unsupported(f"{field_text} is a {kinds} field here; aggregating it as a number is not evaluated locally")
    if any(f.type == TIME for f in fields):
        raise Unsupported(f"aggregating {field_text} is not evaluated locally")
    return value_of(fields)
