"""Captured spans of the real frameworks, per profile: the committed fixtures and, in CI, a fresh capture.

CI re-runs `tests/telemetry/capture/run.py DIR` and sets SIGNOZ_DAC_FRESH_CAPTURE=DIR; the contract
tests then also check that fresh capture, so a framework change that breaks a profile fails CI.
"""

from __future__ import annotations

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
        return FIXTURES / profile.catalog
    fresh = os.environ.get(FRESH_ENV)
    assert fresh, f"{FRESH_ENV} is not set"
    return Path(fresh) / profile.catalog


_cache: dict[Path, Capture] = {}


def load_capture(path: Path) -> Capture:
    if not path.is_file():  # never skip: a missing capture is a failure
        pytest.fail(f"capture {path} is missing; run tests/telemetry/capture/run.py")
    if path not in _cache:
        _cache[path] = json.loads(path.read_text())
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
