"""What SigNoz's UI does with a saved dashboard: panels it runs differently, shows empty, or
ignores in part. The facts and their checks live in `signoz_dac.signoz.ui`, which render also
applies to its own output; here each becomes a lint check."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz import ui

QUERY_DROPPED = check(
    "panel-query-dropped", "error", "A top-level signoz/Formula or signoz/TraceOperator is dropped by the UI: wrap it in a CompositeQuery."
)
REDUCE_TO = check(
    "panel-reduce-to", "error", "Metrics queries on Number, Pie and Table panels need reduceTo: the UI runs them as scalar queries."
)
VARIABLE_ALL = check(
    "filter-variable-all", "error", "Compare with a dynamic variable that allows ALL through IN only: `= $var` matches '__all__'."
)
VARIABLE_FIRST = check(
    "filter-variable-first-value", "warning", "`= $var` with a multi-select variable uses only its first value: write IN $var."
)
COLUMN_KEY = check(
    "table-column-key", "warning", "Table columnUnits keys and threshold columnName must name a column (A, F1, A.<expr>, SQL names)."
)
LINK_HIDDEN = check(
    "panel-link-hidden", "warning", "Panel links show only on TimeSeries, Bar, Number, Pie and Table panels with a builder query."
)

_CHECK_IDS = {
    "query-dropped": QUERY_DROPPED,
    "reduce-to": REDUCE_TO,
    "variable-all": VARIABLE_ALL,
    "variable-first-value": VARIABLE_FIRST,
    "column-key": COLUMN_KEY,
    "link-hidden": LINK_HIDDEN,
}


@finds(QUERY_DROPPED, REDUCE_TO, COLUMN_KEY, LINK_HIDDEN)
def check_panels(ctx: LintContext) -> Iterator[Hit]:
    for panel in ctx.panels:
        for problem in (*ui.dropped_queries(panel), *ui.missing_reduce_to(panel), *ui.unmatched_columns(panel),
                        *ui.hidden_links(panel)):  # fmt: skip
            yield Hit(_CHECK_IDS[problem.check], problem.path, problem.message)


@finds(VARIABLE_ALL, VARIABLE_FIRST)
def check_variable_comparisons(ctx: LintContext) -> Iterator[Hit]:
    for query in ctx.queries:
        flt = ctx.parsed_filter(query)
        if flt is not None:
            for problem in ui.variable_comparisons(query, flt, ctx.variables):
                yield Hit(_CHECK_IDS[problem.check], problem.path, problem.message)
