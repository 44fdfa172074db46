"""Alert rules evaluated as SigNoz's ruler evaluates them (preview/rules.py), on hand-made spans with
known answers: the window, each match type and operator, the target's unit, too few points,
missing data, v1 conditions; and what the local evaluator refuses."""

from __future__ import annotations

from typing import Any

import pytest

from signoz_dac.preview.engine import Engine
from signoz_dac.preview.rules import Level, duration_seconds, evaluate_rule, levels
from tests.preview.spans_factory import NS, T0, span

MINUTE = 60


def rule(*, expression: str = "count()", where: str = "name = 'llm'", window: str = "5m", unit: str = "",
         thresholds: list[dict[str, Any]] | None = None, step: int | None = None, **condition: Any) -> dict[str, Any]:
    """A v2alpha1 traces rule over one query A grouped by service."""
    spec: dict[str, Any] = {"name": "A", "signal": "traces", "aggregations": [{"expression": expression}],
                            "filter": {"expression": where}, "disabled": False,
                            "groupBy": [{"name": "service.name", "fieldContext": "resource", "fieldDataType": "string"}]}
    if step:
        spec["stepInterval"] = step
    return {
        "alert": "Calls", "labels": {"signoz_dac_rule": "calls", "severity": "warning"},
        "evaluation": {"kind": "rolling", "spec": {"evalWindow": window, "frequency": "1m"}},
        "condition": {
            "compositeQuery": {"queryType": "builder", "unit": unit, "queries": [{"type": "builder_query", "spec": spec}]},
            "selectedQueryName": "A",
            "thresholds": {"kind": "basic", "spec": thresholds if thresholds is not None else [
                {"name": "warning", "target": 2, "op": "above", "matchType": "in_total"}]},
            **condition,
        },
    }


# llm calls of two services: api at minutes 0, 1, 2, 3, 4 (one each, 5 at minute 4); web at 7 and 9.
SPANS = [
    *(span("llm", m * MINUTE + 1, attrs={"ms": 100.0 * (m + 1)}, span_id=f"{m:016x}") for m in range(5)),
    *(span("llm", 4 * MINUTE + 10 + i, attrs={"ms": 900.0}, span_id=f"{100 + i:016x}") for i in range(4)),
    span("llm", 7 * MINUTE, service="web", attrs={"ms": 50.0}, span_id="0000000000000200"),
    span("llm", 9 * MINUTE + 59, service="web", attrs={"ms": 70.0}, span_id="0000000000000201"),
]


@pytest.fixture(scope="module")
def engine():
    with Engine(SPANS) as e:
        yield e


def at(minutes: float) -> int:
    return int((T0 + minutes * MINUTE) * NS)


def test_the_window_is_the_last_eval_window_rounded_down_to_the_minute(engine) -> None:
    """At 5:30 the window is [0:00, 5:00): the five calls of minutes 0-3 and the four of minute 4
    (9 in all); a call at 9:59 counts in [5:00, 10:00), one at exactly 10:00 would not."""
    first = evaluate_rule(rule(step=86400), engine, at(5.5))
    assert (first.start_ms, first.end_ms) == (T0 * 1000, (T0 + 300) * 1000)
    assert first.points == {(("service.name", "api"),): [9.0]}
    later = evaluate_rule(rule(step=86400), engine, at(10))
    assert later.points == {(("service.name", "web"),): [2.0]}
    assert later.firing == {(("service.name", "web"),): set()}  # 2 is not above 2


def test_each_end_of_the_window_is_rounded_down_on_its_own(engine) -> None:
    """SigNoz takes [at - evalWindow, at) and rounds each end down to the minute: with 90 s at 5:30 that
    is [4:00, 5:00), the five calls of minute 4; not [3:00, 5:00) (90 s before the rounded end)."""
    evaluation = evaluate_rule(rule(window="90s", step=86400), engine, at(5.5))
    assert (evaluation.start_ms, evaluation.end_ms) == ((T0 + 240) * 1000, (T0 + 300) * 1000)
    assert evaluation.points == {(("service.name", "api"),): [5.0]}


@pytest.mark.parametrize(("match", "op", "target", "fires", "value"), [
    # per-minute counts of api over [0:00, 5:00): 1, 1, 1, 1, 5
    ("at_least_once", "above", 4, True, 5), ("at_least_once", "above", 5, False, 5),
    ("all_the_times", "above", 0, True, 1), ("all_the_times", "above", 1, False, 1),
    ("all_the_times", "above_or_equal", 1, True, 1), ("on_average", "above", 1.8, False, 1.8),
    ("on_average", "above_or_equal", 1.8, True, 1.8), ("in_total", "equal", 9, True, 9),
    ("in_total", "not_equal", 9, False, 9), ("last", "above", 4, True, 5), ("last", "below", 5, False, 5),
    ("at_least_once", "below", 2, True, 1), ("all_the_times", "below", 5, False, 5),
    ("all_the_times", "below_or_equal", 5, True, 5), ("at_least_once", "equal", 1, True, 5),
])
def test_each_match_type_and_operator(engine, match: str, op: str, target: float, fires: bool, value: float) -> None:
    """One point a minute (step 60 s); `value` is what the level reports: the mean, the sum, the last
    point, or the point that decides (the highest for at least once above, the lowest for all the
    times above, and the other way round below; the last for equal)."""
    r = rule(step=60, thresholds=[{"name": "warning", "target": target, "op": op, "matchType": match}])
    evaluation = evaluate_rule(r, engine, at(5.5))
    [group] = evaluation.groups
    assert group.points == [1.0, 1.0, 1.0, 1.0, 5.0]
    assert (group.firing == ["warning"]) is fires
    assert evaluation.levels[0].decides(group.points) == pytest.approx(value)


