"""Fixtures for the preview tests: captured spans per profile, engines, rendered dashboards."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pytest

import signoz_dac
from signoz_dac.profiles import PROFILES
from tests.conftest import REPO, require_shared
from tests.telemetry.conftest import FRESH_ENV, capture_path, shared_capture

# profile → its shipped definition
PROFILE_CASES = {"pipecat": "pipecat.yaml", "livekit": "livekit.yaml", "livekit-legacy": "livekit.yaml"}


def committed_capture(profile: str):
    """The committed capture file of a profile (gzip-compressed capture JSON)."""
    return capture_path(PROFILES[profile], "committed")


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
    dashboard = signoz_dac.load_definition(REPO / "dashboards" / PROFILE_CASES[profile])
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

    if source in ("committed", "fresh"):
        return Capture(profile, source, read_spans(capture_path(PROFILES[profile], source)))
    if profile == "pipecat":
        return Capture(profile, source, read_spans(require_shared() / "fixtures" / "telemetry" / "pipecat-1.14.0-spans.json"))
    # The shared LiveKit file holds traces of 1.8.9 and 1.7.1 side by side, each marked with its version.
    version = "1.7.1" if profile == "livekit-legacy" else "1.8.9"
    spans = spans_from_document(shared_capture(version)["spans"])
    assert spans, f"no {version} traces in the shared LiveKit capture"
    return Capture(profile, source, spans)


def engine_or_skip():
    from signoz_dac.preview.engine import chdb_available

    if not chdb_available():
        pytest.fail("chDB is in the test extra; install it with pip install -e '.[test]'")
