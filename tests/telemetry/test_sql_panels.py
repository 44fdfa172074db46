"""The rendered ClickHouse SQL panels, run for real on SigNoz's schema in chDB, against ground truth.

Captured calls are cloned (new trace/span ids) and moved in time around a dashboard range: some end
inside it, some started before it and end inside (counted, with all their turns), one ends exactly
at its end, some are still going at its end (not counted), some ended just before it or days
before it. Each panel's query is rendered with SigNoz's variable substitution for several ranges and
variable values, run, and compared with what Python computes from the same spans.

The calls are the capture's labelled calls, whatever spans they have: LiveKit's are captured with the
tracer provider set at module level and set inside the entrypoint (its own service.name), where
`job_entrypoint` is never exported and `job_shutdown` is a trace of its own. A call that the panels'
conversation span misses is still a call in the truth, so a panel that misses it fails here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pytest

import signoz_dac
from signoz_dac.profiles import PROFILES, Profile
from signoz_dac.testing.traces_store import TraceStore, render_query
from tests.telemetry.conftest import REPO, by_trace, call_traces, committed

MS = 1_000_000  # ns per ms
MINUTE = 60_000  # ms
DAY = 1_440 * MINUTE
S = 1_772_445_600_000  # 2026-03-02 10:00:00 UTC, ms: the main range's start
E = S + 60 * MINUTE

PANELS = ("conversations-below-threshold", "average-turns-per-conversation", "conversations-below-threshold-list")
# (dashboard definition, profile whose captured spans feed it)
DASHBOARDS = (("pipecat.yaml", "pipecat"), ("livekit.yaml", "livekit"), ("livekit.yaml", "livekit-legacy"))


@dataclass(frozen=True)
class Conversation:
    trace_id: str
    service: str
    turns: int
    end_ns: int  # the root span's end: when the conversation finished


def clone(spans: list[dict[str, Any]], tag: str, shift_ns: int) -> list[dict[str, Any]]:
    """The same conversation as another call: fresh ids, moved in time."""
    def new_id(old: str, width: int) -> str:
        return hashlib.sha1(f"{tag}:{old}".encode()).hexdigest()[:width] if old else ""

    out = []
    for s in spans:
        c = dict(s)
        c["trace_id"] = new_id(s["trace_id"], 32)
        c["span_id"] = new_id(s["span_id"], 16)
        c["parent_span_id"] = new_id(s["parent_span_id"], 16)
        c["start_ns"], c["end_ns"] = s["start_ns"] + shift_ns, s["end_ns"] + shift_ns
        out.append(c)
    return out


def count_turns(profile: Profile, spans: list[dict[str, Any]]) -> int:
    skip = profile.turns.unless_attribute
    return sum(s["name"] == profile.turns.span and not (skip and skip in s["attributes"]) for s in spans)


def extent(profile: Profile, spans: list[dict[str, Any]]) -> tuple[int, int]:
    """When the call ran: its conversation span's start and end. A call without one (what a wrong
    conversation span gives) is placed by its trace's own extent, and still counts in the truth."""
    own = [s for s in spans if s["name"] == profile.conversation_span] or spans
    return min(s["start_ns"] for s in own), max(s["end_ns"] for s in own)


def world(profile: Profile, capture: dict[str, Any], minutes_apart: int = 3) -> tuple[list[dict[str, Any]], list[Conversation]]:
    """Every captured call, placed six ways around [S, E]. Returns (spans, conversations). A call's
    other traces (LiveKit's split-off `job_shutdown`) move with it: more spans, never a call."""
    spans, conversations = [], []
    traces = by_trace(capture)
    for i, (_label, ids) in enumerate(sorted(call_traces(capture).items())):
        trace = traces[ids[0]]
        others = [s for other in ids[1:] for s in traces[other]]
        start, end = extent(profile, trace)
        duration = end - start
        placements = {
            # ends inside, 30 s clear of the other ranges' edges
            "inside": (S + (10 + minutes_apart * i) * MINUTE + 30_000) * MS - end,
            "straddles_start": S * MS - duration // 2 - start,  # began before S, ends inside
            "still_going": E * MS - duration // 2 - start,  # ends after E
            "ended_before": (S - 2 * MINUTE) * MS - end,  # ended just before S
            "days_before": (S - 3 * DAY + i * MINUTE) * MS - end,  # far outside the look-back
        }
        if i == 0:
            placements["ends_at_end"] = E * MS - end  # the range is inclusive
        for where, shift in placements.items():
            copy = clone(trace + others, f"{where}:{i}", shift)
            spans += copy
            conversations.append(Conversation(
                trace_id=copy[0]["trace_id"],
                service=trace[0]["resource"]["service.name"],
                turns=count_turns(profile, copy),
                end_ns=end + shift,
            ))
    return spans, conversations


