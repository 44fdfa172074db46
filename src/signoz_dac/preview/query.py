"""One v6 builder query on traces → ClickHouse SQL over SigNoz's trace table → series or rows.

What SigNoz's trace statement builder does, per request type (the panel kind decides it):

- time_series: one row per (step bucket, group): `toStartOfInterval(timestamp, step)`; the step is
  the query's `stepInterval`, raised to what keeps a series under 1500 points, or by default the
  range / 300 rounded down to a multiple of 5 s (at least 5 s). With a group-by and a `limit`, only
  the top `limit` groups over the whole range (by `order`, default the first aggregation,
  descending) are kept. `having` filters the bucket rows.
- scalar: one row per group over the whole range; `having`; `order` (default the first
  aggregation, descending); `limit`.
- raw (List panels): the matching spans, `order` (default newest first), `limit`, `offset`.

Time: spans whose start is in [start, end) (SigNoz's `timestamp` is the span start), and the
`ts_bucket_start` bounds SigNoz adds for the primary key. Filters: filters.py; aggregations:
aggregate.py; keys: fields.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.preview.aggregate import AggregationSQL, compile_aggregation
from signoz_dac.preview.errors import QueryFailed, Unsupported, clickhouse_message
from signoz_dac.preview.fields import Field, FieldCatalog, value_of
from signoz_dac.preview.filters import FilterCompiler
from signoz_dac.signoz.expressions import FilterSyntaxError, parse_filter

TABLE = "signoz_traces.distributed_signoz_index_v3"
BUCKET_SLACK_S = 1800  # ts_bucket_start is the span's 30-minute bucket
RECOMMENDED_POINTS = 300
MAX_POINTS = 1500
MIN_STEP_S = 5
DEFAULT_RAW_LIMIT = 100
# Columns a List panel of spans shows when it names none (SigNoz's default trace list columns).
DEFAULT_RAW_FIELDS = (
    {"name": "service.name", "fieldContext": "resource"},
    {"name": "name", "fieldContext": "span"},
    {"name": "duration_nano", "fieldContext": "span"},
)


@dataclass(frozen=True)
class TimeRange:
    """A dashboard time range, in epoch milliseconds, end exclusive for builder queries."""

    start_ms: int
    end_ms: int

    @property
    def start_ns(self) -> int:
        return self.start_ms * 1_000_000

    @property
    def end_ns(self) -> int:
        return self.end_ms * 1_000_000

    @property
    def seconds(self) -> float:
        return (self.end_ms - self.start_ms) / 1000


def recommended_step(rng: TimeRange) -> int:
    """SigNoz's default step: range / 300 points, rounded down to a multiple of 5 s, at least 5 s."""
    step = int(rng.seconds) // RECOMMENDED_POINTS
    return MIN_STEP_S if step < MIN_STEP_S else step - step % 5


def min_allowed_step(rng: TimeRange) -> int:
    """The smallest step SigNoz allows: at most 1500 points, in multiples of 5 s."""
    step = int(rng.seconds) // MAX_POINTS
    return MIN_STEP_S if step < MIN_STEP_S else step - step % 5 + 5


def step_seconds(spec: Mapping[str, Any], rng: TimeRange) -> int:
    """The bucket width of a time-series query (stepInterval: seconds, or a duration string)."""
    raw = spec.get("stepInterval")
    if raw in (None, "", 0):
        return recommended_step(rng)
    seconds = parse_duration(raw)
    return max(seconds, min_allowed_step(rng))


