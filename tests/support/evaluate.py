"""Rendered queries and rules run on spans, for the tests: every number comes from the product's
evaluator of builder queries (`signoz_dac.preview`: SigNoz's query-builder semantics over SigNoz's
trace table in chDB, tested against those semantics in tests/preview), so the project has one
evaluator of builder queries.

What stays here is what the preview does not do: SigNoz's evaluation of an alert rule over time
(pkg/query-service/rules). The preview shows a rule's query over a range; SigNoz runs it every
minute over the last `evalWindow` and decides whether it fires:

- the window is the last `evalWindow` with both ends rounded down to the minute;
- each group's points are compared with each threshold as `matchType` (at_least_once,
  all_the_times, on_average, in_total, last) and `op` say, the target converted from its
  `targetUnit` to the query's unit;
- with `alertOnAbsent`, a selected query that returns no series is missing data.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from signoz_dac.preview.engine import Engine
from signoz_dac.preview.evaluate import evaluate_rule as rule_series
from signoz_dac.preview.evaluate import panel_query, query_envelopes, run_queries
from signoz_dac.preview.query import BuilderQuery, TimeRange

NS = 1_000_000_000
Span = Mapping[str, Any]
Group = tuple[tuple[str, Any], ...]  # ((group-by key, value), ...)
Variables = Mapping[str, Any]
Spans = Iterable[Span] | Engine  # spans, or an Engine already holding them (many evaluations)
_UNITS_PER_SECOND = {"ns": 1e9, "us": 1e6, "ms": 1e3, "s": 1.0, "m": 1 / 60, "h": 1 / 3600}


@contextmanager
def engine_for(spans: Spans) -> Iterator[Engine]:
    """An Engine with the spans (closed afterwards), or the Engine given (left open)."""
    if isinstance(spans, Engine):
        yield spans
        return
    with Engine(spans) as engine:
        yield engine


def _everything(spans: list[Span]) -> TimeRange:
    """A range holding every span's start."""
    starts = [int(s["start_ns"]) for s in spans] or [0]
    return TimeRange(min(starts) // 1_000_000, max(starts) // 1_000_000 + 1)


def _group(labels: Mapping[str, Any]) -> Group:
    return tuple(labels.items())


# ---------------------------------------------------------------------------------------------- queries


def matching(spans: Iterable[Span], expression: str, variables: Variables | None = None) -> list[Span]:
    """The spans a filter expression keeps."""
    spans = list(spans)
    spec = {"name": "A", "signal": "traces", "filter": {"expression": expression}, "limit": len(spans) or 1,
            "selectFields": [{"name": "trace_id", "fieldContext": "span"}, {"name": "span_id", "fieldContext": "span"}]}
    with engine_for(spans) as engine:
        rows = BuilderQuery(spec, "raw", _everything(spans), engine.catalog, variables or {}).run(engine.store).rows
    kept = {(trace, span) for _, trace, span in rows.rows} if rows else set()
    return [s for s in spans if (s["trace_id"], s["span_id"]) in kept]


def totals(spec: Mapping[str, Any], spans: Iterable[Span], variables: Variables | None = None) -> dict[tuple, float]:
    """A builder query over all `spans` as one scalar per group: {group-by values: value}."""
    spans = list(spans)
    with engine_for(spans) as engine:
        outcome = BuilderQuery({"signal": "traces", **spec}, "scalar", _everything(spans), engine.catalog,
                               variables or {}).run(engine.store)
    return {tuple(s.labels.values()): s.points[0] for s in outcome.series}


def panel_value(body: dict, key: str, spans: Spans, start_ns: int, end_ns: int,
                variables: Variables | None = None, query: str | None = None) -> dict[Group, float]:
    """What a number or table panel shows over the range, per group: its formula or first shown
    query, or the column of `query` (a table shows one column per query). A chart's query is
    asked for one value over the range too."""
    envelopes = query_envelopes(panel_query(body["spec"]["panels"][key]))
    specs = [e["spec"] for e in envelopes]
    formulas = [s["name"] for e, s in zip(envelopes, specs) if e["type"] == "builder_formula"]
    shown = query or (formulas[-1] if formulas else next(s["name"] for s in specs if not s.get("disabled")))
    with engine_for(spans) as engine:
        series, _, _, _ = run_queries(envelopes, "scalar", engine, variables or {},
                                      TimeRange(start_ns // 1_000_000, end_ns // 1_000_000))
    return {_group(s.labels): s.points[0] for s in series if s.query == shown}


# ---------------------------------------------------------------------------------------------- rules


def _duration_seconds(text: str) -> int:
    amount, unit = re.fullmatch(r"(\d+)([smh])", text).groups()  # type: ignore[union-attr]
    return int(amount) * {"s": 1, "m": 60, "h": 3600}[unit]


def _meets(values: list[float], match: str, op: str, target: float) -> bool:
    compare = {
        "above": operator.gt, "below": operator.lt, "above_or_equal": operator.ge,
        "below_or_equal": operator.le, "equal": operator.eq, "not_equal": operator.ne,
    }[op]
    if match == "at_least_once":
        return any(compare(v, target) for v in values)
    if match == "all_the_times":
        return all(compare(v, target) for v in values)
    if match == "on_average":
        return compare(sum(values) / len(values), target)
    if match == "in_total":
        return compare(sum(values), target)
    if match == "last":
        return compare(values[-1], target)
    raise ValueError(f"matchType {match}")


def _target(level: dict, query_unit: str) -> float:
    unit = level.get("targetUnit") or query_unit
    if unit == query_unit or unit not in _UNITS_PER_SECOND or query_unit not in _UNITS_PER_SECOND:
        return float(level["target"])
    return float(level["target"]) / _UNITS_PER_SECOND[unit] * _UNITS_PER_SECOND[query_unit]


@dataclass(frozen=True)
class Evaluation:
    firing: dict[Group, set[str]]  # group -> the levels (threshold names) that fire
    points: dict[Group, list[float]]  # group -> the selected query's points in the window
    no_data: bool  # alertOnAbsent and the selected query returned nothing


def evaluate_rule(rule: dict, spans: Spans, at_ns: int) -> Evaluation:
    """One evaluation of a rendered rule at `at_ns`, as SigNoz's rolling evaluation does it."""
    window = _duration_seconds(rule["evaluation"]["spec"]["evalWindow"])
    end_ns = at_ns // (60 * NS) * (60 * NS)
    start_ns = end_ns - window * NS
    condition = rule["condition"]
    with engine_for(spans) as engine:
        selected = rule_series(rule, engine, TimeRange(start_ns // 1_000_000, end_ns // 1_000_000))
    firing: dict[Group, set[str]] = {}
    points: dict[Group, list[float]] = {}
    for series in selected.series:
        group = _group(series.labels)
        values = [series.points[b] for b in sorted(series.points)]
        points[group] = values
        firing[group] = {
            level["name"] for level in condition["thresholds"]["spec"]
            if _meets(values, level["matchType"], level["op"], _target(level, selected.unit))
        }
    return Evaluation(firing, points, bool(condition.get("alertOnAbsent")) and not selected.series)
