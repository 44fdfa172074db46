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
