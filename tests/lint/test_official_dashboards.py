"""SigNoz's own Pipecat and LiveKit v6 dashboards: lint finds their known faults."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from signoz_dac.lint import lint_dashboard


def _load(shared: Path, name: str) -> dict:
    return json.loads((shared / "fixtures" / "signoz-official" / f"{name}-v6.json").read_text())


def _by_rule(findings):
    out: dict[str, list] = {}
    for f in findings:
        out.setdefault(f.check, []).append(f)
    return out


def test_pipecat_unit_mismatch_and_sql_without_time_filter(shared: Path) -> None:
    found = _by_rule(lint_dashboard(_load(shared, "pipecat")))
    (unit,) = found["panel-unit"]
    assert "Agent Turn Latency (avg)" in unit.message and "avg(turn.duration_seconds)" in unit.message
    assert "'ns'" in unit.message and unit.path.endswith("formatting.unit")
    titles = {f.message.split('"')[1] for f in found["sql-time-filter"]}
    assert titles == {"Number of Conversations Below Threshold", "Average Turns Per Conversation",
                      "Conversations Below Threshold"}  # fmt: skip
    assert len(found["sql-all-value"]) == 3  # `serviceName IN $service_name` with ALL allowed
    assert "schema" not in found  # exported by SigNoz: structurally valid


def test_livekit_has_the_same_sql_faults(shared: Path) -> None:
    found = _by_rule(lint_dashboard(_load(shared, "livekit")))
    assert len(found["sql-time-filter"]) == 3 and len(found["sql-all-value"]) == 3
    assert "panel-unit" not in found  # its latency panel is p95(duration_nano) in ns: consistent
    assert "schema" not in found


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_no_false_alarms_on_the_parts_that_are_right(shared: Path, name: str) -> None:
    rules = {f.check for f in lint_dashboard(_load(shared, name))}
    # Implicit AND, `has_error = 'true' service.name IN $x`, resource groupBy, count() aggregations:
    assert not rules & {"filter-syntax", "filter-full-text", "aggregation-unknown-function", "aggregation-packed",
                        "aggregation-arguments", "variable-undefined", "variable-unused", "field-context-resource",
                        "internal-error"}  # fmt: skip


@pytest.mark.parametrize(
    ("name", "title", "measured", "latency"),
    [
        ("pipecat", "Agent Turn Latency (avg)", "avg(turn.duration_seconds)", "turn.user_bot_latency_seconds"),
        ("livekit", "Agent Response Latency (P95)", "p95(duration_nano)", "lk.e2e_latency"),
    ],
)
def test_the_latency_panel_measures_the_turn_with_its_playout(shared: Path, name, title, measured, latency) -> None:
    """Both official latency panels chart the turn span's length, which holds the reply's playout
    (Pipecat's also the user's speech): with the framework's profile, lint names the attribute to use."""
    found = _by_rule(lint_dashboard(_load(shared, name), profile=name))
    (hit,) = found["profile-latency-measure"]
    assert title in hit.message and measured in hit.message and f"Aggregate {latency}" in hit.message
    assert hit.path.endswith("aggregations[0].expression")
