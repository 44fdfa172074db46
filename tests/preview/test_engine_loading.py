"""Loading spans: ClickHouse's own reading of a file (JSON lines of normalised spans, OTLP JSON lines)
gives the rows the Python loader (`TraceStore.load`, the one every other test uses) gives; bad files
are bad input."""

from __future__ import annotations

import gzip
import json

import pytest

from signoz_dac.errors import InputError
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.ingest import OTLP_LINES
from signoz_dac.preview.samples import sample_path
from signoz_dac.preview.spans import bulk_format, read_spans
from signoz_dac.preview.store import TraceStore

ROWS = "SELECT * EXCEPT (inserted_at, created_at) FROM signoz_traces.signoz_index_v3 ORDER BY trace_id, span_id"
RESOURCES = "SELECT labels, seen_at_ts_bucket_start FROM signoz_traces.traces_v3_resource ORDER BY labels, seen_at_ts_bucket_start"


def rows(store: TraceStore) -> tuple[list[dict], list[dict]]:
    out = store.query(ROWS)
    for row in out:
        row["events"] = [json.loads(e) for e in row["events"]]  # the same JSON, escaped differently
        row["resource_fingerprint"] = row["resources_string"]  # each loader hashes its own way
    return out, store.query(RESOURCES)


@pytest.mark.parametrize("sample", ["pipecat-1.14.0.json", "livekit-1.8.9.json", "livekit-1.7.1.json"])
def test_file_loading_equals_the_python_loader(sample: str) -> None:
    path = sample_path(sample)
    shift = 86_400 * 10**9
    with TraceStore() as store:
        assert store.load_file(str(path), shift_ns=shift) == len(read_spans(path))
        fast = rows(store)
    with TraceStore() as store:
        store.load(read_spans(path), shift_ns=shift)
        python = rows(store)
    assert fast == python


def _value(v):
    """An OTLP AnyValue, in the forms exporters write."""
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    if isinstance(v, list):
        return {"arrayValue": {"values": [_value(x) for x in v]}}
    if isinstance(v, dict):
        return {"kvlistValue": {"values": [{"key": k, "value": _value(x)} for k, x in v.items()]}}
    return {"stringValue": v}


def _kvs(values: dict) -> list:
    return [{"key": k, "value": _value(v)} for k, v in values.items()]


VARIED_OTLP = [
    {"resourceSpans": [{
        "resource": {"attributes": _kvs({"service.name": "agent", "process.pid": 4242, "debug": True, "ratio": 0.5})
                     + [{"key": "raw", "value": {"bytesValue": "AAE="}}]},
        "scopeSpans": [{"scope": {"name": "lib", "version": "2.0"}, "spans": [
            {"traceId": "0x" + "a" * 32, "spanId": "b" * 16, "name": "root", "kind": "SPAN_KIND_SERVER",
             "startTimeUnixNano": 1795449480000000000, "endTimeUnixNano": "1795449490000000000",
             "attributes": _kvs({"n": 3, "f": 2.0, "g": 0.25, "s": "é \"quoted\" / slash", "b": False,
                                 "tags": ["a", "b"], "nums": [1, 2.5, True], "obj": {"k": "v", "n": 1}})
                           + [{"key": "blob", "value": {"bytesValue": "AQID"}}, {"key": "empty", "value": {}}],
             "events": [{"name": "exception", "timeUnixNano": "1795449481000000000",
                         "attributes": _kvs({"exception.type": "E", "code": 7})},
                        {"name": "note"}],
             "status": {"code": "STATUS_CODE_ERROR", "message": "boom"}},
            {"traceId": "a" * 32, "spanId": "c" * 16, "parentSpanId": "b" * 16, "name": "child",
             "startTimeUnixNano": "1795449481000000000", "status": {"code": 1}},
        ]}],
    }]},
    {"resourceSpans": []},
    {"resourceSpans": [{"resource": {}, "scopeSpans": [{"scope": {}, "spans": [
        {"traceId": "d" * 32, "spanId": "e" * 16, "name": "bare", "kind": 3, "startTimeUnixNano": "1795449482000000000",
         "endTimeUnixNano": "1795449483000000000"}]}]}]},
]


@pytest.mark.parametrize("compressed", [False, True])
def test_otlp_file_loading_equals_the_python_loader(tmp_path, compressed: bool) -> None:
    """Every kind of OTLP AnyValue, enum spelling, optional field and id form, read by ClickHouse
    from the file, gives the rows the Python reader and loader give."""
    text = "".join(json.dumps(line) + "\n" for line in VARIED_OTLP).encode()
    path = tmp_path / "export.jsonl"
    path.write_bytes(gzip.compress(text) if compressed else text)
    assert bulk_format(path) == OTLP_LINES
    with TraceStore() as store:
        assert store.load_file(str(path), shift_ns=60 * 10**9, file_format=OTLP_LINES) == 3
        fast = rows(store)
    with TraceStore() as store:
        store.load(read_spans(path), shift_ns=60 * 10**9)
        python = rows(store)
    assert fast == python
    root = next(r for r in fast[0] if r["name"] == "root")
    assert root["attributes_string"]["nums"] == "[1,2.5,true]" and root["attributes_number"] == {"n": 3, "f": 2, "g": 0.25}
    assert root["kind_string"] == "Server" and root["status_code_string"] == "Error" and root["trace_id"] == "a" * 32


