"""The rules' arithmetic under steady synthetic traffic, evaluated every minute as SigNoz does
(tests/support/evaluate.py) from each rendered rule's own window, step, matchType, op and targets.
Hours of traffic evaluated every minute in chDB: these take seconds each.

`as_before` rebuilds what signoz-dac rendered before these rules were reworked (one point per
minute; the error rate above its level in every minute of five, `all_the_times`; latency as the
average of five one-minute P95s), so each test shows the old behaviour failing where the new holds.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterable

import pytest

from signoz_dac.preview.engine import Engine
from tests.alerts.spans import MINUTE, NS, T0, shipped_rules
from tests.support.evaluate import evaluate_rule

pytestmark = pytest.mark.slow

HOURS = 6
RESOURCE = {"service.name": "svc"}


def span(name: str, start_ns: int, attributes: dict | None = None, error: bool = False) -> dict:
    return {
        "trace_id": f"{start_ns:032x}", "span_id": f"{start_ns % 2**64:016x}", "parent_span_id": "", "name": name,
        "kind": "SPAN_KIND_INTERNAL", "status_code": "STATUS_CODE_ERROR" if error else "STATUS_CODE_UNSET",
        "status_message": "", "start_ns": start_ns, "end_ns": start_ns + NS // 2, "attributes": attributes or {},
        "resource": RESOURCE, "scope": {}, "events": [],
    }


def steady(per_minute: int, hours: int, make, seed: int, start: int = T0) -> list[dict]:
    """`per_minute` spans a minute at random instants, each made by `make(rng, start_ns)`."""
    rng = random.Random(seed)
    out = []
    for minute in range(hours * 60):
        for _ in range(per_minute):
            out.append(make(rng, start + minute * MINUTE + rng.randrange(MINUTE)))
    return sorted(out, key=lambda s: s["start_ns"])


def evaluations(rule: dict, spans: list[dict] | Engine, times: Iterable[int]) -> list:
    """The rule evaluated at each time, on the spans (or an Engine holding them, loaded once)."""
    if not isinstance(spans, Engine):
        with Engine(spans) as engine:
            return evaluations(rule, engine, times)
    return [evaluate_rule(rule, spans, at) for at in times]


def every_minute(hours: int = HOURS, start: int = T0) -> range:
    return range(start + 30 * MINUTE, start + hours * 60 * MINUTE, MINUTE)


def fired(results, level: str) -> float:
    """The share of evaluations at which `level` fired."""
    return sum(any(level in f for f in r.firing.values()) for r in results) / len(results)


def as_before(rule: dict) -> dict:
    """The rule as signoz-dac rendered it before: one point per minute, `all_the_times` for the error rate."""
    old = copy.deepcopy(rule)
    for query in old["condition"]["compositeQuery"]["queries"]:
        if query["type"] == "builder_query":
            query["spec"]["stepInterval"] = 60
    for level in old["condition"]["thresholds"]["spec"]:
        level["matchType"] = "all_the_times"
    return old


def latency_as_before(rule: dict, target_ms: int) -> dict:
    """The latency rule as it was: the average of the window's one-minute P95s against a latency."""
    old = copy.deepcopy(rule)
    composite = old["condition"]["compositeQuery"]
    every_turn = next(q for q in composite["queries"] if q["type"] == "builder_query" and q["spec"]["name"] == "B")
    spec = every_turn["spec"]
    attribute = spec["filter"]["expression"].split(" EXISTS")[0].split(" AND ")[-1]
    spec.update(name="A", disabled=False, stepInterval=60, aggregations=[{"expression": f"p95({attribute})"}])
    composite.update(queries=[every_turn], unit="s")
    old["condition"].update(selectedQueryName="A", thresholds={"kind": "basic", "spec": [
        {"name": "warning", "target": target_ms, "targetUnit": "ms", "op": "above", "matchType": "on_average", "channels": []}]})
    return old


def llm_calls(per_minute: int, error_share: float, hours: int = HOURS, seed: int = 1) -> list[dict]:
    return steady(per_minute, hours, lambda rng, t: span("llm", t, error=rng.random() < error_share), seed)


# ---------------------------------------------------------------- error rate


def test_error_rate_at_20_calls_a_minute_with_5_percent_errors():
    """A steady 5 % error rate at 20 calls a minute is well above the 1 % warning. One ratio over the
    window sees it nearly always; a per-minute ratio that must exceed 1 % in every minute of five
    (at least one failure in each) saw it about once in nine evaluations."""
    rule = shipped_rules("pipecat")["error-rate"]
    spans = llm_calls(20, 0.05)
    new, old = evaluations(rule, spans, every_minute()), evaluations(as_before(rule), spans, every_minute())
    assert all(len(p) == 1 for r in new for p in r.points.values())  # one ratio, compared once
    assert fired(new, "warning") >= 0.9, fired(new, "warning")
    assert fired(old, "warning") <= 0.2, fired(old, "warning")


