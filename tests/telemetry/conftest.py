"""Captured spans of the real frameworks, per profile: the committed fixtures and, in CI, a fresh capture.

CI re-runs `tests/telemetry/capture/run.py DIR` and sets SIGNOZ_DAC_FRESH_CAPTURE=DIR; the contract
tests then also check that fresh capture, so a framework change that breaks a profile fails CI.
The committed fixtures are the same capture JSON, gzipped (`<catalog name>.gz`).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Any

import pytest

from signoz_dac.profiles import PROFILES, Profile

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "telemetry"
FRESH_ENV = "SIGNOZ_DAC_FRESH_CAPTURE"

Capture = dict[str, Any]


def capture_path(profile: Profile, source: str) -> Path:
    """A profile's capture file has its catalog's name (e.g. pipecat-1.14.0.json)."""
    if source == "committed":
        return FIXTURES / f"{profile.catalog}.gz"
    fresh = os.environ.get(FRESH_ENV)
    assert fresh, f"{FRESH_ENV} is not set"
    return Path(fresh) / profile.catalog


_cache: dict[Path, Capture] = {}


def load_capture(path: Path) -> Capture:
    if not path.is_file():  # never skip: a missing capture is a failure
        pytest.fail(f"capture {path} is missing; run tests/telemetry/capture/run.py")
    if path not in _cache:
        data = path.read_bytes()
        _cache[path] = json.loads(gzip.decompress(data) if path.suffix == ".gz" else data)
    return _cache[path]


def sources() -> list[str]:
    return ["committed", "fresh"] if os.environ.get(FRESH_ENV) else ["committed"]


def committed(profile_name: str) -> Capture:
    return load_capture(capture_path(PROFILES[profile_name], "committed"))


def by_trace(capture: Capture) -> dict[str, list[dict[str, Any]]]:
    traces: dict[str, list[dict[str, Any]]] = {}
    for span in capture["spans"]:
        traces.setdefault(span["trace_id"], []).append(span)
    return traces


def scenario_trace(capture: Capture, scenario: str) -> list[dict[str, Any]]:
    trace = {name: tid for tid, name in capture["scenarios"].items()}[scenario]
    return by_trace(capture)[trace]


def seconds(span: dict[str, Any]) -> float:
    return (span["end_ns"] - span["start_ns"]) / 1e9


def call_traces(capture: Capture) -> dict[str, list[str]]:
    """{label: [trace id, ...]} of each captured call: its own trace first, then any trace of its
    own job that LiveKit split off (labelled "<call>/<root span>")."""
    out: dict[str, list[str]] = {}
    for trace, label in sorted(capture["scenarios"].items(), key=lambda kv: ("/" in kv[1], kv[1])):
        out.setdefault(label.split("/")[0], []).append(trace)
    return out


def shared_capture(version: str) -> Capture:
    """The shared reference capture of livekit-agents `version` (../shared/fixtures/telemetry), in
    our span format: its scenarios are traces recorded independently of our capture scripts."""
    from tests.conftest import require_shared

    path = require_shared() / "fixtures" / "telemetry" / "livekit-1.8.9-spans.json"
    raw = json.loads(path.read_text())
    spans, scenarios = [], {}
    for entry in raw["traces"]:
        if entry["livekit_agents_version"] != version:
            continue
        converted = [_shared_span(s) for s in entry["spans"]]
        ids = {s["span_id"] for s in converted}
        for s in converted:
            if s["parent_span_id"] not in ids:
                s["parent_span_id"] = ""
        roots = {s["trace_id"]: s["name"] for s in converted if not s["parent_span_id"]}
        main = {s["trace_id"] for s in converted if s["name"] == "agent_session"}
        for trace, root in roots.items():
            scenarios[trace] = entry["scenario"] if trace in main else f"{entry['scenario']}/{root}"
        spans += converted
    return {"framework": "livekit-agents", "version": version, "captured_with": {}, "spans": spans, "scenarios": scenarios}


def _shared_span(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "trace_id": s["trace_id"],
        "span_id": s["span_id"],
        "parent_span_id": s["parent_span_id"] or "",
        "name": s["name"],
        "kind": "SPAN_KIND_" + s["kind"].split(".")[-1],
        "status_code": "STATUS_CODE_" + s["status"]["code"],
        "status_message": s["status"]["description"] or "",
        "start_ns": s["start_time_unix_nano"],
        "end_ns": s["end_time_unix_nano"],
        "attributes": s["attributes"],
        "resource": s["resource"],
        "scope": {"name": s["instrumentation_scope"], "version": ""},
        "events": [{"name": e["name"], "time_ns": e["timestamp"], "attributes": e.get("attributes", {})}
                   for e in s["events"]],
    }