def test_fingerprints_follow_the_resources() -> None:
    with TraceStore() as store:
        store.load_file(str(sample_path("pipecat-1.14.0.json")))
        pairs = store.query("SELECT DISTINCT resource_fingerprint AS f, toJSONString(resources_string) AS r "
                            "FROM signoz_traces.signoz_index_v3")
    assert len({p["f"] for p in pairs}) == len({p["r"] for p in pairs}) == len(pairs) == 2  # two services


@pytest.mark.parametrize("otlp", [False, True])
def test_a_broken_line_is_bad_input(tmp_path, otlp: bool) -> None:
    if otlp:
        good = [json.dumps(line) for line in VARIED_OTLP]
        broken = json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "x", "startTimeUnixNano": "soon"}]}]}]})
    else:
        good = [json.dumps(s) for s in read_spans(sample_path("pipecat-1.14.0.json"))[:3]]
        broken = '{"trace_id": "x", "span_id": "y", "start_ns": "soon"}'
    path = tmp_path / "spans.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join([*good, broken]).encode()))
    with pytest.raises(InputError, match=r"spans\.jsonl\.gz: cannot load the spans"):
        Engine(files=[path])


@pytest.mark.parametrize(("otlp", "line", "message"), [
    (False, '{"resourceSpans": []}', r"spans\.jsonl\.gz:4: not a span in the format of line 1"),
    (False, '{"trace_id": "", "span_id": "", "name": "x", "start_ns": 1700000040000000000, "end_ns": 1700000040000000001}',
     r"spans\.jsonl\.gz:4: span 'x' has no trace id"),
    (False, '{"trace_id": "a", "span_id": "b", "name": "x", "start_ns": 1700000040000, "end_ns": 1700000041000}',
     r"spans\.jsonl\.gz:4: span 'x': start time 1700000040000 is before 1973"),
    (True, json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "a", "name": "x",
                       "startTimeUnixNano": "1700000040000000000"}]}]}]}), r"spans\.jsonl\.gz:4: span 'x' has no span id"),
])
def test_a_line_clickhouse_would_fill_with_defaults_is_bad_input(tmp_path, otlp: bool, line: str, message: str) -> None:
    """ClickHouse reads every line with the first line's schema and fills missing fields with defaults: a
    line of the other format, or a span without ids or with times in another unit, would load as a span
    of 1970 and stretch the time range over decades. It is bad input, at its line."""
    if otlp:
        good = [json.dumps(line) for line in VARIED_OTLP]
    else:
        good = [json.dumps(s) for s in read_spans(sample_path("pipecat-1.14.0.json"))[:3]]
    path = tmp_path / "spans.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join([*good, line]).encode()))
    assert bulk_format(path) == (OTLP_LINES if otlp else "span-lines")
    with pytest.raises(InputError, match=message):
        Engine(files=[path])


def test_engine_extent() -> None:
    spans = read_spans(sample_path("pipecat-1.14.0.json"))
    with Engine(files=[sample_path("pipecat-1.14.0.json")]) as engine:
        assert engine.extent() == (len(spans), min(s["start_ns"] for s in spans), max(s["end_ns"] for s in spans))


def test_what_sql_reads_is_filled_and_the_rest_left_empty() -> None:
    from signoz_dac.preview.engine import Reads

    assert Reads.of(["SELECT resources_string['service.name'], attributes_number['x'] FROM t"]) == Reads(False, False)
    assert Reads.of(["SELECT resource.service.name::String FROM t"]) == Reads(True, False)
    assert Reads.of(["SELECT attributes.`gen_ai.request.model` FROM t", "SELECT 1"]) == Reads(True, False)
    assert Reads.of(["SELECT fingerprint FROM signoz_traces.distributed_traces_v3_resource"]) == Reads(False, True)
    path = sample_path("pipecat-1.14.0.json")
    with TraceStore() as store:
        store.load_file(str(path), json_columns=False, resources=False)
        [row] = store.query("SELECT countIf(toJSONString(resource) = '{}') AS empty, count() AS n, "
                            "countIf(resources_string['service.name'] != '') AS named FROM signoz_traces.signoz_index_v3")
        [resources] = store.query("SELECT count() AS n FROM signoz_traces.traces_v3_resource")
    assert row["empty"] == row["n"] == row["named"] == len(read_spans(path))
    assert resources["n"] == 0
