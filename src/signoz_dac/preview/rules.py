"""Alert rules evaluated as SigNoz's ruler evaluates them (pkg/query-service/rules, threshold rules).

At each evaluation SigNoz runs the rule's queries over the last `evalWindow`, both ends rounded
down to the minute, and takes the selected query's (or formula's) series, one per group. Each
threshold level then tests each series' points by its `matchType`:

- `at_least_once`: some point meets the condition;
- `all_the_times`: every point does;
- `on_average` / `in_total`: the mean / the sum of the points (NaN and ±Inf left out) does;
- `last`: the last point does.

The condition is `op` (above, below, equal, not_equal, above_or_equal, below_or_equal) against the
level's `target`, converted from its `targetUnit` to the query's unit (`compositeQuery.unit`). With
`requireMinPoints`, a series with fewer than `requiredNumPoints` points does not fire. With
`alertOnAbsent`, a selected query that returns no series at all is missing data, which fires once
it has lasted `absentFor` minutes. Rules of schema v1 carry one level in the condition itself
(`target`, `op`, `matchType`), named after the rule's `severity` label.

A rule has no dashboard variables. The selected query runs even when it is disabled (a rule's
inputs usually are); the others run as the panel evaluator runs them (`evaluate.run_queries`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.identity import RULE_LABEL
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.errors import NotEvaluated, Unsupported, no_numbers
from signoz_dac.preview.evaluate import run_queries
from signoz_dac.preview.query import Series, TimeRange
from signoz_dac.preview.units import convert

NS = 1_000_000_000
MINUTE_NS = 60 * NS
Group = tuple[tuple[str, Any], ...]  # ((group-by key, value), ...)

# Comparison operators by every name SigNoz accepts for them (numbers, words, symbols).
_OPS: dict[str, str] = {}
for _canonical, _names in {
    "above": ("1", "above", "gt", ">"), "below": ("2", "below", "lt", "<"), "equal": ("3", "equal", "eq", "=", "=="),
    "not_equal": ("4", "not_equal", "not_eq", "ne", "!="), "above_or_equal": ("5", "above_or_equal", "gte", ">="),
    "below_or_equal": ("6", "below_or_equal", "lte", "<="), "outside_bounds": ("7", "outside_bounds"),
}.items():  # fmt: skip
    _OPS.update(dict.fromkeys(_names, _canonical))
_MATCH_TYPES = {
    "1": "at_least_once", "at_least_once": "at_least_once", "2": "all_the_times", "all_the_times": "all_the_times",
    "3": "on_average", "on_average": "on_average", "avg": "on_average", "4": "in_total", "in_total": "in_total",
    "sum": "in_total", "5": "last", "last": "last",
}  # fmt: skip
_COMPARE = {
    "above": lambda v, t: v > t, "below": lambda v, t: v < t, "equal": lambda v, t: v == t,
    "not_equal": lambda v, t: v != t, "above_or_equal": lambda v, t: v >= t, "below_or_equal": lambda v, t: v <= t,
}  # fmt: skip
_WORDS = {"above": ">", "below": "<", "equal": "=", "not_equal": "≠", "above_or_equal": "≥", "below_or_equal": "≤"}
_MATCH_WORDS = {"at_least_once": "at least once", "all_the_times": "all the times", "on_average": "on average",
                "in_total": "in total", "last": "last value"}  # fmt: skip


@dataclass(frozen=True)
class Level:
    """One threshold of a rule: its condition, with the target in the query's unit."""

    name: str
    op: str  # canonical: above, below, ...
    match: str  # canonical: at_least_once, all_the_times, on_average, in_total, last
    target: float  # in the query's unit
    written: float  # as written, in `target_unit`
    target_unit: str

    def describe(self) -> str:
        return f"{_MATCH_WORDS[self.match]} {_WORDS[self.op]} {self.written:g}{_unit_suffix(self.target_unit)}"

    def decides(self, values: list[float]) -> float | None:
        """The value SigNoz reports for this level and series: the mean, the sum, the last point, or
        for `at_least_once` / `all_the_times` the point nearest to (or past) the target's side."""
        finite = [v for v in values if math.isfinite(v)]
        if not values:
            return None
        if self.match == "on_average":
            return sum(finite) / len(finite) if finite else None
        if self.match == "in_total":
            return sum(finite)
        if self.match == "last" or self.op in ("equal", "not_equal"):
            return values[-1]
        upward = self.op in ("above", "above_or_equal")
        extreme = max if upward == (self.match == "at_least_once") else min
        return extreme(values)

    def meets(self, values: list[float]) -> bool:
        """Whether a series' points fire this level."""
        compare = _COMPARE[self.op]
        if not values:
            return False
        if self.match == "at_least_once":
            return any(compare(v, self.target) for v in values)
        if self.match == "all_the_times":
            return all(compare(v, self.target) for v in values)
        if self.match == "last":
            return compare(values[-1], self.target)
        value = self.decides(values)
        return value is not None and compare(value, self.target)


@dataclass
class GroupResult:
    """One series of the selected query in the window, and the levels it fires."""

    labels: dict[str, Any]
    points: list[float]  # in time order, in the query's unit
    firing: list[str] = field(default_factory=list)  # level names
    too_few_points: bool = False