RANGES = {
    "main hour": (S, E),
    "around its start": (S - 10 * MINUTE, S + 5 * MINUTE),
    "around its end": (E - 5 * MINUTE, E + 60 * MINUTE),
    "three days back": (S - 3 * DAY - 30 * MINUTE, S - 3 * DAY + 30 * MINUTE),
}
SERVICES = {
    "ALL": "__all__",
    "one": ["voice-agent"],
    "other": ["voice-agent-eu"],
    "two": ["voice-agent", "voice-agent-eu"],
}
THRESHOLDS = {"3": "3", "5": "5"}  # a text variable: its value arrives as a string


def truth(conversations: list[Conversation], start_ms: int, end_ms: int, services: Any, threshold: int) -> dict:
    finished = [
        c for c in conversations
        if start_ms * MS <= c.end_ns <= end_ms * MS and (services == "__all__" or c.service in services)
    ]
    below = sorted((c for c in finished if c.turns < threshold), key=lambda c: (c.turns, c.trace_id))
    return {
        "conversations-below-threshold": len(below),
        "average-turns-per-conversation": round(sum(c.turns for c in finished) / len(finished), 2) if finished else None,
        "conversations-below-threshold-list": [(c.trace_id, c.turns) for c in below],
    }


def panel_queries(definition: str, profile: str) -> dict[str, str]:
    dashboard = signoz_dac.load_definition(str(REPO / "dashboards" / definition))
    if dashboard.profile != profile:
        dashboard = dashboard.model_copy(update={"profile": profile})
    body = signoz_dac.render(dashboard)
    panels = body["spec"]["panels"]
    return {key: panels[key]["spec"]["queries"][0]["spec"]["plugin"]["spec"]["query"] for key in PANELS}


def result(key: str, rows: list[dict[str, Any]]) -> Any:
    if key == "conversations-below-threshold-list":
        return [(r["trace_id"], int(r["turns"])) for r in rows]
    [row] = rows
    value = row["value"]
    if key == "conversations-below-threshold":
        return int(value)
    return None if value is None or value != value else float(value)  # avg of nothing is nan


@pytest.fixture(scope="module", params=DASHBOARDS, ids=lambda d: f"{d[0]}:{d[1]}")
def loaded(request):
    definition, profile_name = request.param
    profile = PROFILES[profile_name]
    queries = panel_queries(definition, profile_name)
    spans, conversations = world(profile, committed(profile_name))
    with TraceStore() as store:
        store.load(spans)
        yield store, queries, conversations


def test_the_world_covers_every_edge(loaded) -> None:
    """Guard the fixture itself: each placement exists and the ranges see different conversations."""
    _, _, conversations = loaded
    counts = {name: truth(conversations, *rng, "__all__", 3) for name, rng in RANGES.items()}
    assert counts["main hour"]["conversations-below-threshold"] > 0
    assert len({str(c) for c in counts.values()}) == len(RANGES)
    assert {c.turns for c in conversations} >= {1, 2, 3}
    assert {c.end_ns for c in conversations if c.end_ns == E * MS}  # one ends exactly at the range's end


@pytest.mark.parametrize("threshold", THRESHOLDS)
@pytest.mark.parametrize("services", SERVICES)
@pytest.mark.parametrize("range_name", RANGES)
def test_sql_panels_return_ground_truth(loaded, range_name: str, services: str, threshold: str) -> None:
    store, queries, conversations = loaded
    start_ms, end_ms = RANGES[range_name]
    variables = {"service_name": SERVICES[services], "language": "__all__", "turns_threshold": THRESHOLDS[threshold]}
    expected = truth(conversations, start_ms, end_ms, SERVICES[services], int(THRESHOLDS[threshold]))
    for key in PANELS:
        sql = render_query(queries[key], variables, start_ms, end_ms)
        assert result(key, store.query(sql)) == expected[key], f"{key} over {range_name}"


def test_numeric_threshold_and_language_list(loaded) -> None:
    """The same answers when a threshold arrives as a number and the language as a list."""
    store, queries, conversations = loaded
    variables = {"service_name": "__all__", "language": ["python"], "turns_threshold": 4}
    expected = truth(conversations, S, E, "__all__", 4)
    for key in PANELS:
        assert result(key, store.query(render_query(queries[key], variables, S, E))) == expected[key]


def test_panels_read_the_distributed_table_and_filter_time(loaded) -> None:
    _, queries, _ = loaded
    for sql in queries.values():
        assert "signoz_traces.distributed_signoz_index_v3" in sql
        assert "ts_bucket_start" in sql and "$start_datetime" in sql

