"""SigNoz's trace storage in an embedded ClickHouse (chDB), and SigNoz's ClickHouse variable substitution.

Shared by the tests (real SQL panels against captured spans) and the benchmarks (millions of
synthetic spans generated inside ClickHouse). chDB is imported lazily: it is only in the `test` extra.

Schema (reference/signoz-contract.md §5.1, §5.2; SigNoz's `traces_migrations.go`):
- `signoz_traces.signoz_index_v3`: MergeTree, PARTITION BY toDate(timestamp), ORDER BY
  (ts_bucket_start, resource_fingerprint, has_error, name, timestamp); SigNoz's columns, typed
  attribute maps, `resources_string`, the JSON columns `attributes`, `resource` and `scope` (chDB
  supports the JSON type), the materialized `resource_string_service$$name` (DEFAULT from
  `resources_string`) and its siblings, and the camelCase ALIAS columns (`traceID`, `serviceName`,
  `durationNano`, `hasError`, ...).
- `signoz_traces.traces_v3_resource`: ReplacingMergeTree of (labels JSON text, fingerprint,
  seen_at_ts_bucket_start).
- `distributed_signoz_index_v3` / `distributed_traces_v3_resource`: in SigNoz these are Distributed
  tables. chDB has no cluster (`system.clusters` is empty and there is no server port for a
  `remote()` shard), so they are `Merge` tables over the local table, with the same name and
  columns. Queries read them exactly as they read SigNoz's, `GLOBAL IN` included.
- Left out on purpose: the TTL (15 days in SigNoz; it would drop the old conversations the tests
  place outside the time range), the skip indexes other than a few representative ones, and the
  per-key `_exists` columns of promoted attributes, which our panels don't read.

Loading maps each span the way SigNoz's ClickHouse exporter does: `timestamp` = span start,
`ts_bucket_start` = start rounded down to 30 minutes (epoch seconds), `duration_nano` = end − start,
int/float attributes → `attributes_number`, bool → `attributes_bool`, str and lists (as JSON text)
→ `attributes_string`, every resource attribute → `resources_string` (as text), `has_error` =
status ERROR, `kind`/`status_code` as OTLP integers with `kind_string`/`status_code_string` as the
collector's names ("Internal", "Error"), events as JSON strings. `resource_fingerprint` is a stable
hash of the resource labels (SigNoz uses its own fingerprint function; only equality matters).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

BUCKET_SECONDS = 1800  # SigNoz's writer: 30-minute ts_bucket_start buckets

_KIND = {"UNSPECIFIED": (0, "Unspecified"), "INTERNAL": (1, "Internal"), "SERVER": (2, "Server"),
         "CLIENT": (3, "Client"), "PRODUCER": (4, "Producer"), "CONSUMER": (5, "Consumer")}
_STATUS = {"UNSET": (0, "Unset"), "OK": (1, "Ok"), "ERROR": (2, "Error")}

# Materialized columns SigNoz keeps for hot keys: (column, map, key).
_MATERIALIZED = (
    ("resource_string_service$$name", "resources_string", "service.name"),
    ("attribute_string_http$$route", "attributes_string", "http.route"),
    ("attribute_string_messaging$$system", "attributes_string", "messaging.system"),
    ("attribute_string_messaging$$operation", "attributes_string", "messaging.operation"),
    ("attribute_string_db$$system", "attributes_string", "db.system"),
    ("attribute_string_rpc$$system", "attributes_string", "rpc.system"),
    ("attribute_string_rpc$$service", "attributes_string", "rpc.service"),
    ("attribute_string_rpc$$method", "attributes_string", "rpc.method"),
    ("attribute_string_peer$$service", "attributes_string", "peer.service"),
)
_ALIASES = (
    ("traceID", "trace_id"), ("spanID", "span_id"), ("parentSpanID", "parent_span_id"),
    ("spanKind", "kind_string"), ("durationNano", "duration_nano"), ("statusCode", "status_code"),
    ("statusMessage", "status_message"), ("statusCodeString", "status_code_string"),
    ("references", "links"), ("responseStatusCode", "response_status_code"),
    ("externalHttpUrl", "external_http_url"), ("httpUrl", "http_url"),
    ("externalHttpMethod", "external_http_method"), ("httpMethod", "http_method"),
    ("httpHost", "http_host"), ("dbName", "db_name"), ("dbOperation", "db_operation"),
    ("hasError", "has_error"), ("isRemote", "is_remote"),
    ("serviceName", "`resource_string_service$$name`"), ("httpRoute", "`attribute_string_http$$route`"),
    ("msgSystem", "`attribute_string_messaging$$system`"),
    ("msgOperation", "`attribute_string_messaging$$operation`"),
    ("dbSystem", "`attribute_string_db$$system`"), ("rpcSystem", "`attribute_string_rpc$$system`"),
    ("rpcService", "`attribute_string_rpc$$service`"), ("rpcMethod", "`attribute_string_rpc$$method`"),
    ("peerService", "`attribute_string_peer$$service`"),
)
_LOW_CARDINALITY = ("response_status_code", "external_http_url", "http_url", "external_http_method",
                    "http_method", "http_host", "db_name", "db_operation", "is_remote")


def _index_v3_ddl() -> str:
    materialized = ",\n".join(
        f"    `{col}` LowCardinality(String) DEFAULT {m}['{key}'] CODEC(ZSTD(1)),\n"
        f"    `{col}_exists` Bool DEFAULT if(mapContains({m}, '{key}') != 0, true, false) CODEC(ZSTD(1))"
        for col, m, key in _MATERIALIZED
    )
    low_card = ",\n".join(f"    {c} LowCardinality(String) CODEC(ZSTD(1))" for c in _LOW_CARDINALITY)
    aliases = ",\n".join(f"    {alias} ALIAS {target}" for alias, target in _ALIASES)
    return f"""