@pytest.mark.parametrize(("name", "op", "match"), [("1", "1", "3"), ("gt", ">", "avg"), ("x", "above", "on_average")])
def test_operators_and_match_types_by_every_name_signoz_accepts(name: str, op: str, match: str) -> None:
    [level] = levels({"thresholds": {"spec": [{"name": name, "target": 1, "op": op, "matchType": match}]}}, {}, "")
    assert (level.op, level.match) == ("above", "on_average")


def test_the_target_is_converted_from_its_unit_to_the_querys(engine) -> None:
    """The rule's query is in seconds (p50 of ms / 1000 is not possible here, so the unit says
    milliseconds and the target is given in seconds): 0.3 s = 300 ms."""
    r = rule(expression="avg(ms)", unit="ms", step=86400,
             thresholds=[{"name": "warning", "target": 0.3, "targetUnit": "s", "op": "above", "matchType": "last"},
                         {"name": "critical", "target": 60, "targetUnit": "percent", "op": "above", "matchType": "last"}])
    evaluation = evaluate_rule(r, engine, at(5.5))
    assert [lv.target for lv in evaluation.levels] == [pytest.approx(300), 60]  # percent and ms: not the same quantity
    # api's calls in the window: 100..500 ms and four of 900 ms: mean 566.7 ms
    assert evaluation.groups[0].points == [pytest.approx((100 + 200 + 300 + 400 + 500 + 4 * 900) / 9)]
    assert evaluation.groups[0].firing == ["warning", "critical"]
    [percent] = levels({"thresholds": {"spec": [{"name": "w", "target": 5, "targetUnit": "percent", "op": "above",
                                                  "matchType": "last"}]}}, {}, "percentunit")
    assert percent.target == pytest.approx(0.05)


def test_too_few_points_do_not_fire(engine) -> None:
    r = rule(step=60, requireMinPoints=True, requiredNumPoints=6,
             thresholds=[{"name": "warning", "target": 0, "op": "above", "matchType": "at_least_once"}])
    [group] = evaluate_rule(r, engine, at(5.5)).groups
    assert group.too_few_points and group.firing == []
    r["condition"]["requiredNumPoints"] = 5
    [group] = evaluate_rule(r, engine, at(5.5)).groups
    assert not group.too_few_points and group.firing == ["warning"]


def test_missing_data_fires_only_with_alert_on_absent(engine) -> None:
    quiet = evaluate_rule(rule(step=60), engine, at(20))
    assert quiet.groups == [] and not quiet.no_data and not quiet.fires
    absent = evaluate_rule(rule(step=60, alertOnAbsent=True, absentFor=15), engine, at(20))
    assert absent.no_data and absent.fires and absent.absent_for_min == 15
    assert not evaluate_rule(rule(step=60, alertOnAbsent=True), engine, at(5.5)).no_data


def test_a_v1_rule_has_one_level_in_its_condition(engine) -> None:
    r = rule(step=86400)
    del r["condition"]["thresholds"], r["evaluation"]
    r["evalWindow"] = "10m"
    r["condition"].update(target=10, op="above", matchType="on_average")
    evaluation = evaluate_rule(r, engine, at(10))
    assert [(lv.name, lv.target) for lv in evaluation.levels] == [("warning", 10)]  # named after the severity label
    assert evaluation.window_s == 600
    assert {g.labels["service.name"]: g.points for g in evaluation.groups} == {"api": [9.0], "web": [2.0]}


def test_what_is_not_evaluated_says_why(engine) -> None:
    bounds = evaluate_rule(rule(thresholds=[{"name": "w", "target": 1, "op": "outside_bounds", "matchType": "last"}]),
                           engine, at(5))
    assert bounds.status == "not-evaluated" and "outside_bounds" in bounds.reason
    broken = evaluate_rule(rule(where="name = "), engine, at(5))
    assert broken.status == "failed" and "filter" in broken.reason
    assert not broken.fires


def test_durations() -> None:
    assert [duration_seconds(t) for t in ("5m", "1h30m", "90s", "1d", 300 * NS)] == [300, 5400, 90, 86400, 300]
    assert Level("w", "above", "on_average", 5, 5, "percent").describe() == "on average > 5 %"
