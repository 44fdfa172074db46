"""Panels → their numbers, from the spans in an Engine (rules.py does alert rules with the same queries).

The request type comes from the panel kind, as in SigNoz's UI (the saved `queries[].kind` is
ignored): TimeSeries, BarChart and Histogram ask for time series, Number, PieChart and Table for
scalars, List for raw rows. Only `queries[0]` runs. A top-level Formula or TraceOperator is dropped
by the UI. In a composite, disabled queries run (formulas read them) but are not shown.

What is shown:
- time series: one series per visible query and formula (per group, per aggregation);
- Number: the first value of the first visible query or formula that has one;
- PieChart: the first visible query or formula, a slice per group;
- Table: a row per group, a column per visible query/formula (a query with several
  aggregations gets `A.<expression>` columns, or their aliases);
- List: the spans, newest first.
ClickHouse SQL runs with SigNoz's variable substitution; its result is read as SigNoz reads it
(a DateTime column is the time, a numeric column the value, string columns the labels).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from signoz_dac.preview.engine import INSTALL_HINT, Engine
from signoz_dac.preview.errors import NotEvaluated, QueryFailed, Unsupported, no_numbers
from signoz_dac.preview.formula import evaluate_formula
from signoz_dac.preview.query import BuilderQuery, QueryOutcome, Rows, Series, TimeRange, recommended_step

PANEL_REQUEST = {
    "signoz/TimeSeriesPanel": "time_series", "signoz/BarChartPanel": "time_series",
    "signoz/HistogramPanel": "time_series", "signoz/NumberPanel": "scalar",
    "signoz/PieChartPanel": "scalar", "signoz/TablePanel": "scalar", "signoz/ListPanel": "raw",
}  # fmt: skip
_NUMERIC_TYPE = re.compile(r"^(?:Nullable\()?(?:U?Int\d+|Float\d+|Decimal)")
_VALUE_COLUMNS = ("value", "__result", "__value", "result", "res")


@dataclass
class Table:
    columns: list[str]  # the keys `columnUnits` and table thresholds name
    numeric: list[bool]
    rows: list[list[Any]]
    titles: list[str] = field(default_factory=list)  # the headers shown, when not the keys

    def title(self, i: int) -> str:
        return self.titles[i] if i < len(self.titles) and self.titles[i] else self.columns[i]


@dataclass
class PanelResult:
    key: str
    kind: str  # the panel plugin kind, e.g. signoz/NumberPanel
    request: str  # time_series | scalar | raw
    status: str = "ok"  # ok | not-evaluated | failed | no-engine
    reason: str = ""
    series: list[Series] = field(default_factory=list)  # visible series, each with .label
    table: Table | None = None
    step: int | None = None
    warnings: list[str] = field(default_factory=list)
    time_range: tuple[int, int] = (0, 0)  # the evaluated range, epoch seconds

    @property
    def value(self) -> float | None:
        """What a Number panel shows: the first value of the first series."""
        for series in self.series:
            for ts in sorted(series.points):
                return series.points[ts]
        if self.table:
            for row in self.table.rows:
                for cell, numeric in zip(row, self.table.numeric):
                    if numeric and cell is not None:
                        return float(cell)
        return None


def panel_query(panel: Mapping[str, Any]) -> Mapping[str, Any]:
    queries = panel.get("spec", {}).get("queries") or []
    if not queries:
        raise QueryFailed("the panel has no query")
    return queries[0].get("spec", {}).get("plugin") or {}


def evaluate_panel(key: str, panel: Mapping[str, Any], engine: Engine | None, variables: Mapping[str, Any],
                   rng: TimeRange) -> PanelResult:
    kind = panel.get("spec", {}).get("plugin", {}).get("kind", "")
    request = PANEL_REQUEST.get(kind, "time_series")
    result = PanelResult(key, kind, request, time_range=(rng.start_ms // 1000, rng.end_ms // 1000))
    try:
        plugin = panel_query(panel)
        envelopes = query_envelopes(plugin)
        if engine is None:
            result.status, result.reason = "no-engine", f"No numbers: the preview computes panels with chDB; {INSTALL_HINT}"
            return result
        panel_fields = panel.get("spec", {}).get("plugin", {}).get("spec", {}).get("selectFields")
        outcome = run_queries(envelopes, request, engine, variables, rng, panel_fields)
    except NotEvaluated as exc:
        result.status, result.reason = no_numbers(exc)
        return result
    result.series, result.table, result.step, result.warnings = outcome
    return result


def query_envelopes(plugin: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The panel's query as composite envelopes ({type, spec})."""
    kind, spec = plugin.get("kind"), plugin.get("spec") or {}
    if kind == "signoz/BuilderQuery":
        return [{"type": "builder_query", "spec": spec}]
    if kind == "signoz/CompositeQuery":
        return list(spec.get("queries") or [])
    if kind == "signoz/ClickHouseSQL":
        return [{"type": "clickhouse_sql", "spec": spec}]
    if kind == "signoz/PromQLQuery":
        raise Unsupported("PromQL is not computed locally: the preview reads spans, not metrics")
    if kind in ("signoz/Formula", "signoz/TraceOperator"):
        raise QueryFailed(f"SigNoz's UI drops a top-level {kind.split('/')[1]}: put it in a CompositeQuery")
    raise Unsupported(f"query kind {kind!r} is not evaluated locally")