def test_below_20_calls_a_minute_warning_and_critical_are_different_tests():
    """At 10 calls a minute, 1 % and 5 % of one minute both mean "one failure": the old levels fired
    together at every evaluation. Over the window's 50 calls they mean 1 and 3 failures."""
    rule = shipped_rules("pipecat")["error-rate"]
    spans = llm_calls(10, 0.05, seed=2)
    old = evaluations(as_before(rule), spans, every_minute())
    assert all(set().union(*r.firing.values()) in (set(), {"warning", "critical"}) for r in old)
    new = evaluations(rule, spans, every_minute())
    only_warning = sum(set().union(*r.firing.values()) == {"warning"} for r in new) / len(new)
    assert only_warning >= 0.2, only_warning


def test_no_errors_never_fire():
    rule = shipped_rules("pipecat")["error-rate"]
    results = evaluations(rule, llm_calls(20, 0.0, hours=2), every_minute(hours=2))
    assert fired(results, "warning") == 0


def test_the_window_is_one_bucket_except_just_after_midnight_utc():
    """SigNoz buckets points at multiples of the step since the epoch. With a step of a day, a
    5-minute window is one point except in the 4 evaluations that straddle 00:00 UTC. A step equal
    to the window would split 4 evaluations in 5 into two partial ratios."""
    rule = shipped_rules("pipecat")["error-rate"]
    midnight = T0 - 10 * 3600 * NS + 86_400 * NS  # 2026-03-03 00:00 UTC
    spans = llm_calls(20, 0.05, hours=1, seed=3)
    spans = [dict(s, start_ns=s["start_ns"] - T0 + midnight - 30 * MINUTE) for s in spans]
    times = range(midnight - 10 * MINUTE, midnight + 10 * MINUTE, MINUTE)
    counts = [max(len(p) for p in r.points.values()) for r in evaluations(rule, spans, times)]
    assert counts == [1] * 11 + [2] * 4 + [1] * 5
    window_step = copy.deepcopy(rule)
    for query in window_step["condition"]["compositeQuery"]["queries"]:
        if query["type"] == "builder_query":
            query["spec"]["stepInterval"] = 300
    counts = [max(len(p) for p in r.points.values()) for r in evaluations(window_step, spans, times)]
    assert counts.count(2) == 16 and counts.count(1) == 4


# ---------------------------------------------------------------- latency


def turns(per_minute: int, slow_share: float, seed: int, answered: float = 1.0) -> list[dict]:
    """Pipecat turns after the greeting: 0.5 s, or 2.5 s for `slow_share` of them; a turn the bot
    never answered (1 - `answered`) has no latency attribute."""
    def make(rng, t):
        attributes = {"turn.number": 2}
        if rng.random() < answered:
            attributes["turn.user_bot_latency_seconds"] = 2.5 if rng.random() < slow_share else 0.5
        return span("turn", t, attributes)

    return steady(per_minute, HOURS, make, seed)


def test_latency_share_is_steady_where_averaged_one_minute_p95s_fire():
    """4 % of turns take 2.5 s, so the P95 is 0.5 s and the 800 ms SLO holds. A minute with two slow
    turns out of 20 has a P95 of 2.5 s, and the average of five one-minute P95s crossed 800 ms most
    of the time. The share of slow turns over the window (more than 5 % of 100) rarely does."""
    rule = shipped_rules("pipecat")["turn-latency-p95-warning"]
    spans = turns(20, 0.04, seed=4)
    new = evaluations(rule, spans, every_minute())
    old = evaluations(latency_as_before(rule, 800), spans, every_minute())
    assert fired(new, "warning") <= 0.35, fired(new, "warning")
    assert fired(old, "warning") >= 0.5, fired(old, "warning")


def test_latency_share_fires_when_the_p95_is_above_the_level():
    rule = shipped_rules("pipecat")["turn-latency-p95-warning"]
    results = evaluations(rule, turns(20, 0.12, seed=5), every_minute())
    assert fired(results, "warning") >= 0.9, fired(results, "warning")


def test_unanswered_turns_are_invisible_to_latency_and_seen_as_dead_air():
    """10 % of turns get no reply: they carry no latency, so the latency share looks fine exactly
    when users hear silence. The dead-air rule fires."""
    rules = shipped_rules("pipecat")
    spans = turns(20, 0.0, seed=6, answered=0.9)
    times = list(every_minute())
    assert fired(evaluations(rules["turn-latency-p95-warning"], spans, times), "warning") == 0
    dead_air = evaluations(rules["dead-air"], spans, times)
    assert fired(dead_air, "warning") >= 0.9
    values = [p[0] for r in dead_air for p in r.points.values()]
    assert sum(values) / len(values) == pytest.approx(10, abs=1)