def parse_duration(raw: Any) -> int:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return int(raw)
    m = re.fullmatch(r"\s*(\d+)\s*(ms|s|m|h|d)?\s*", str(raw))
    if not m:
        raise QueryFailed(f"stepInterval {raw!r} is not a duration")
    n = int(m.group(1))
    return max(1, {"ms": n // 1000, "s": n, None: n, "m": n * 60, "h": n * 3600, "d": n * 86400}[m.group(2)])


def time_conditions(rng: TimeRange) -> list[str]:
    start_s, end_s = rng.start_ms // 1000, rng.end_ms // 1000
    return [
        f"timestamp >= fromUnixTimestamp64Nano(toInt64({rng.start_ns}))",
        f"timestamp < fromUnixTimestamp64Nano(toInt64({rng.end_ns}))",
        f"ts_bucket_start >= {start_s - BUCKET_SLACK_S}",
        f"ts_bucket_start <= {end_s}",
    ]


@dataclass
class Series:
    """One series of one query: its group labels and (bucket start in s → value); a scalar is {0: v}."""

    query: str
    labels: dict[str, str | None]
    points: dict[int, float]
    aggregation: int = 0
    expression: str = ""  # the aggregation (or formula) expression
    alias: str = ""
    label: str = ""  # its name in the legend, set by the panel evaluation


@dataclass
class Rows:
    columns: list[str]
    rows: list[list[Any]]
    types: list[str] = field(default_factory=list)  # ClickHouse types, for SQL results


@dataclass
class QueryOutcome:
    """What one builder query returned."""

    name: str
    series: list[Series] = field(default_factory=list)
    rows: Rows | None = None
    zero_default: list[bool] = field(default_factory=list)  # per aggregation
    step: int | None = None
    sql: str = ""
    warnings: list[str] = field(default_factory=list)


class BuilderQuery:
    """A traces builder query compiled for one request type, range and set of variable values."""

    def __init__(self, spec: Mapping[str, Any], request: str, rng: TimeRange, catalog: FieldCatalog,
                 variables: Mapping[str, Any]):
        self.spec = spec
        self.name = str(spec.get("name") or "A")
        self.request = request
        self.rng = rng
        self.catalog = catalog
        self.filters = FilterCompiler(catalog, variables)
        signal = spec.get("signal")
        if signal != "traces":
            what = {"logs": "Logs", "metrics": "Metrics"}.get(str(signal), f"The {signal!r} signal")
            raise Unsupported(f"{what} are not computed locally: the preview reads spans only")
        for unsupported in ("functions", "secondaryAggregations"):
            if spec.get(unsupported):
                raise Unsupported(f"{unsupported} are not evaluated locally")
        if (spec.get("limitBy") or {}).get("keys"):
            raise Unsupported("limitBy is not evaluated locally")
        if spec.get("source"):
            raise Unsupported(f"the {spec['source']!r} source is not evaluated locally")
        if spec.get("cursor"):
            raise Unsupported("cursor paging is not evaluated locally")
        self.step = step_seconds(spec, rng) if request == "time_series" else None
        self.where = self._where()

    # -- parts -----------------------------------------------------------------------------------

    def _where(self) -> str:
        text = ((self.spec.get("filter") or {}).get("expression") or "").strip()
        conditions = time_conditions(self.rng)
        if text:
            try:
                parsed = parse_filter(text)
            except FilterSyntaxError as exc:
                raise QueryFailed(f"filter: {exc.message} (column {exc.column})") from None
            compiled = self.filters.compile(parsed)
            if compiled:
                conditions.append(compiled)
        return " AND ".join(conditions)

    def _aggregations(self) -> list[AggregationSQL]:
        aggs = self.spec.get("aggregations") or []
        if not aggs:
            raise QueryFailed(f"query {self.name} has no aggregation")
        rate = float(self.step) if self.step else self.rng.seconds
        out = []
        for agg in aggs:
            expression = agg.get("expression")
            if not expression:
                raise Unsupported(f"query {self.name}: an aggregation without an expression (a metrics aggregation?)")
            out.append(compile_aggregation(expression, self.catalog, self.filters, rate))
        return out

    def _groups(self) -> list[tuple[str, str, str]]:
        """(alias, SQL, group-by name) per group-by key."""
        out = []
        for i, key in enumerate(self.spec.get("groupBy") or []):
            resolved = self.catalog.resolve_field_key(key)
            if resolved.warning and resolved.warning not in self.filters.warnings:
                self.filters.warnings.append(resolved.warning)
            out.append((f"__g{i}", f"toString({value_of(resolved.fields)})", str(key["name"])))
        return out

    def _aggregate_order(self, aggs: list[AggregationSQL], groups: list[tuple[str, str, str]]) -> list[str]:
        order = []
        for item in self.spec.get("order") or []:
            key = str((item.get("key") or {}).get("name") or "")
            direction = str(item.get("direction") or "asc").upper()
            if direction not in ("ASC", "DESC"):
                raise QueryFailed(f"order direction {direction!r} is not asc or desc")
            order.append(f"{self._order_target(key, aggs, groups)} {direction}")
        return order or ["__result_0 DESC"]

    def _order_target(self, key: str, aggs: list[AggregationSQL], groups: list[tuple[str, str, str]]) -> str:
        for alias, _, name in groups:
            if key == name or (key.split(".", 1)[-1] == name and key.split(".", 1)[0] in ("resource", "attribute", "tag")):
                return alias
        index = self._aggregation_index(key, aggs)
        if index is not None:
            return f"__result_{index}"
        raise QueryFailed(f"order key {key!r} is neither a group-by key nor an aggregation of query {self.name}")

    def _aggregation_index(self, key: str, aggs: list[AggregationSQL]) -> int | None:
        if key in ("__result", "__result_0", "__result0") and aggs:
            return 0
        m = re.fullmatch(r"__result_?(\d+)|(\d+)", key)
        if m:
            index = int(m.group(1) or m.group(2))
            return index if index < len(aggs) else None
        for i, (agg, spec) in enumerate(zip(aggs, self.spec.get("aggregations") or [])):
            if key == agg.expression or (spec.get("alias") and key == spec["alias"]):
                return i
        return None

    def _having(self, aggs: list[AggregationSQL]) -> str | None:
        text = ((self.spec.get("having") or {}).get("expression") or "").strip()
        if not text:
            return None
        references: dict[str, str] = {"__result": "__result_0"}
        for i, (agg, spec) in enumerate(zip(aggs, self.spec.get("aggregations") or [])):
            references[agg.expression] = f"__result_{i}"
            references[f"__result_{i}"] = references[f"__result{i}"] = f"__result_{i}"
            if spec.get("alias"):
                references[spec["alias"]] = f"__result_{i}"
        if len(aggs) == 1:
            references[self.name] = "__result_0"
        return rewrite_having(text, references)

    # -- SQL -------------------------------------------------------------------------------------

    def sql(self) -> tuple[str, list[AggregationSQL], list[tuple[str, str, str]]]:
        if self.request == "raw":
            return self._raw_sql(), [], []
        aggs = self._aggregations()
        groups = self._groups()
        having = self._having(aggs)
        order = self._aggregate_order(aggs, groups)
        select_groups = [f"{sql} AS {alias}" for alias, sql, _ in groups]
        select_aggs = [f"{a.sql} AS __result_{i}" for i, a in enumerate(aggs)]
        group_aliases = [alias for alias, _, _ in groups]
        if self.request == "scalar":
            sql = f"SELECT {', '.join(select_groups + select_aggs)} FROM {TABLE} WHERE {self.where}"
            if groups:
                sql += f" GROUP BY {', '.join(group_aliases)}"
            if having:
                sql += f" HAVING {having}"
            sql += f" ORDER BY {', '.join(order)}"
            limit = int(self.spec.get("limit") or 0)
            offset = int(self.spec.get("offset") or 0)
            if limit:
                sql += f" LIMIT {limit}"
            if offset:
                sql += f" OFFSET {offset}"
            return sql, aggs, groups
        ts = f"toInt64(toUnixTimestamp(toStartOfInterval(timestamp, INTERVAL {self.step} SECOND))) AS ts"
        where = self.where
        prefix = ""
        limit = int(self.spec.get("limit") or 0)
        if groups and limit:
            prefix = (
                f"WITH __limit_cte AS (SELECT {', '.join(select_groups + select_aggs)} FROM {TABLE} "
                f"WHERE {self.where} GROUP BY {', '.join(group_aliases)} ORDER BY {', '.join(order)} LIMIT {limit}) "
            )
            tuple_sql = f"({', '.join(sql for _, sql, _ in groups)})" if len(groups) > 1 else groups[0][1]
            where += f" AND {tuple_sql} GLOBAL IN (SELECT {', '.join(group_aliases)} FROM __limit_cte)"
        sql = (f"{prefix}SELECT {', '.join([ts] + select_groups + select_aggs)} FROM {TABLE} WHERE {where} "
               f"GROUP BY {', '.join(['ts'] + group_aliases)}")
        if having:
            sql += f" HAVING {having}"
        sql += f" ORDER BY {', '.join(group_aliases + ['ts'])}"
        return sql, aggs, groups

    def _raw_fields(self, panel_fields: list[Mapping[str, Any]] | None) -> list[tuple[str, list[Field]]]:
        chosen = list(self.spec.get("selectFields") or panel_fields or DEFAULT_RAW_FIELDS)
        out = []
        for key in chosen:
            resolved = self.catalog.resolve_field_key(key)
            out.append((str(key["name"]), list(resolved.fields)))
        return out

    def _raw_sql(self, panel_fields: list[Mapping[str, Any]] | None = None) -> str:
        columns = ["toUnixTimestamp64Nano(timestamp) AS __timestamp_ns"]
        for i, (_, fields) in enumerate(self._raw_fields(panel_fields)):
            columns.append(f"{value_of(fields)} AS __c{i}")
        order = []
        for item in self.spec.get("order") or [{"key": {"name": "timestamp"}, "direction": "desc"}]:
            key = dict(item.get("key") or {})
            direction = str(item.get("direction") or "asc").upper()
            first = self.catalog.resolve_field_key(key).fields[0]
            order.append(f"{first.value} {direction}")
        limit = int(self.spec.get("limit") or 0) or DEFAULT_RAW_LIMIT
        offset = int(self.spec.get("offset") or 0)
        return (f"SELECT {', '.join(columns)} FROM {TABLE} WHERE {self.where} ORDER BY {', '.join(order)} "
                f"LIMIT {limit}" + (f" OFFSET {offset}" if offset else ""))

    # -- run -------------------------------------------------------------------------------------

    def run(self, store: Any, panel_fields: list[Mapping[str, Any]] | None = None) -> QueryOutcome:
        if self.request == "raw":
            sql = self._raw_sql(panel_fields)
            names = [name for name, _ in self._raw_fields(panel_fields)]
            rows = _query(store, sql)
            table = Rows(["timestamp", *names], [[r["__timestamp_ns"], *(r[f"__c{i}"] for i in range(len(names)))] for r in rows])
            return QueryOutcome(self.name, rows=table, sql=sql, warnings=list(self.filters.warnings))
        sql, aggs, groups = self.sql()
        rows = _query(store, sql)
        specs = self.spec.get("aggregations") or []
        series: dict[tuple[int, tuple], Series] = {}
        for row in rows:
            labels = {name: row[alias] for alias, _, name in groups}
            ts = int(row["ts"]) if self.request == "time_series" else 0
            for i, agg in enumerate(aggs):
                value = row[f"__result_{i}"]
                if value is None:
                    continue
                key = (i, tuple(labels.items()))
                if key not in series:
                    series[key] = Series(self.name, labels, {}, i, agg.expression, specs[i].get("alias") or "")
                series[key].points[ts] = float(value)
        return QueryOutcome(
            self.name, series=list(series.values()), zero_default=[a.zero_default for a in aggs], step=self.step,
            sql=sql, warnings=list(self.filters.warnings),
        )


def _query(store: Any, sql: str) -> list[dict[str, Any]]:
    try:
        return store.query(sql)
    except Exception as exc:  # noqa: BLE001  chDB raises its own error classes with ClickHouse's message
        raise QueryFailed(f"ClickHouse: {clickhouse_message(exc)}") from None


_HAVING_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<op>>=|<=|!=|<>|==|=|<|>|\(|\))|(?P<kw>(?i:AND|OR|NOT)\b))")