def run_queries(envelopes: Sequence[Mapping[str, Any]], request: str, engine: Engine, variables: Mapping[str, Any],
                rng: TimeRange, panel_fields: Any = None) -> tuple[list[Series], Table | None, int | None, list[str]]:
    outcomes: dict[str, QueryOutcome] = {}
    shown: list[tuple[Mapping[str, Any], QueryOutcome]] = []
    warnings: list[str] = []
    formulas = []
    for envelope in envelopes:
        kind, spec = envelope.get("type"), envelope.get("spec") or {}
        if kind == "builder_formula":
            for unsupported in ("order", "limit", "having", "functions"):
                value = spec.get(unsupported)
                if value and (not isinstance(value, dict) or value.get("expression")):
                    raise Unsupported(f"a formula's {unsupported} is not evaluated locally")
            formulas.append(spec)
            continue
        if kind == "builder_query":
            outcome = BuilderQuery(spec, request, rng, engine.catalog, variables).run(engine.store, panel_fields)
        elif kind == "clickhouse_sql":
            outcome = sql_outcome(spec, request, engine, variables, rng)
        elif kind == "promql":
            raise Unsupported("PromQL is not computed locally: the preview reads spans, not metrics")
        else:
            raise Unsupported(f"{kind} queries are not evaluated locally")
        outcomes[outcome.name] = outcome
        warnings += [w for w in outcome.warnings if w not in warnings]
        if not spec.get("disabled"):
            shown.append((spec, outcome))
    for spec in formulas:
        computed = evaluate_formula(spec, outcomes)
        outcome = QueryOutcome(str(spec.get("name") or "F1"), series=computed, zero_default=[False])
        outcomes[outcome.name] = outcome
        if not spec.get("disabled"):
            shown.append((spec, outcome))
    step = next((o.step for o in outcomes.values() if o.step), None)
    if request == "raw":
        [(_, outcome)] = shown or [({}, QueryOutcome("A", rows=Rows([], [])))]
        rows = outcome.rows or Rows([], [])
        return [], Table(rows.columns, [False] * len(rows.columns), rows.rows), None, warnings
    visible: list[Series] = []
    for spec, outcome in shown:
        for series in outcome.series:
            series.label = series_label(series, str(spec.get("legend") or ""), len(shown) > 1)
            visible.append(series)
    table = None
    if request == "scalar":
        sql_tables = [o.rows for _, o in shown if o.rows is not None]
        table = _sql_table(sql_tables[0]) if sql_tables else scalar_table(shown)
    return visible, table, step if request == "time_series" else None, warnings


def series_label(series: Series, legend: str, several_queries: bool) -> str:
    """A series' name in the legend: the legend template with {{key}} filled, else its labels,
    else the query (or formula) name."""
    if legend:
        return re.sub(r"\{\{\s*\.?([^}]+?)\s*\}\}", lambda m: str(series.labels.get(m.group(1).strip(), "") or ""), legend)
    if series.labels:  # a span without the key is in the group of the missing value, shown empty
        return "{" + ", ".join(f'{k}="{"" if v is None else v}"' for k, v in series.labels.items()) + "}"
    return series.alias or (series.query if several_queries or not series.expression else series.expression)


