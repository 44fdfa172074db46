"""Spans for the rule and panel tests: captured conversations placed in time, the richer reference
captures in ../shared in the same format, and the shipped definitions rendered per profile."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import signoz_dac
from signoz_dac.identity import rule_key
from tests.conftest import REPO, require_shared
from tests.telemetry.conftest import by_trace, call_traces, committed
from tests.telemetry.test_sql_panels import clone

NS = 1_000_000_000
MINUTE = 60 * NS
T0 = 1_772_445_600 * NS  # 2026-03-02 10:00:00 UTC: far from a day's bucket boundary
DEFINITIONS = {"pipecat": "pipecat.yaml", "livekit": "livekit.yaml", "livekit-legacy": "livekit.yaml"}
# The spans that report a model call's tokens, from the frameworks' span catalogs: the LLM calls,
# and a speech-to-speech model's replies (livekit-agents 1.7 puts those on the agent_turn).
TOKEN_SPANS = {"pipecat": {"llm", "llm_response"}, "livekit": {"llm_request", "realtime_inference"},
               "livekit-legacy": {"llm_request", "agent_turn"}}
Span = dict[str, Any]


def definition(profile: str) -> signoz_dac.definitions.Dashboard:
    """The shipped definition of a profile (LiveKit's, under the legacy profile for livekit-legacy)."""
    dashboard = signoz_dac.load_definition(REPO / "dashboards" / DEFINITIONS[profile])
    return dashboard if dashboard.profile == profile else dashboard.model_copy(update={"profile": profile})


@cache
def shipped_rules(profile: str) -> dict[str, dict]:
    """{rule id: rendered body} of the shipped definition under `profile`."""
    return {rule_key(r)[1]: r for r in signoz_dac.render_alerts(definition(profile))}  # type: ignore[index]


@cache
def shipped_body(profile: str) -> dict:
    return signoz_dac.render(definition(profile))


def placed(spans: list[Span], start_ns: int = T0, tag: str = "") -> list[Span]:
    """The conversation as a new call (fresh ids) whose first span starts at `start_ns`."""
    first = min(s["start_ns"] for s in spans)
    return clone(spans, tag or str(start_ns), start_ns - first)


def scenarios(profile: str) -> dict[str, list[Span]]:
    """{call label: spans} of a profile's committed capture, one call each, with any trace of its own
    job that LiveKit split off (its `job_shutdown` when the provider is set inside the entrypoint)."""
    capture = committed(profile)
    traces = by_trace(capture)
    return {label: [s for t in ids for s in traces[t]] for label, ids in call_traces(capture).items()}


@cache
def _reference(framework: str) -> dict:
    shared = require_shared()
    name = {"livekit": "livekit-1.8.9-spans.json", "pipecat": "pipecat-1.14.0-spans.json"}[framework]
    return json.loads((Path(shared) / "fixtures" / "telemetry" / name).read_text(encoding="utf-8"))


def reference_scenario(framework: str, scenario: str) -> list[Span]:
    """A scenario of the reference captures in ../shared, in the committed captures' span format."""
    data = _reference(framework)
    traces = data["traces"] if framework == "livekit" else list(data["scenarios"].values())
    (trace,) = [t for t in traces if t["scenario"] == scenario]
    return [
        {
            "trace_id": s["trace_id"], "span_id": s["span_id"], "parent_span_id": s["parent_span_id"] or "",
            "name": s["name"], "kind": "SPAN_KIND_" + s["kind"].rsplit(".", 1)[-1], "status_code": f"STATUS_CODE_{s['status'].get('code') or s['status']['status_code']}",
            "status_message": s["status"].get("description") or "", "start_ns": s["start_time_unix_nano"],
            "end_ns": s["end_time_unix_nano"], "attributes": s["attributes"], "resource": s["resource"],
            "scope": {}, "events": s.get("events", []),
        }
        for s in trace["spans"]
    ]