CREATE TABLE signoz_traces.signoz_index_v3 (
    ts_bucket_start UInt64 CODEC(DoubleDelta, LZ4),
    resource_fingerprint String CODEC(ZSTD(1)),
    timestamp DateTime64(9) CODEC(DoubleDelta, LZ4),
    trace_id FixedString(32) CODEC(ZSTD(1)),
    span_id String CODEC(ZSTD(1)),
    trace_state String CODEC(ZSTD(1)),
    parent_span_id String CODEC(ZSTD(1)),
    flags UInt32 CODEC(T64, ZSTD(1)),
    name LowCardinality(String) CODEC(ZSTD(1)),
    kind Int8 CODEC(T64, ZSTD(1)),
    kind_string String CODEC(ZSTD(1)),
    duration_nano UInt64 CODEC(T64, ZSTD(1)),
    status_code Int16 CODEC(T64, ZSTD(1)),
    status_message String CODEC(ZSTD(1)),
    status_code_string String CODEC(ZSTD(1)),
    attributes_string Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes_number Map(LowCardinality(String), Float64) CODEC(ZSTD(1)),
    attributes_bool Map(LowCardinality(String), Bool) CODEC(ZSTD(1)),
    attributes JSON(max_dynamic_paths = 0),
    resources_string Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    resource JSON(max_dynamic_paths = 100),
    scope JSON(name String, version String, attributes JSON),
    events Array(String) CODEC(ZSTD(2)),
    links String CODEC(ZSTD(1)),
{low_card},
    has_error Bool CODEC(T64, ZSTD(1)),
{materialized},
    inserted_at DateTime64(3) DEFAULT now64(3) CODEC(ZSTD(1)),
    created_at DateTime64(3) DEFAULT now64(3) CODEC(ZSTD(1)),
{aliases},
    INDEX idx_trace_id trace_id TYPE tokenbf_v1(10000, 5, 0) GRANULARITY 1,
    INDEX idx_duration duration_nano TYPE minmax GRANULARITY 1,
    INDEX idx_name name TYPE ngrambf_v1(4, 5000, 2, 0) GRANULARITY 1
) ENGINE = MergeTree
PARTITION BY toDate(timestamp)
ORDER BY (ts_bucket_start, resource_fingerprint, has_error, name, timestamp)
SETTINGS index_granularity = 8192
"""


_RESOURCE_DDL = """
CREATE TABLE signoz_traces.traces_v3_resource (
    labels String CODEC(ZSTD(5)),
    fingerprint String CODEC(ZSTD(1)),
    seen_at_ts_bucket_start Int64 CODEC(Delta(8), ZSTD(1)),
    INDEX idx_labels lower(labels) TYPE ngrambf_v1(4, 1024, 3, 0) GRANULARITY 1
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(seen_at_ts_bucket_start)
ORDER BY (labels, fingerprint, seen_at_ts_bucket_start)
"""

# Stand-ins for SigNoz's Distributed tables (see the module docstring).
_DISTRIBUTED_DDL = (
    "CREATE TABLE signoz_traces.distributed_signoz_index_v3 AS signoz_traces.signoz_index_v3 "
    "ENGINE = Merge('signoz_traces', '^signoz_index_v3$')",
    "CREATE TABLE signoz_traces.distributed_traces_v3_resource AS signoz_traces.traces_v3_resource "
    "ENGINE = Merge('signoz_traces', '^traces_v3_resource$')",
)

def schema_statements() -> list[str]:
    """The DDL, in order: database, local tables, and their `distributed_*` stand-ins."""
    return ["CREATE DATABASE IF NOT EXISTS signoz_traces", _index_v3_ddl(), _RESOURCE_DDL, *_DISTRIBUTED_DDL]


# How a span row travels to ClickHouse: JSON text, converted by an INSERT ... SELECT.
_ROW_STRUCTURE = (
    "ts_bucket_start UInt64, resource_fingerprint String, timestamp_ns Int64, trace_id String, "
    "span_id String, parent_span_id String, name String, kind Int8, kind_string String, "
    "duration_nano UInt64, status_code Int16, status_message String, status_code_string String, "
    "attributes_string Map(String, String), attributes_number Map(String, Float64), "
    "attributes_bool Map(String, Bool), attributes String, resources_string Map(String, String), "
    "resource String, scope String, events Array(String), has_error Bool"
)
_MAX_BATCH_BYTES = 200_000
_INSERT_SPANS = """
INSERT INTO signoz_traces.signoz_index_v3 (ts_bucket_start, resource_fingerprint, timestamp,
    trace_id, span_id, trace_state, parent_span_id, flags, name, kind, kind_string, duration_nano,
    status_code, status_message, status_code_string, attributes_string, attributes_number,
    attributes_bool, attributes, resources_string, resource, scope, events, links, has_error)
SELECT ts_bucket_start, resource_fingerprint, fromUnixTimestamp64Nano(timestamp_ns), trace_id,
    span_id, '', parent_span_id, 0, name, kind, kind_string, duration_nano, status_code,
    status_message, status_code_string, attributes_string, attributes_number, attributes_bool,
    attributes, resources_string, resource, scope, events, '[]', has_error
FROM format(JSONEachRow, '{structure}', $signoz_rows${rows}$signoz_rows$)
"""


# The same mapping as `span_row`, done by ClickHouse while it reads a file of normalised spans, one
# JSON object per line (gzip allowed): millions of spans load in seconds, with no Python per span.
# Nested objects arrive as JSON text; a value's JSON type picks its attribute map, as in span_row.
_FILE_STRUCTURE = (
    "trace_id String, span_id String, parent_span_id String, name String, kind String, status_code String, "
    "status_message String, start_ns Int64, end_ns Int64, attributes String, resource String, scope String, "
    "events String"
)
_NUMBER_TYPES = "('Int64', 'UInt64', 'Double')"
# A JSON value as span_row's `_text` writes it: a string as itself, anything else as compact JSON.
_AS_TEXT = "if({t} = 'String', JSONExtractString({v}), JSONExtractRaw(concat('{{\"v\":', {v}, '}}'), 'v'))"
_KINDS_SQL = "['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']"
_KIND_NAMES_SQL = "['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer']"
_INSERT_FILE = """
INSERT INTO signoz_traces.signoz_index_v3 (ts_bucket_start, resource_fingerprint, timestamp, trace_id, span_id,
    trace_state, parent_span_id, flags, name, kind, kind_string, duration_nano, status_code, status_message,
    status_code_string, attributes_string, attributes_number, attributes_bool, resources_string, events, links,
    has_error{json_columns})
SELECT
    toUInt64(intDiv(intDiv(start, 1000000000), {bucket}) * {bucket}), toString(cityHash64(labels)),
    fromUnixTimestamp64Nano(start), trace_id, span_id, '', parent_span_id, 0, name,
    transform(kind_key, {kinds}, [0, 1, 2, 3, 4, 5], 1), transform(kind_key, {kinds}, {kind_names}, 'Internal'),
    toUInt64(greatest(0, end - start)),
    transform(status_key, ['UNSET', 'OK', 'ERROR'], [0, 1, 2], 0),
    status_message, transform(status_key, ['UNSET', 'OK', 'ERROR'], ['Unset', 'Ok', 'Error'], 'Unset'),
    mapFromArrays(arrayMap(kv -> kv.1, text_kv), arrayMap(kv -> {as_text}, text_kv)),
    mapFromArrays(arrayMap(kv -> kv.1, number_kv), arrayMap(kv -> JSONExtractFloat(kv.2), number_kv)),
    mapFromArrays(arrayMap(kv -> kv.1, bool_kv), arrayMap(kv -> kv.2 = 'true', bool_kv)),
    resources,
    arrayMap(e -> concat('{{"name":', toJSONString(JSONExtractString(e, 'name')),
                         ',"timeUnixNano":', toString(JSONExtractInt(e, 'time_ns') + {shift}),
                         ',"attributeMap":', toJSONString(mapFromArrays(
                             arrayMap(kv -> kv.1, JSONExtractKeysAndValuesRaw(e, 'attributes')),
                             arrayMap(kv -> {raw_as_text}, JSONExtractKeysAndValuesRaw(e, 'attributes')))),
                         ',"isError":', if(JSONExtractString(e, 'name') = 'exception', 'true', 'false'), '}}'),
             JSONExtractArrayRaw(if(events = '', '[]', events))),
    '[]', status_key = 'ERROR'{json_values}
FROM (
    SELECT *,
        start_ns + {shift} AS start, end_ns + {shift} AS end,
        replaceOne(kind, 'SPAN_KIND_', '') AS kind_key, replaceOne(status_code, 'STATUS_CODE_', '') AS status_key,
        arrayMap(kv -> (kv.1, kv.2, JSONType(kv.2)), JSONExtractKeysAndValuesRaw(attributes)) AS kvs,
        arrayFilter(kv -> kv.3 IN {numbers}, kvs) AS number_kv,
        arrayFilter(kv -> kv.3 = 'Bool', kvs) AS bool_kv,
        arrayFilter(kv -> kv.3 NOT IN {numbers} AND kv.3 != 'Bool', kvs) AS text_kv,
        mapFromArrays(arrayMap(kv -> kv.1, JSONExtractKeysAndValuesRaw(resource)),
                      arrayMap(kv -> {raw_as_text}, JSONExtractKeysAndValuesRaw(resource))) AS resources,
        toJSONString(mapSort(resources)) AS labels
    FROM file({path}, 'JSONEachRow', '{structure}')
)
SETTINGS output_format_json_escape_forward_slashes = 0, input_format_skip_unknown_fields = 1, max_insert_threads = 2
"""
# The JSON-typed copies of attributes, resource and scope: the costliest part of a load (parsing
# into JSON columns), and read only by SQL that names them.
_FILE_JSON_COLUMNS = ", attributes, resource, scope"
_FILE_JSON_VALUES = """,
    if(attributes = '', '{}', attributes), if(resource = '', '{}', resource),
    concat('{"name":', toJSONString(JSONExtractString(scope, 'name')), ',"version":',
           toJSONString(JSONExtractString(scope, 'version')), ',"attributes":{}}')"""
_INSERT_FILE_RESOURCES = """
INSERT INTO signoz_traces.traces_v3_resource (labels, fingerprint, seen_at_ts_bucket_start)
SELECT DISTINCT toJSONString(mapSort(resources_string)), resource_fingerprint, ts_bucket_start
FROM signoz_traces.signoz_index_v3 WHERE (resource_fingerprint, ts_bucket_start) NOT IN (
    SELECT fingerprint, seen_at_ts_bucket_start FROM signoz_traces.traces_v3_resource)
SETTINGS output_format_json_escape_forward_slashes = 0
"""


def _enum_suffix(value: str, prefix: str) -> str:
    return value[len(prefix):] if value.startswith(prefix) else value


def _text(value: Any) -> str:
    """How SigNoz's exporter writes a non-numeric attribute value as a string (lists as JSON)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)  # UTF-8 kept, as Go's encoding/json does


_SESSION: Any = None


def _session() -> Any:
    """The process's chDB session, on a temporary directory removed at exit."""
    global _SESSION
    if _SESSION is None:
        try:
            from chdb import session as chdb_session
        except ImportError as e:  # pragma: no cover - the test extra always has it
            raise RuntimeError("TraceStore needs chdb: pip install 'signoz-dac[test]'") from e
        path = tempfile.mkdtemp(prefix="signoz-dac-traces-")
        _SESSION = chdb_session.Session(path)
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return _SESSION


def fingerprint(resource: Mapping[str, Any]) -> str:
    labels = json.dumps(dict(sorted(resource.items())), separators=(",", ":"))
    return str(int.from_bytes(hashlib.sha256(labels.encode()).digest()[:8], "big"))


def span_row(span: Mapping[str, Any], shift_ns: int = 0) -> dict[str, Any]:
    """One normalised span (tests/telemetry/capture format) as a signoz_index_v3 row."""
    start = int(span["start_ns"]) + shift_ns
    end = int(span["end_ns"]) + shift_ns
    kind, kind_string = _KIND[_enum_suffix(span.get("kind", "SPAN_KIND_INTERNAL"), "SPAN_KIND_")]
    status, status_string = _STATUS[_enum_suffix(span.get("status_code", "STATUS_CODE_UNSET"), "STATUS_CODE_")]
    strings, numbers, bools = {}, {}, {}
    for key, value in span.get("attributes", {}).items():
        if isinstance(value, bool):
            bools[key] = value
        elif isinstance(value, (int, float)):
            numbers[key] = float(value)
        else:
            strings[key] = _text(value)
    resource = dict(span.get("resource", {}))
    scope = span.get("scope") or {}
    events = [
        json.dumps(
            {
                "name": e["name"],
                "timeUnixNano": int(e.get("time_ns", 0)) + shift_ns,
                "attributeMap": {k: _text(v) for k, v in e.get("attributes", {}).items()},
                "isError": e["name"] == "exception",
            },
            separators=(",", ":"),
        )
        for e in span.get("events", [])
    ]
    return {
        "ts_bucket_start": (start // 1_000_000_000) // BUCKET_SECONDS * BUCKET_SECONDS,
        "resource_fingerprint": fingerprint(resource),
        "timestamp_ns": start,
        "trace_id": span["trace_id"],
        "span_id": span["span_id"],
        "parent_span_id": span.get("parent_span_id") or "",
        "name": span["name"],
        "kind": kind,
        "kind_string": kind_string,
        "duration_nano": max(0, end - start),
        "status_code": status,
        "status_message": span.get("status_message", ""),
        "status_code_string": status_string,
        "attributes_string": strings,
        "attributes_number": numbers,
        "attributes_bool": bools,
        "attributes": json.dumps(span.get("attributes", {})),
        "resources_string": {k: _text(v) for k, v in resource.items()},
        "resource": json.dumps(resource),
        "scope": json.dumps({"name": scope.get("name", ""), "version": scope.get("version", ""), "attributes": {}}),
        "events": events,
        "has_error": status_string == "Error",
    }


class TraceStore:
    """SigNoz's trace tables, freshly created, in the process's chDB session.

    `load(spans, shift_ns)` inserts normalised spans, shifted in time; `query(sql)` returns rows as
    dicts; `execute(sql)` runs a statement (e.g. a benchmark's INSERT ... SELECT FROM numbers()).
    chDB runs one embedded server per process, on one data directory, and SigNoz's queries name
    the database `signoz_traces`; so a process holds one store at a time: creating it drops and
    recreates `signoz_traces`, `close()` (or leaving the `with` block) drops it.
    """

    _open: TraceStore | None = None

    def __init__(self) -> None:
        if TraceStore._open is not None:
            raise RuntimeError("one TraceStore at a time per process (chDB has one embedded server); close the other")
        self._session = _session()
        TraceStore._open = self
        self.execute("DROP DATABASE IF EXISTS signoz_traces SYNC")
        for statement in schema_statements():
            self.execute(statement)

    def execute(self, sql: str) -> None:
        self._session.query(sql, "CSV")

    def query(self, sql: str) -> list[dict[str, Any]]:
        result = self._session.query(sql, "JSONEachRow")
        text = result.bytes().decode() if hasattr(result, "bytes") else str(result)
        return [json.loads(line) for line in text.splitlines() if line.strip()]

    def query_table(self, sql: str) -> tuple[list[tuple[str, str]], list[list[Any]]]:
        """Rows with their column names and ClickHouse types: ([(name, type)], [[value, ...]])."""
        result = self._session.query(sql, "JSONCompact")
        text = result.bytes().decode() if hasattr(result, "bytes") else str(result)
        if not text.strip():
            return [], []
        data = json.loads(text)
        return [(c["name"], c["type"]) for c in data["meta"]], data["data"]

    def load(self, spans: Iterable[Mapping[str, Any]], shift_ns: int = 0) -> int:
        """Insert spans (moved by `shift_ns`) and their resources; returns the number of spans."""
        rows = [span_row(s, shift_ns) for s in spans]
        if not rows:
            return 0
        # Inline data counts toward ClickHouse's max_query_size (256 KiB): insert in batches.
        batch: list[str] = []
        size = 0
        for row in rows:
            line = json.dumps(row, separators=(",", ":"))
            if batch and size + len(line) > _MAX_BATCH_BYTES:
                self.execute(_INSERT_SPANS.format(structure=_ROW_STRUCTURE, rows="\n".join(batch)))
                batch, size = [], 0
            batch.append(line)
            size += len(line) + 1
        self.execute(_INSERT_SPANS.format(structure=_ROW_STRUCTURE, rows="\n".join(batch)))
        # One traces_v3_resource row per (resource, bucket), as SigNoz's writer records them.
        seen: dict[tuple[str, str, int], None] = {}
        for row in rows:
            labels = json.dumps(row["resources_string"], separators=(",", ":"), sort_keys=True)
            seen[(labels, row["resource_fingerprint"], row["ts_bucket_start"])] = None
        values = ",".join(
            f"({_sql_string(labels)}, {_sql_string(fp)}, {bucket})" for labels, fp, bucket in seen
        )
        self.execute(
            "INSERT INTO signoz_traces.traces_v3_resource (labels, fingerprint, seen_at_ts_bucket_start) "
            f"VALUES {values}"
        )
        return len(rows)

    def load_file(self, path: str, shift_ns: int = 0, json_columns: bool = True) -> int:
        """Insert the spans of a JSON-lines file of normalised spans (optionally gzip-compressed),
        mapped as `load` maps them, by ClickHouse itself; returns the number of spans. Without
        `json_columns` the JSON-typed `attributes`, `resource` and `scope` stay empty (the typed
        maps hold the same values): twice as fast, for when no query reads them."""
        before = self.query("SELECT count() AS n FROM signoz_traces.signoz_index_v3")[0]["n"]
        self.execute(_INSERT_FILE.format(
            path=_sql_string(str(path)), structure=_FILE_STRUCTURE, bucket=BUCKET_SECONDS, shift=int(shift_ns),
            kinds=_KINDS_SQL, kind_names=_KIND_NAMES_SQL, numbers=_NUMBER_TYPES,
            as_text=_AS_TEXT.format(t="kv.3", v="kv.2"), raw_as_text=_AS_TEXT.format(t="JSONType(kv.2)", v="kv.2"),
            json_columns=_FILE_JSON_COLUMNS if json_columns else "",
            json_values=_FILE_JSON_VALUES if json_columns else "",
        ))
        self.execute(_INSERT_FILE_RESOURCES)
        return int(self.query("SELECT count() AS n FROM signoz_traces.signoz_index_v3")[0]["n"]) - int(before)

    def close(self) -> None:
        if TraceStore._open is self:
            self.execute("DROP DATABASE IF EXISTS signoz_traces SYNC")
            TraceStore._open = None

    def __enter__(self) -> TraceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- SigNoz variable substitution


class GoTemplateError(ValueError):
    """The query is not a valid Go text/template after substitution: SigNoz answers 500
    "error while replacing template variables"."""


def _sql_string(value: str) -> str:
    # ClickHouse string literal: backslash and quote escaped with a backslash
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def format_value(value: Any) -> str:
    """A dashboard variable's value as SigNoz pastes it into ClickHouse SQL (§5.4)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return _sql_string(value)
    if isinstance(value, (list, tuple)):
        items = list(value)
        if items and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
            return ",".join(format_value(v) for v in items)  # numeric lists: bare, no brackets
        return "[" + ",".join(format_value(v) for v in items) + "]"
    raise TypeError(f"unsupported variable value {value!r}")


def reserved_variables(start_ms: int, end_ms: int) -> dict[str, str]:
    """SigNoz's reserved time variables for a panel's range, already in their pasted form."""
    start_ns, end_ns = int(start_ms) * 1_000_000, int(end_ms) * 1_000_000
    start_s, end_s = start_ns // 1_000_000_000, end_ns // 1_000_000_000
    return {
        "start_timestamp": str(start_s),
        "end_timestamp": str(end_s),
        "start_timestamp_ms": str(start_ns // 1_000_000),
        "end_timestamp_ms": str(end_ns // 1_000_000),
        "SIGNOZ_START_TIME": str(start_ns // 1_000_000),
        "SIGNOZ_END_TIME": str(end_ns // 1_000_000),
        "start_timestamp_nano": str(start_ns),
        "end_timestamp_nano": str(end_ns),
        "start_datetime": f"toDateTime({start_s})",  # literal text, not a quoted string
        "end_datetime": f"toDateTime({end_s})",
    }


_ACTION = re.compile(r"\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}", re.S)
_FIELD = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)$")


def _execute_template(text: str, data: Mapping[str, str]) -> str:
    """The part of Go text/template that SigNoz's SQL needs: `{{.name}}` fields (with `{{- -}}`
    trimming). A missing key prints "<no value>", like Go with a map; anything else in `{{ }}`,
    or a `{{` without its `}}`, is an error, as the server's template parse would be."""
    out, pos = [], 0
    for m in _ACTION.finditer(text):
        before = text[pos:m.start()]
        if "{{" in before:
            raise GoTemplateError("template: clickhouse-query: unexpected \"{{\" (unclosed action)")
        if m.group(1):
            before = before.rstrip()
        out.append(before)
        field = _FIELD.match(m.group(2))
        if not field:
            raise GoTemplateError(f"template: clickhouse-query: unsupported action {{{{{m.group(2)}}}}}")
        out.append(data.get(field.group(1), "<no value>"))
        pos = m.end()
        if m.group(3):
            while pos < len(text) and text[pos].isspace():
                pos += 1
    rest = text[pos:]
    if "{{" in rest:
        raise GoTemplateError("template: clickhouse-query: unclosed action")
    out.append(rest)
    return "".join(out)


def render_query(sql: str, variables: Mapping[str, Any], start_ms: int, end_ms: int) -> str:
    """Substitute variables into a ClickHouse SQL panel's query the way SigNoz's querier does.

    `variables` are the dashboard variables' selected values (a dynamic variable set to ALL is
    the string "__all__"); the reserved time variables come from `start_ms`/`end_ms`. Longest names
    first, `{{name}}`, `[[name]]` and `$name` are replaced by plain text; then the result runs as a
    Go template, so `{{.name}}` works and a stray `{{` raises GoTemplateError.
    """
    values = {name: format_value(v) for name, v in variables.items()}
    values.update(reserved_variables(start_ms, end_ms))
    for name in sorted(values, key=len, reverse=True):
        for pattern in ("{{%s}}", "[[%s]]", "$%s"):
            sql = sql.replace(pattern % name, values[name])
    return _execute_template(sql, values)


__all__ = [
    "BUCKET_SECONDS",
    "GoTemplateError",
    "TraceStore",
    "fingerprint",
    "format_value",
    "render_query",
    "reserved_variables",
    "schema_statements",
    "span_row",
]
