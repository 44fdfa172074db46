"""ClickHouse SQL panels: time filters, template syntax, the ALL value, distributed tables.

SigNoz runs the SQL as written after substituting variables (querier/clickhouse_query.go), so nothing checks it
before someone opens the dashboard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.references import RESERVED, line_col, references, stray_braces, without_comments
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.reading import join

TIME_FILTER = check(
    "sql-time-filter", "error", "SQL reading spans or logs must filter `timestamp` with the dashboard's time variables."
)
BUCKET_FILTER = check(
    "sql-bucket-filter", "warning", "SQL reading spans or logs should also filter `ts_bucket_start`, the primary-key prefix."
)
TEMPLATE = check("sql-template", "error", "A `{{` in SQL that is not a `{{name}}`/`{{.name}}` variable breaks the whole query.")
ALL_VALUE = check(
    "sql-all-value",
    "error",
    "SQL using a dynamic variable that allows ALL must guard it: ('__all__' IN $var OR col IN $var).",
)
LOCAL_TABLE = check("sql-local-table", "warning", "SQL should read the distributed_* tables, not the per-shard local ones.")

# The tables whose partition key is the time and whose primary key starts with ts_bucket_start.
_TRACES_TABLE = re.compile(r"\b(?:distributed_)?signoz_index_v3\b", re.I)
_LOGS_TABLE = re.compile(r"\b(?:distributed_)?logs_v2\b", re.I)
_OP = r"(?:>=|<=|>|<|=|\bBETWEEN\b)"
_LOCAL = re.compile(r"\b(signoz_(?:traces|logs|metrics))\.(?!distributed_)([A-Za-z0-9_]+)")


def _predicate(column: str) -> re.Pattern[str]:
    # `timestamp >= x`, `timestamp BETWEEN`, `toDateTime(timestamp) >= x`, or `x <= timestamp`.
    return re.compile(rf"\b{column}\b\s*\)?\s*{_OP}|(?:>=|<=|>|<)\s*{column}\b", re.I)


_TIMESTAMP = _predicate("timestamp")
_BUCKET = _predicate("ts_bucket_start")


def _sql_texts(ctx: LintContext, *, as_written: bool = False) -> Iterator[tuple[str, str, str]]:
    """(sql, path, where) for every ClickHouse SQL query and every QueryVariable's SQL, with its
    comments blanked out (a commented-out time filter or ALL guard does not run), or `as_written`
    (Go's template step reads the comments too)."""
    code = (lambda sql: sql) if as_written else without_comments
    for query in ctx.queries:
        if query.type == "clickhouse_sql" and not query.disabled:
            yield code(query.text), join(query.path, "query"), query.where
    for var in ctx.variables:
        if var.plugin_kind == "signoz/QueryVariable":
            path = join(join(join(var.path, "plugin"), "spec"), "queryValue")
            yield code(var.sql), path, f"variable {var.name}"


_BUCKET_FIX = "ts_bucket_start BETWEEN $start_timestamp - 1800 AND $end_timestamp"


@finds(TIME_FILTER, BUCKET_FILTER)
def check_time_filter(ctx: LintContext) -> Iterator[Hit]:
    """Without a `timestamp` predicate on the time variables the panel counts the whole retention
    (a wrong number); without `ts_bucket_start` it is right but reads every granule (slow)."""
    for sql, path, where in _sql_texts(ctx):
        traces, logs = _TRACES_TABLE.search(sql), _LOGS_TABLE.search(sql)
        if not (traces or logs):
            continue
        has_timestamp, has_bucket = bool(_TIMESTAMP.search(sql)), bool(_BUCKET.search(sql))
        uses_time_vars = any(ref.name in RESERVED for ref in references(sql))
        if has_timestamp and uses_time_vars:
            if not has_bucket:
                yield Hit(
                    BUCKET_FILTER,
                    path,
                    f"{where}: the SQL filters timestamp but not ts_bucket_start, the table's primary-key prefix, "
                    f"so it reads every granule of the range; add `{_BUCKET_FIX}`",
                )
            continue
        if traces:
            fix = f"timestamp BETWEEN $start_datetime AND $end_datetime AND {_BUCKET_FIX}"
        else:
            fix = f"timestamp >= $start_timestamp_nano AND timestamp <= $end_timestamp_nano AND {_BUCKET_FIX}"
        problem = "has no timestamp predicate" if not has_timestamp else "does not use the dashboard's time variables"
        yield Hit(
            TIME_FILTER,
            path,
            f"{where}: the SQL {problem}, so it ignores the selected time range and counts the whole retention; add `{fix}`",
        )


@finds(TEMPLATE)
def check_template(ctx: LintContext) -> Iterator[Hit]:
    for sql, path, where in _sql_texts(ctx, as_written=True):
        for offset in stray_braces(sql):
            line, col = line_col(sql, offset)
            yield Hit(
                TEMPLATE,
                path,
                f"{where}: '{{{{' at line {line}, column {col} of the SQL is not a variable; SigNoz's template step "
                "fails on it and the panel errors. Use {{name}} or $name for variables, and build literal braces "
                "with concat('{', '{')",
            )


def _guarded(sql: str, name: str) -> bool:
    name = re.escape(name)
    ref = rf"(?:\${name}\b|\{{\{{\s*\.?{name}\s*\}}\}}|\[\[{name}\]\])"
    guards = (
        rf"'__all__'\s*(?:\bIN\b|==?)\s*\(?\s*{ref}",
        rf"{ref}\s*==?\s*'__all__'",
        rf"\bhas\s*\(\s*{ref}\s*,\s*'__all__'\s*\)",
    )
    return any(re.search(g, sql, re.I) for g in guards)


@finds(ALL_VALUE)
def check_all_value(ctx: LintContext) -> Iterator[Hit]:
    all_able = {v.name for v in ctx.variables if v.name and v.sends_all_sentinel}
    if not all_able:
        return
    for sql, path, where in _sql_texts(ctx):
        for name in sorted({r.name for r in references(sql, ctx.variable_names)} & all_able):
            if not _guarded(sql, name):
                yield Hit(
                    ALL_VALUE,
                    path,
                    f"{where}: ${name} is a dynamic variable that allows ALL, which reaches SQL as '__all__' and "
                    f"matches nothing; write ('__all__' IN ${name} OR <column> IN ${name}), or disable ALL on it",
                )


@finds(LOCAL_TABLE)
def check_local_tables(ctx: LintContext) -> Iterator[Hit]:
    for sql, path, where in _sql_texts(ctx):
        for m in _LOCAL.finditer(sql):
            yield Hit(
                LOCAL_TABLE,
                path,
                f"{where}: reads the local table {m.group(0)}, which holds one shard's data on a cluster; "
                f"read {m.group(1)}.distributed_{m.group(2)}",
            )
