"""Rendered queries and rules run on spans, for the tests: every number comes from the product's
evaluators (`signoz_dac.preview`: SigNoz's query-builder semantics over SigNoz's trace table in
chDB, and SigNoz's rule evaluation in `preview.rules`, both tested against those semantics in
tests/preview), so the project has one evaluator of each. What is here only adapts them to span
lists: an Engine is made for the spans given (or the one given is used).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from signoz_dac.preview import rules
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.evaluate import panel_query, query_envelopes, run_queries
from signoz_dac.preview.query import BuilderQuery, TimeRange
from signoz_dac.preview.rules import RuleEvaluation

Span = Mapping[str, Any]
Group = tuple[tuple[str, Any], ...]  # ((group-by key, value), ...)
Variables = Mapping[str, Any]
Spans = Iterable[Span] | Engine  # spans, or an Engine already holding them (many evaluations)


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


def evaluate_rule(rule: dict, spans: Spans, at_ns: int) -> RuleEvaluation:
    """One evaluation of a rendered rule at `at_ns`, as SigNoz's rolling evaluation does it."""
    with engine_for(spans) as engine:
        evaluation = rules.evaluate_rule(rule, engine, at_ns)
    assert evaluation.status == "ok", f"{evaluation.rule_id}: {evaluation.status}: {evaluation.reason}"
    return evaluation
