"""Loading spans: ClickHouse's own reading of a JSON-lines file gives the rows the Python loader
(`TraceStore.load`, the one every other test uses) gives; bad files are bad input."""

from __future__ import annotations

import gzip
import json

import pytest

from signoz_dac.errors import InputError
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.samples import sample_path
from signoz_dac.preview.spans import read_spans
from signoz_dac.testing.traces_store import TraceStore

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


def test_fingerprints_follow_the_resources() -> None:
    with TraceStore() as store:
        store.load_file(str(sample_path("pipecat-1.14.0.json")))
        pairs = store.query("SELECT DISTINCT resource_fingerprint AS f, toJSONString(resources_string) AS r "
                            "FROM signoz_traces.signoz_index_v3")
    assert len({p["f"] for p in pairs}) == len({p["r"] for p in pairs}) == len(pairs) == 2  # two services


def test_a_broken_line_is_bad_input(tmp_path) -> None:
    spans = read_spans(sample_path("pipecat-1.14.0.json"))
    path = tmp_path / "spans.jsonl.gz"
    lines = [json.dumps(s) for s in spans[:3]] + ['{"trace_id": "x", "span_id": "y", "start_ns": "soon"}']
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    with pytest.raises(InputError, match=r"spans\.jsonl\.gz: cannot load the spans"):
        Engine(files=[path])


def test_engine_extent() -> None:
    spans = read_spans(sample_path("pipecat-1.14.0.json"))
    with Engine(files=[sample_path("pipecat-1.14.0.json")]) as engine:
        assert engine.extent() == (len(spans), min(s["start_ns"] for s in spans), max(s["end_ns"] for s in spans))


def test_json_columns_are_left_empty_only_when_no_sql_reads_them(tmp_path) -> None:
    from signoz_dac.preview.engine import reads_json_columns

    assert not reads_json_columns(["SELECT resources_string['service.name'], attributes_number['x'] FROM t"])
    assert reads_json_columns(["SELECT resource.service.name::String FROM t"])
    assert reads_json_columns(["SELECT attributes.`gen_ai.request.model` FROM t", "SELECT 1"])
    path = sample_path("pipecat-1.14.0.json")
    with TraceStore() as store:
        store.load_file(str(path), json_columns=False)
        [row] = store.query("SELECT countIf(toJSONString(resource) = '{}') AS empty, count() AS n, "
                            "countIf(resources_string['service.name'] != '') AS named FROM signoz_traces.signoz_index_v3")
    assert row["empty"] == row["n"] == row["named"] == len(read_spans(path))
