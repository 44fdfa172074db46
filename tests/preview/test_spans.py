"""Span files in the shapes people have them: OTLP JSON (the Collector's file exporter), the
OpenTelemetry SDK's console exporter, our captures; and clear errors for anything else."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from signoz_dac.errors import InputError
from signoz_dac.preview.ingest import OTLP_LINES, SPAN_LINES
from signoz_dac.preview.spans import bulk_format, read_spans
from tests.preview.conftest import committed_capture
from tests.telemetry.conftest import load_capture

DATA = Path(__file__).parent / "data"


def test_otlp_json_lines() -> None:
    spans = read_spans(DATA / "otlp-file-exporter.jsonl")
    assert [s["name"] for s in spans] == ["conversation", "llm", "llm"]
    root, llm, second = spans
    assert root["parent_span_id"] == "" and root["kind"] == "SPAN_KIND_INTERNAL" and root["status_code"] == "STATUS_CODE_UNSET"
    assert llm == {
        "trace_id": "5b8efff798038103d269b633813fc60c", "span_id": "eee19b7ec3c1b175",
        "parent_span_id": "eee19b7ec3c1b174", "name": "llm", "kind": "SPAN_KIND_CLIENT",
        "status_code": "STATUS_CODE_ERROR", "status_message": "upstream 500",
        "start_ns": 1795449481000000000, "end_ns": 1795449481500000000,
        "attributes": {"gen_ai.usage.input_tokens": 120, "metrics.ttfb": 0.25, "gen_ai.request.model": "gpt-4o-mini",
                       "llm.stream": True, "tags": ["a", "b"]},
        "resource": {"service.name": "otlp-agent", "telemetry.sdk.language": "python"},
        "scope": {"name": "pipecat.turn", "version": "1.14.0"},
        "events": [{"name": "exception", "time_ns": 1795449481400000000, "attributes": {"exception.type": "RuntimeError"}}],
    }
    assert second["status_code"] == "STATUS_CODE_OK" and second["resource"] == {"service.name": "otlp-agent"}


def test_otlp_json_single_document_pretty_printed(tmp_path) -> None:
    lines = (DATA / "otlp-file-exporter.jsonl").read_text().splitlines()
    merged = json.loads(lines[0])
    merged["resourceSpans"] += json.loads(lines[1])["resourceSpans"]
    path = tmp_path / "export.json"
    path.write_text(json.dumps(merged, indent=2))
    assert len(read_spans(path)) == 3


def test_console_exporter_output() -> None:
    """ConsoleSpanExporter (opentelemetry-sdk 1.45) prints one indented JSON object per span."""
    spans = read_spans(DATA / "console-exporter.txt")
    by_name = {s["name"]: s for s in spans}
    llm, root = by_name["llm"], by_name["conversation"]
    assert llm["trace_id"] == "3e41a67f843bb8d52fc46fe04172fa8a" and llm["span_id"] == "1b431a31ead92cc7"
    assert llm["parent_span_id"] == root["span_id"] and root["parent_span_id"] == ""
    assert llm["kind"] == "SPAN_KIND_CLIENT" and llm["status_code"] == "STATUS_CODE_ERROR"
    assert llm["status_message"] == "upstream 500"
    assert llm["start_ns"] == 1796131092730345000  # 2026-12-01T13:18:12.730345Z and llm["end_ns"] - llm["start_ns"] == 38_000
    assert llm["attributes"]["gen_ai.usage.input_tokens"] == 120 and llm["attributes"]["tags"] == ["a", "b"]
    assert llm["resource"]["service.name"] == "console-agent"
    assert llm["events"][0]["name"] == "exception"


def test_our_captures_and_gzip_json_lines(tmp_path) -> None:
    capture = load_capture(committed_capture("pipecat"))
    document = read_spans(committed_capture("pipecat"))
    assert len(document) == len(capture["spans"])
    lines = tmp_path / "spans.jsonl.gz"
    lines.write_bytes(gzip.compress("".join(json.dumps(s) + "\n" for s in capture["spans"]).encode()))
    assert read_spans(lines) == document
    # JSON lines of normalised spans and OTLP JSON lines are what ClickHouse loads by itself
    assert bulk_format(lines) == SPAN_LINES
    assert bulk_format(DATA / "otlp-file-exporter.jsonl") == OTLP_LINES
    assert bulk_format(committed_capture("pipecat")) is None
    assert bulk_format(DATA / "console-exporter.txt") is None


@pytest.mark.parametrize(("content", "message"), [
    ('{"spans": [\n{"name": "x",\n', r"bad\.json:3: invalid JSON"),
    ('{"hello": "world"}', "no spans found"),
    ("", "no spans found"),
    (b"\x1f\x8b\x08broken", "broken gzip"),
    (b"\xff\xfe\x00", "not UTF-8"),
])
def test_bad_files_name_the_file_and_line(tmp_path, content, message) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=message):
        read_spans(path)


def test_missing_file(tmp_path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_spans(tmp_path / "nope.json")


T = 1_700_000_040 * 10**9


def _otlp(span: dict, resource: list | None = None) -> dict:
    return {"resourceSpans": [{"resource": {"attributes": resource or []}, "scopeSpans": [{"spans": [span]}]}]}


OTLP_SPAN = {"traceId": "c" * 32, "spanId": "d" * 16, "name": "y", "startTimeUnixNano": str(T), "endTimeUnixNano": str(T + 5)}


@pytest.mark.parametrize(("document", "message"), [
    # no ids: every span without one would be the same span (read once), the others lost
    ({"spans": [{"name": "a", "span_id": None, "start_ns": T, "end_ns": T + 1},
                {"name": "b", "span_id": None, "start_ns": T, "end_ns": T + 1}]},
     r"bad\.json:1: span 'a' has no trace id"),
    ({"spans": [{"trace_id": "a" * 32, "span_id": "", "name": "a", "start_ns": T, "end_ns": T + 1}]},
     r"bad\.json:1: span 'a' has no span id"),
    ({"spans": [{"trace_id": "a" * 40, "span_id": "b" * 16, "name": "a", "start_ns": T, "end_ns": T + 1}]},
     "trace id has 40 characters"),
    # times in other units: seconds, milliseconds, microseconds would all land in 1970
    ({"spans": [{"trace_id": "a" * 32, "span_id": "b" * 16, "name": "a", "start_ns": T // 10**9, "end_ns": T // 10**9 + 1}]},
     "start time 1700000040 is before 1973"),
    ({"spans": [{"trace_id": "a" * 32, "span_id": "b" * 16, "name": "a", "start_ns": T // 10**6, "end_ns": T // 10**6 + 1}]},
     "start time 1700000040000 is before 1973"),
    ({"spans": [{"trace_id": "a" * 32, "span_id": "b" * 16, "name": "a", "start_ns": T // 10**3, "end_ns": T // 10**3 + 1}]},
     "before 1973"),
    ({"spans": [{"trace_id": "a" * 32, "span_id": "b" * 16, "name": "a", "start_ns": -5, "end_ns": T}]}, "start time -5"),
    ({"spans": [{"context": {"trace_id": "a" * 32, "span_id": "b" * 16}, "name": "a", "start_time": "yesterday"}]},
     r"bad\.json:1: 'yesterday' is not a time"),
    ({"spans": [{"trace_id": "a" * 32, "span_id": "b" * 16, "name": "a", "start_ns": T, "end_ns": T + 1,
                 "attributes": {"k": "x\ud800"}}]}, r"bad\.json:1: span 'a' holds text that is not Unicode"),
    (_otlp(OTLP_SPAN, [{"key": "k", "value": {"intValue": "abc"}}]), r"bad\.json:1: intValue 'abc' is not an integer"),
    (_otlp({**OTLP_SPAN, "attributes": [{"key": "k", "value": {"doubleValue": "x"}}]}), "doubleValue 'x' is not a number"),
    (_otlp({**OTLP_SPAN, "attributes": [{"key": "k", "value": {"kvlistValue": {"values": [{"value": {}}]}}}]}),
     r"bad\.json:1: unreadable span data \(KeyError"),
])
def test_spans_that_cannot_be_loaded_name_the_file_and_line(tmp_path, document, message) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match=message):
        read_spans(path)


def test_the_line_is_the_line_of_the_document_holding_the_span(tmp_path) -> None:
    good = {"trace_id": "a" * 32, "span_id": "b" * 16, "name": "ok", "start_ns": T, "end_ns": T + 1}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(good, indent=2) + "\n\n" + json.dumps({**good, "span_id": "c" * 16, "start_ns": 5}, indent=2))
    with pytest.raises(InputError, match=r"bad\.json:9: span 'ok': start time 5"):
        read_spans(path)


def test_iso_times_without_an_offset_are_utc(tmp_path, monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        path = tmp_path / "console.txt"
        path.write_text(json.dumps({"name": "a", "context": {"trace_id": "a" * 32, "span_id": "b" * 16},
                                    "start_time": "2023-11-14T22:14:00", "end_time": "2023-11-14T22:14:01.5"}))
        [span] = read_spans(path)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert span["start_ns"] == T and span["end_ns"] == T + 1_500_000_000
