"""What SigNoz's UI (the v0.138 frontend) does with a dashboard the server accepted.

The server stores bodies that the UI then runs differently, shows empty, or ignores in part. These
are those facts, read from the frontend (frontend/src/pages/DashboardPageV2/...) and the query
path it calls, each with a check over a body. Lint reports them; render refuses its own output
when it breaks one, so a shipped panel never relies on something the UI does not do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from signoz_dac.signoz.expressions import Filter, FilterSyntaxError, parse_filter
from signoz_dac.signoz.reading import Dashboard, PanelAt, QueryAt, VariableAt, join, read_dashboard

# The request type the UI sends for a panel, from the panel kind alone: a query's own `kind` is
# ignored (queryV5/buildQueryRangeRequest.ts). The server re-validates with it at query time.
REQUEST_TYPE = {
    "signoz/TimeSeriesPanel": "time_series",
    "signoz/BarChartPanel": "time_series",
    "signoz/HistogramPanel": "time_series",
    "signoz/NumberPanel": "scalar",
    "signoz/PieChartPanel": "scalar",
    "signoz/TablePanel": "scalar",
    "signoz/ListPanel": "raw",
}
# The UI runs only a panel's first query, and drops a top-level formula or trace operator: they
# must travel inside a signoz/CompositeQuery with the queries they use.
DROPPED_AT_TOP_LEVEL = frozenset({"signoz/Formula", "signoz/TraceOperator"})
# Panel links appear only in the drilldown menu (useDrilldown.tsx), which these kinds have
# (Panels/kinds/*/definition.ts), and only for a builder query.
DRILLDOWN_PANELS = frozenset(
    {"signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/PieChartPanel", "signoz/TablePanel"}
)
BUILDER_TYPES = frozenset({"builder_query", "builder_formula", "builder_trace_operator"})
REDUCE_TO = ("sum", "count", "avg", "min", "max", "last", "median")


@dataclass(frozen=True)
class Problem:
    check: str  # query-dropped | reduce-to | variable-all | variable-first-value | column-key | link-hidden
    path: str
    message: str


def dropped_queries(panel: PanelAt) -> Iterator[Problem]:
    for i, kind in enumerate(panel.query_plugins):
        if kind in DROPPED_AT_TOP_LEVEL:
            yield Problem(
                "query-dropped",
                join(join(join(join(join(panel.path, "queries"), i), "spec"), "plugin"), "kind"),
                f"{panel.label}: the UI drops a top-level {kind} and shows nothing; put it in a "
                "signoz/CompositeQuery together with the queries it uses",
            )


def missing_reduce_to(panel: PanelAt) -> Iterator[Problem]:
    """Metrics queries on panels the UI runs as `scalar` need `reduceTo` on every aggregation,
    whatever `kind` the query says: without it the query fails each time the panel is viewed."""
    if REQUEST_TYPE.get(panel.plugin_kind) != "scalar" or "scalar" in panel.query_kinds:
        return  # a query saved as `scalar` without reduceTo is refused by the server already
    for query in panel.queries:
        if query.type != "builder_query" or query.signal != "metrics":
            continue
        for i, agg in enumerate(query.spec.aggregations or []):
            if agg is not None and not agg.reduceTo:
                yield Problem(
                    "reduce-to",
                    join(join(join(query.path, "aggregations"), i), "reduceTo"),
                    f"{query.where}: the UI runs a {_kind(panel)} as a scalar query, which needs reduceTo on a metrics "
                    f"aggregation, so the panel fails when viewed; set reduceTo to one of {', '.join(REDUCE_TO)}",
                )


def variable_comparisons(query: QueryAt, flt: Filter, variables: list[VariableAt]) -> Iterator[Problem]:
    """`key = $var` (or any operator but IN) with a multi-select variable. SigNoz skips `key IN $var`
    when a dynamic variable is set to ALL; every other operator compares with the literal `__all__`
    (`=` then matches nothing), and with several values selected uses only the first
    (querybuilder/where_clause_visitor.go)."""
    by_name = {v.name: v for v in variables if v.name}
    path = query.filter[1] if query.filter else join(query.path, "filter")
    for cmp in flt.comparisons():
        if cmp.op == "IN":
            continue
        for value in cmp.values:
            variable = by_name.get(value.variable or "")
            if variable is None or not variable.multiple:
                continue
            op = f"{'NOT ' if cmp.negated else ''}{cmp.op}"
            excludes = cmp.negated or cmp.op == "!="  # under ALL these keep everything: not empty, just odd
            if variable.sends_all_sentinel and not excludes:
                yield Problem(
                    "variable-all",
                    path,
                    f"{query.where}: `{cmp.key.text} {op} ${variable.name}` compares with the text '__all__' when "
                    f"${variable.name} is set to ALL, so the panel shows nothing; write `{cmp.key.text} IN ${variable.name}`, "
                    "which SigNoz drops under ALL",
                )
            else:
                yield Problem(
                    "variable-first-value",
                    path,
                    f"{query.where}: `{cmp.key.text} {op} ${variable.name}` uses only the first of the values selected "
                    f"in ${variable.name}; write `{cmp.key.text} IN ${variable.name}`",
                )


def unmatched_columns(panel: PanelAt) -> Iterator[Problem]:
    """Table `columnUnits` keys and threshold `columnName`s that name no column. The UI keys builder
    and formula columns by query name (`A`, `F1`), a logs/traces query with several aggregations
    also by `A.<expression>`, and ClickHouse SQL columns by their SQL name (getColumnUnit.ts,
    prepareScalarTables.ts)."""
    if panel.plugin_kind != "signoz/TablePanel":
        return
    matches = _column_matcher(panel)
    if matches is None:
        return
    column_units = getattr(panel.formatting, "columnUnits", None) or {}
    named: list[tuple[str, str]] = [  # a key without a unit changes nothing either way (v1 exports carry {"A": ""})
        (key, join(join(join(panel.plugin_path, "formatting"), "columnUnits"), key))
        for key, unit in column_units.items()
        if unit not in ("", "none", None)
    ]
    for i, threshold in enumerate(getattr(panel.plugin_spec, "thresholds", None) or []):
        name = getattr(threshold, "columnName", "")
        if name:
            named.append((name, join(join(join(panel.plugin_path, "thresholds"), i), "columnName")))
    sql = any(q.type == "clickhouse_sql" for q in panel.queries)
    how = (
        "by the column names its SQL returns"
        if sql
        else "by query name (A, F1; A.<expression> for a query with several aggregations)"
    )
    for key, path in named:
        if not matches(key):
            yield Problem(
                "column-key", path, f"{panel.label}: {key!r} names no column of this table, so the UI ignores it; the UI keys columns {how}"
            )


def _column_matcher(panel: PanelAt) -> Callable[[str], bool] | None:
    """A test for "this key names a column of the table", or None when the columns are unknown."""
    names: set[str] = set()
    sql: list[str] = []
    for query in panel.queries:
        if query.type == "clickhouse_sql":
            sql.append(query.text)
            continue
        if query.type not in BUILDER_TYPES:
            return None
        names.add(query.name)
        names.update(g.name for g in query.keys("groupBy") if g is not None)
        aggregations = getattr(query.spec, "aggregations", None) or []
        if len(aggregations) > 1:
            if query.signal == "metrics":
                return None  # not documented: accept anything rather than guess
            for agg in aggregations:
                names.update(f"{query.name}.{getattr(agg, k)}" for k in ("expression", "alias") if getattr(agg, k, ""))

    def matches(key: str) -> bool:
        # SQL columns: any name the SQL writes (an alias, a column); reading SQL fully is not worth it.
        return key in names or any(re.search(rf"(?<![\w.]){re.escape(key)}(?![\w(])", text) for text in sql)

    return matches


def hidden_links(panel: PanelAt) -> Iterator[Problem]:
    links = [i for i, link in enumerate(panel.links) if link is not None and link.url.strip()]
    if not links:
        return
    if panel.plugin_kind not in DRILLDOWN_PANELS:
        why = f"which a {_kind(panel)} does not have"
    elif not panel.queries or any(q.type not in BUILDER_TYPES for q in panel.queries):
        runs = {"clickhouse_sql": "ClickHouse SQL", "promql": "PromQL"}.get(panel.queries[0].type if panel.queries else "", "")
        why = f"which only a query-builder query gets ({'this panel runs ' + runs if runs else 'this panel has none'})"
    else:
        return
    yield Problem(
        "link-hidden",
        join(panel.path, "links"),
        f"{panel.label}: the UI shows panel links only in the drilldown menu, {why}, so the link never appears",
    )


def _kind(panel: PanelAt) -> str:
    return panel.plugin_kind.removeprefix("signoz/").removesuffix("Panel") + " panel"


def problems(body: dict[str, Any] | Dashboard) -> list[Problem]:
    """Every UI problem of a dashboard body (or of one already parsed), in panel order."""
    reading = read_dashboard(body)
    variables = reading.variables
    found: list[Problem] = []
    for panel in reading.panels:
        found += dropped_queries(panel)
        found += missing_reduce_to(panel)
        found += unmatched_columns(panel)
        found += hidden_links(panel)
        for query in panel.queries:
            if query.filter:
                try:
                    flt = parse_filter(query.filter[0])
                except FilterSyntaxError:
                    continue  # not a UI matter; lint's filter-syntax reports it
                found += variable_comparisons(query, flt, variables)
    return found