@dataclass
class RuleEvaluation:
    """One evaluation of a rule at `at_ns`."""

    rule_id: str
    alert: str
    severity: str
    description: str
    selected: str
    unit: str
    window_s: int
    start_ms: int
    end_ms: int
    levels: list[Level] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)
    alert_on_absent: bool = False
    absent_for_min: int = 0
    status: str = "ok"  # ok | not-evaluated | failed
    reason: str = ""

    @property
    def no_data(self) -> bool:
        """The rule watches for missing data and the selected query returned nothing."""
        return self.status == "ok" and self.alert_on_absent and not self.groups

    @property
    def firing(self) -> dict[Group, set[str]]:
        return {tuple(g.labels.items()): set(g.firing) for g in self.groups}

    @property
    def points(self) -> dict[Group, list[float]]:
        return {tuple(g.labels.items()): g.points for g in self.groups}

    @property
    def fires(self) -> bool:
        return self.no_data or any(g.firing for g in self.groups)


def duration_seconds(text: Any) -> int:
    """A rule duration: `5m`, `1h30m`, `90s`; a bare number is nanoseconds, as SigNoz reads JSON numbers."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return int(text) // NS
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)", str(text))
    if not parts or "".join(a + u for a, u in parts) != str(text).strip():
        raise Unsupported(f"duration {text!r} is not read locally")
    scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    return int(sum(float(amount) * scale[unit] for amount, unit in parts))


def levels(condition: Mapping[str, Any], labels: Mapping[str, Any], unit: str) -> list[Level]:
    """The rule's threshold levels (v2alpha1 `thresholds`, or v1's single condition)."""
    thresholds = (condition.get("thresholds") or {}).get("spec")
    if thresholds is None:
        thresholds = [{"name": labels.get("severity") or "critical", "target": condition.get("target"),
                       "targetUnit": condition.get("targetUnit"), "op": condition.get("op"),
                       "matchType": condition.get("matchType")}]
    out = []
    for t in thresholds:
        op = _OPS.get(str(t.get("op") or "").strip().lower())
        match = _MATCH_TYPES.get(str(t.get("matchType") or "").strip().lower())
        if op is None or match is None:
            raise Unsupported(f"level {t.get('name')!r}: op {t.get('op')!r} / matchType {t.get('matchType')!r} "
                              "is not evaluated locally")
        if op == "outside_bounds":
            raise Unsupported(f"level {t.get('name')!r}: outside_bounds is not evaluated locally")
        if t.get("target") is None:
            raise Unsupported(f"level {t.get('name')!r} has no target")
        written = float(t["target"])
        target_unit = str(t.get("targetUnit") or unit)
        out.append(Level(str(t.get("name") or ""), op, match, convert(written, target_unit, unit), written, target_unit))
    return out


def rule_series(rule: Mapping[str, Any], engine: Engine, rng: TimeRange) -> tuple[str, str, list[Series]]:
    """(selected query, its unit, its series over the range): what SigNoz compares the levels with."""
    condition = rule.get("condition") or {}
    composite = condition.get("compositeQuery") or {}
    selected = str(condition.get("selectedQueryName") or "")
    envelopes = [
        {**e, "spec": {**(e.get("spec") or {}), "disabled": (e.get("spec") or {}).get("name") != selected}}
        for e in composite.get("queries") or []
    ]
    series, _, _, _ = run_queries(envelopes, "time_series", engine, {}, rng)
    return selected, str(composite.get("unit") or ""), series


def evaluate_rule(rule: Mapping[str, Any], engine: Engine, at_ns: int) -> RuleEvaluation:
    """The rule evaluated at `at_ns` (epoch nanoseconds) on the spans in the engine. What the local
    evaluator cannot compute leaves the evaluation `not-evaluated` or `failed`, with the reason."""
    condition = rule.get("condition") or {}
    labels = rule.get("labels") or {}
    spec = (rule.get("evaluation") or {}).get("spec") or {}
    end_ns = at_ns // MINUTE_NS * MINUTE_NS
    result = RuleEvaluation(
        rule_id=str(labels.get(RULE_LABEL) or rule.get("alert") or ""), alert=str(rule.get("alert") or ""),
        severity=str(labels.get("severity") or ""), description=str(rule.get("description") or ""), selected=str(condition.get("selectedQueryName") or ""),
        unit=str((condition.get("compositeQuery") or {}).get("unit") or ""), window_s=0,
        start_ms=end_ns // 1_000_000, end_ms=end_ns // 1_000_000,
        alert_on_absent=bool(condition.get("alertOnAbsent")), absent_for_min=int(condition.get("absentFor") or 0),
    )
    try:
        window = duration_seconds(spec.get("evalWindow") or rule.get("evalWindow") or "5m")
        # SigNoz takes [at - evalWindow, at) and then rounds each end down to the minute: with a
        # window of 90 s, at 5:30 that is [4:00, 5:00), not 90 s before the rounded end.
        start_ns = (at_ns - window * NS) // MINUTE_NS * MINUTE_NS
        result.window_s, result.start_ms = window, start_ns // 1_000_000
        result.levels = levels(condition, labels, result.unit)
        _, _, series = rule_series(rule, engine, TimeRange(start_ns // 1_000_000, end_ns // 1_000_000))
    except NotEvaluated as exc:
        result.status, result.reason = no_numbers(exc)
        return result
    need = int(condition.get("requiredNumPoints") or 0) if condition.get("requireMinPoints") else 0
    for s in series:
        points = [s.points[ts] for ts in sorted(s.points)]
        group = GroupResult(dict(s.labels), points, too_few_points=len(points) < need)
        if not group.too_few_points:
            group.firing = [level.name for level in result.levels if level.meets(points)]
        result.groups.append(group)
    return result


def _unit_suffix(unit: str) -> str:
    if not unit or unit == "none":
        return ""
    if unit == "percent":
        return " %"
    if unit == "percentunit":
        return " (0–1)"
    return f" {unit}"
