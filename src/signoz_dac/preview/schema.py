"""SigNoz's trace tables, as ClickHouse DDL for chDB (SigNoz's `traces_migrations.go`).

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

How SigNoz's ClickHouse exporter fills a row from a span (both loaders in store.py and ingest.py
follow it): `timestamp` = span start, `ts_bucket_start` = start rounded down to 30 minutes (epoch
seconds), `duration_nano` = end − start, int/float attributes → `attributes_number`, bool →
`attributes_bool`, str and lists (as JSON text) → `attributes_string`, every resource attribute →
`resources_string` (as text), `has_error` = status ERROR, `kind`/`status_code` as OTLP integers with
`kind_string`/`status_code_string` as the collector's names ("Internal", "Error"), events as JSON
strings. `resource_fingerprint` is a stable hash of the resource labels (SigNoz uses its own
fingerprint function; only equality matters).
"""

from __future__ import annotations

BUCKET_SECONDS = 1800  # SigNoz's writer: 30-minute ts_bucket_start buckets
INDEX_TABLE = "signoz_traces.signoz_index_v3"
RESOURCE_TABLE = "signoz_traces.traces_v3_resource"

# OTLP enums in their protocol order: (name without prefix, the collector's display name).
KINDS = (("UNSPECIFIED", "Unspecified"), ("INTERNAL", "Internal"), ("SERVER", "Server"), ("CLIENT", "Client"),
         ("PRODUCER", "Producer"), ("CONSUMER", "Consumer"))  # fmt: skip
STATUSES = (("UNSET", "Unset"), ("OK", "Ok"), ("ERROR", "Error"))

# Materialized columns SigNoz keeps for hot keys: (column, map, key).
MATERIALIZED = (
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
        for col, m, key in MATERIALIZED
    )
    low_card = ",\n".join(f"    {c} LowCardinality(String) CODEC(ZSTD(1))" for c in _LOW_CARDINALITY)
    aliases = ",\n".join(f"    {alias} ALIAS {target}" for alias, target in _ALIASES)
    return f"""
CREATE TABLE {INDEX_TABLE} (
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


_RESOURCE_DDL = f"""
CREATE TABLE {RESOURCE_TABLE} (
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
    f"CREATE TABLE signoz_traces.distributed_signoz_index_v3 AS {INDEX_TABLE} "
    "ENGINE = Merge('signoz_traces', '^signoz_index_v3$')",
    f"CREATE TABLE signoz_traces.distributed_traces_v3_resource AS {RESOURCE_TABLE} "
    "ENGINE = Merge('signoz_traces', '^traces_v3_resource$')",
)


def schema_statements() -> list[str]:
    """The DDL, in order: database, local tables, and their `distributed_*` stand-ins."""
    return ["CREATE DATABASE IF NOT EXISTS signoz_traces", _index_v3_ddl(), _RESOURCE_DDL, *_DISTRIBUTED_DDL]
