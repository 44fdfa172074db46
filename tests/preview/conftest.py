"""Fixtures for the preview tests: captured spans per profile, engines, rendered dashboards."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import signoz_dac
from tests.conftest import REPO, require_shared

FIXTURES = REPO / "tests" / "fixtures" / "telemetry"
FRESH_ENV = "SIGNOZ_DAC_FRESH_CAPTURE"
# profile → (definition, committed capture)
PROFILE_CASES = {
    "pipecat": ("pipecat.yaml", "pipecat-1.14.0.json"),
    "livekit": ("livekit.yaml", "livekit-1.8.9.json"),
    "livekit-legacy": ("livekit.yaml", "livekit-1.7.1.json"),
}


@dataclass
class Capture:
    """Spans of one framework version, and where they came from."""

    profile: str
    source: str  # committed | fresh | shared
    spans: list[dict[str, Any]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.source}:{self.profile}"


def definition(profile: str) -> Any:
    """The shipped definition for the profile (LiveKit's under livekit-legacy for 1.7.1)."""
    dashboard = signoz_dac.load_definition(REPO / "dashboards" / PROFILE_CASES[profile][0])
    return dashboard if dashboard.profile == profile else dashboard.model_copy(update={"profile": profile})


def capture_sources() -> list[tuple[str, str]]:
    """(source, profile) pairs: committed always, the CI re-capture when set, ../shared's raw captures."""
    out = [("committed", p) for p in PROFILE_CASES]
    if os.environ.get(FRESH_ENV):
        out += [("fresh", p) for p in PROFILE_CASES]
    out += [("shared", p) for p in PROFILE_CASES]
    return out


def load_capture(source: str, profile: str) -> Capture:
    from signoz_dac.preview.spans import read_spans, spans_from_document

    name = PROFILE_CASES[profile][1]
    if source == "committed":
        return Capture(profile, source, read_spans(FIXTURES / name))
    if source == "fresh":
        return Capture(profile, source, read_spans(Path(os.environ[FRESH_ENV]) / name))
    shared = require_shared() / "fixtures" / "telemetry"
    if profile == "pipecat":
        return Capture(profile, source, read_spans(shared / "pipecat-1.14.0-spans.json"))
    # The LiveKit file holds traces of 1.8.9 and 1.7.1 side by side, each marked with its version.
    document = json.loads((shared / "livekit-1.8.9-spans.json").read_text())
    version = "1.7.1" if profile == "livekit-legacy" else "1.8.9"
    traces = [t for t in document["traces"] if t.get("livekit_agents_version") == version]
    assert traces, f"no {version} traces in the shared LiveKit capture"
    return Capture(profile, source, spans_from_document(traces))


def engine_or_skip():
    from signoz_dac.preview.engine import chdb_available

    if not chdb_available():
        pytest.fail("chDB is in the test extra; install it with pip install -e '.[test]'")