def scalar_table(shown: list[tuple[Mapping[str, Any], QueryOutcome]]) -> Table:
    """Builder scalars as one table: a row per label set, a column per visible query/formula, headed
    by the query's legend when it has one (a query of one aggregation)."""
    label_names: list[str] = []
    value_columns: list[tuple[str, str, int]] = []  # (column, query, aggregation)
    titles: dict[str, str] = {}
    for spec, outcome in shown:
        aggs = spec.get("aggregations") or [{}]
        for i, agg in enumerate(aggs):
            name = agg.get("alias") or (outcome.name if len(aggs) == 1 else f"{outcome.name}.{agg.get('expression', i)}")
            value_columns.append((name, outcome.name, i))
            if len(aggs) == 1 and spec.get("legend") and "{{" not in str(spec["legend"]):
                titles[name] = str(spec["legend"])
        for series in outcome.series:
            label_names += [k for k in series.labels if k not in label_names]
    rows: dict[tuple, list[Any]] = {}
    for _spec, outcome in shown:
        for series in outcome.series:
            key = tuple(series.labels.get(n) for n in label_names)
            row = rows.setdefault(key, [*key, *([None] * len(value_columns))])
            for j, (_, query, agg) in enumerate(value_columns):
                if query == outcome.name and agg == series.aggregation:
                    row[len(label_names) + j] = series.points.get(0)
    columns = label_names + [c for c, _, _ in value_columns]
    return Table(columns, [False] * len(label_names) + [True] * len(value_columns), list(rows.values()),
                 [titles.get(c, "") for c in columns])


def _sql_table(rows: Rows) -> Table:
    numeric = [bool(_NUMERIC_TYPE.match(t)) for t in rows.types or [""] * len(rows.columns)]
    return Table(rows.columns, numeric, rows.rows)


def sql_outcome(spec: Mapping[str, Any], request: str, engine: Engine, variables: Mapping[str, Any],
                rng: TimeRange) -> QueryOutcome:
    """A ClickHouse SQL query's rows, read the way SigNoz's querier reads them."""
    name = str(spec.get("name") or "A")
    columns, data = engine.run_sql(str(spec.get("query") or ""), variables, rng)
    names = [c for c, _ in columns]
    types = [t for _, t in columns]
    numeric = [bool(_NUMERIC_TYPE.match(t)) for t in types]
    if request == "time_series":
        time_col = next((i for i, t in enumerate(types) if t.removeprefix("Nullable(").startswith(("DateTime", "Date"))), None)
        if time_col is None:
            raise QueryFailed("a time-series SQL query needs a DateTime column (the time)")
        value_cols = [i for i, n in enumerate(numeric) if n]
        if len(value_cols) != 1:
            value_cols = [i for i in value_cols if names[i] in _VALUE_COLUMNS or re.fullmatch(r"__result_\d+", names[i])]
        if not value_cols:
            raise QueryFailed("a time-series SQL query needs one numeric column, or one named value")
        label_cols = [i for i, n in enumerate(numeric) if not n and i != time_col]
        series: dict[tuple, Series] = {}
        for row in data:
            if row[time_col] is None or row[value_cols[0]] is None:
                continue
            labels = {names[i]: row[i] for i in label_cols}
            s = series.setdefault(tuple(labels.items()), Series(name, labels, {}))
            s.points[_epoch_seconds(row[time_col], types[time_col])] = float(row[value_cols[0]])
        return QueryOutcome(name, series=list(series.values()), zero_default=[False], step=recommended_step(rng))
    label_cols = [i for i, n in enumerate(numeric) if not n]
    value_col = next((i for i, n in enumerate(numeric) if n), None)
    series_list = []
    if value_col is not None:
        for row in data:
            if row[value_col] is not None:
                series_list.append(Series(name, {names[i]: row[i] for i in label_cols}, {0: float(row[value_col])}))
    return QueryOutcome(name, series=series_list, rows=Rows(names, data, types), zero_default=[False])


def _epoch_seconds(value: Any, column_type: str = "") -> int:
    """A DateTime cell as epoch seconds. ClickHouse writes it as wall-clock text in the column's time
    zone (`DateTime('Asia/Kolkata')`), else in the session's (UTC); SigNoz reads the instant."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    if isinstance(value, (int, float)):
        return int(value)
    stamp = datetime.fromisoformat(str(value))
    zone = re.search(r"'([^']+)'\)+$", column_type)
    return int(stamp.replace(tzinfo=stamp.tzinfo or (ZoneInfo(zone.group(1)) if zone else UTC)).timestamp())
