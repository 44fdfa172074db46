"""Filter expressions and aggregation expressions that SigNoz would fail on when the panel runs."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.expressions.aggregation import AggregationError
from signoz_dac.signoz.expressions.filter import FilterSyntaxError

FILTER_SYNTAX = check(
    "filter-syntax", "error", "Filter expressions (and the conditions of countIf & co.) must parse in SigNoz's filter language."
)
FULL_TEXT = check(
    "filter-full-text", "error", "Bare words and lone strings are full-text terms, which only the logs signal supports."
)
AGG_UNKNOWN = check(
    "aggregation-unknown-function", "error", "Aggregations must use SigNoz's functions: count, countIf, avg, p95, rate, ..."
)
AGG_PACKED = check(
    "aggregation-packed", "error", "One aggregation per entry: not two separated by a comma (arithmetic between them is fine)."
)
AGG_ARGS = check(
    "aggregation-arguments", "error", "Aggregation calls need the right arguments (fields, no nested calls) and no AS (use alias)."
)

_KIND_TO_RULE = {
    "unknown-function": AGG_UNKNOWN,
    "packed": AGG_PACKED,
    "arguments": AGG_ARGS,
    "syntax": AGG_ARGS,
    "predicate": FILTER_SYNTAX,
}


@finds(FILTER_SYNTAX, FULL_TEXT)
def check_filters(ctx: LintContext) -> Iterator[Hit]:
    for query in ctx.queries:
        found = query.filter
        if found is None:
            continue
        text, path = found
        parsed = ctx.filter(text)
        where = query.where
        if isinstance(parsed, FilterSyntaxError):
            yield Hit(FILTER_SYNTAX, path, f"{where}: {parsed.explain()}")
            continue
        for value in parsed.values():
            if value.kind == "word" and ("{{" in value.text or value.text.startswith("[[")):
                yield Hit(
                    FILTER_SYNTAX,
                    path,
                    f"{where}: {value.text!r} is not substituted in filter expressions; "
                    "only $name variables are (write $name)",
                )
        if query.signal != "logs":
            for term in parsed.full_text_terms():
                yield Hit(
                    FULL_TEXT,
                    path,
                    f"{where}: {term.value.text!r} at column {term.value.column} is a full-text term, which "
                    f"the {query.signal or 'traces'} signal does not support; a missing operator or a typo?",
                )


@finds(AGG_UNKNOWN, AGG_PACKED, AGG_ARGS, FILTER_SYNTAX)
def check_aggregations(ctx: LintContext) -> Iterator[Hit]:
    for query in ctx.queries:
        if query.type not in ("builder_query", "builder_trace_operator"):
            continue
        for text, path, _entry in query.expression_aggregations:
            parsed = ctx.aggregation(text)
            if isinstance(parsed, AggregationError):
                yield Hit(
                    _KIND_TO_RULE[parsed.kind],
                    path,
                    f"{query.where}: {parsed.explain()}",
                )
