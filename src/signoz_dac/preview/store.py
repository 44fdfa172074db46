"""SigNoz's trace tables (schema.py) in the process's embedded ClickHouse (chDB), loaded with spans.

The preview's engine runs on it; the tests (real SQL panels against captured spans) and the benchmarks
(millions of synthetic spans generated inside ClickHouse) use it too, through
`signoz_dac.testing.traces_store`. chDB is imported lazily: it is the optional `preview` extra.

Two ways in: `load(spans)` maps normalised span dicts in Python (`span_row`: the reference mapping,
see schema.py); `load_file(path)` has ClickHouse read a file of millions of spans (ingest.py), which
gives the same rows.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any

from signoz_dac.preview.ingest import INSERT_RESOURCES, SPAN_LINES, insert_file_sql
from signoz_dac.preview.schema import BUCKET_SECONDS, INDEX_TABLE, KINDS, RESOURCE_TABLE, STATUSES, schema_statements
from signoz_dac.preview.substitution import sql_string

_KIND = {name: (number, shown) for number, (name, shown) in enumerate(KINDS)}
_STATUS = {name: (number, shown) for number, (name, shown) in enumerate(STATUSES)}

# How a span row travels to ClickHouse: JSON text, converted by an INSERT ... SELECT. A string attribute
# stays a string in the JSON columns, however much it looks like a date.
_ROW_STRUCTURE = (
    "ts_bucket_start UInt64, resource_fingerprint String, timestamp_ns Int64, trace_id String, "
    "span_id String, parent_span_id String, name String, kind Int8, kind_string String, "
    "duration_nano UInt64, status_code Int16, status_message String, status_code_string String, "
    "attributes_string Map(String, String), attributes_number Map(String, Float64), "
    "attributes_bool Map(String, Bool), attributes String, resources_string Map(String, String), "
    "resource String, scope String, events Array(String), has_error Bool"
)
_MAX_BATCH_BYTES = 200_000
_INSERT_SPANS = f"""
INSERT INTO {INDEX_TABLE} (ts_bucket_start, resource_fingerprint, timestamp,
    trace_id, span_id, trace_state, parent_span_id, flags, name, kind, kind_string, duration_nano,
    status_code, status_message, status_code_string, attributes_string, attributes_number,
    attributes_bool, attributes, resources_string, resource, scope, events, links, has_error)
SELECT ts_bucket_start, resource_fingerprint, fromUnixTimestamp64Nano(timestamp_ns), trace_id,
    span_id, '', parent_span_id, 0, name, kind, kind_string, duration_nano, status_code,
    status_message, status_code_string, attributes_string, attributes_number, attributes_bool,
    attributes, resources_string, resource, scope, events, '[]', has_error
FROM format(JSONEachRow, '{{structure}}', $signoz_rows${{rows}}$signoz_rows$)
SETTINGS input_format_try_infer_dates = 0, input_format_try_infer_datetimes = 0
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
            raise RuntimeError("TraceStore needs chdb: pip install 'signoz-dac[preview]'") from e
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
        values = ",".join(f"({sql_string(labels)}, {sql_string(fp)}, {bucket})" for labels, fp, bucket in seen)
        self.execute(f"INSERT INTO {RESOURCE_TABLE} (labels, fingerprint, seen_at_ts_bucket_start) VALUES {values}")
        return len(rows)

    def load_file(self, path: str, shift_ns: int = 0, json_columns: bool = True, file_format: str = SPAN_LINES,
                  resources: bool = True) -> int:
        """Insert the spans of a file that ClickHouse reads itself (ingest.py: JSON lines of normalised
        spans, or OTLP JSON lines; gzip-compressed or not), mapped as `load` maps them; returns the
        number of spans. Without `json_columns` the JSON-typed `attributes`, `resource` and `scope`
        stay empty, without `resources` the `traces_v3_resource` table does (for when no query reads
        them: they are a large share of the loading time)."""
        before = self.count()
        with open(path, "rb") as raw:
            gzip = raw.read(2) == b"\x1f\x8b"
        self.execute(insert_file_sql(str(path), file_format, gzip=gzip, shift_ns=shift_ns, json_columns=json_columns))
        if resources:
            self.execute(INSERT_RESOURCES)
        return self.count() - before

    def count(self) -> int:
        """The number of spans in the store."""
        return int(self.query(f"SELECT count() AS n FROM {INDEX_TABLE}")[0]["n"])

    def close(self) -> None:
        if TraceStore._open is self:
            self.execute("DROP DATABASE IF EXISTS signoz_traces SYNC")
            TraceStore._open = None

    def __enter__(self) -> TraceStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