def _continues(text: str, end: int, reference: str) -> bool:
    """Whether a name-like reference (`A`, an alias) is only the start of a longer word (`AND`)."""
    return reference[-1:].isalnum() and end < len(text) and (text[end].isalnum() or text[end] in "_.")


def rewrite_having(text: str, references: Mapping[str, str]) -> str:
    """A having expression with its aggregation references (expressions as written, aliases,
    `__result`, the query name) replaced by result columns; numbers, comparisons, AND/OR/NOT and
    parentheses pass through. Anything else is refused rather than guessed."""
    out: list[str] = []
    pos = 0
    refs = sorted(references, key=len, reverse=True)
    while pos < len(text):
        if not text[pos:].strip():
            break
        stripped = len(text) - len(text[pos:].lstrip())
        ref = next((r for r in refs if text.startswith(r, stripped) and not _continues(text, stripped + len(r), r)), None)
        if ref is not None:
            out.append(references[ref])
            pos = stripped + len(ref)
            continue
        m = _HAVING_TOKEN.match(text, pos)
        if not m:
            raise Unsupported(f"having {text!r}: cannot read {text[stripped:stripped + 20]!r}")
        token = m.group("num") or m.group("op") or m.group("kw").upper()
        out.append({"==": "=", "<>": "!="}.get(token, token))
        pos = m.end()
    return " ".join(out)
