"""Panel units that do not match what the query measures.

SigNoz formats the raw number with the panel's unit and cannot know what the attribute holds: an
`avg(turn.duration_seconds)` shown in `ns` reads a 2-second turn as 2 ns. Units come from names,
the way the OpenTelemetry conventions spell them: `*_seconds`, latency/ttft/ttfb/delay → `s`,
`*_ms` → `ms`, `duration_nano` → `ns`; a ratio of counts is a fraction → `percentunit`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from signoz_dac.signoz.expressions.aggregation import Aggregation, Call
from signoz_dac.lint.context import LintContext, aggregations_of
from signoz_dac.lint.dashboard import PanelView, QueryView, as_dict, as_str, join
from signoz_dac.signoz.expressions.filter import make_key
from signoz_dac.lint.registry import Hit, check, rule

UNIT = rule("panel-unit", "error", "The panel unit must match the attribute: *_seconds/latency/ttfb → s, duration_nano → ns.")
RATIO_UNIT = rule("panel-unit-ratio", "warning", "A ratio of counts (A/(A+B), A/B) is a fraction: use unit percentunit.")

_UNIT_PANELS = {"signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/PieChartPanel"}
_NANOS = {"ns": 1.0, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9}
_UNIT_WORDS = {"s": "seconds", "ms": "milliseconds", "ns": "nanoseconds"}
COUNT = "count"  # the measured thing is a number of spans/logs, not a quantity with a unit
_TIME_WORDS = ("latency", "ttft", "ttfb", "delay", "time_to_first_token")


def field_unit(field: str) -> str | None:
    """The unit an attribute's name promises, or None when the name says nothing."""
    name = make_key(field, 0).name.lower()
    if name in ("duration_nano", "durationnano"):
        return "ns"
    if name.endswith(("_ms", "_millis", "_milliseconds")):
        return "ms"
    if name.endswith(("_ns", "_nanos", "_nanoseconds")):
        return "ns"
    if name.endswith(("_seconds", "_secs")):
        return "s"
    if any(word in name.rsplit(".", 1)[-1] for word in _TIME_WORDS):
        return "s"
    return None


def call_unit(call: Call) -> str | None:
    if call.function.family == "count":
        return COUNT
    if call.function.family == "rate":
        return None  # per second: reqps, cps, ... whatever the author chose
    return field_unit(call.fields[0]) if call.fields else None


def aggregation_unit(agg: Aggregation) -> str | None:
    """The unit of one call, or of a sum or difference of calls in the same unit; else unknown."""
    units = {call_unit(call) for call in agg.calls}
    if len(units) != 1 or not agg.operators <= {"+", "-"}:
        return None
    return units.pop()


def _query_units(ctx: LintContext, query: QueryView) -> list[tuple[str | None, str]]:
    """(unit, expression) for each aggregation of a builder query."""
    out: list[tuple[str | None, str]] = []
    for text, _path, _entry in aggregations_of(query):
        parsed = ctx.aggregation(text)
        out.append((aggregation_unit(parsed) if isinstance(parsed, Aggregation) else None, text.strip()))
    return out


_FORMULA_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/()]")


def _formula_unit(expr: str, units_by_query: dict[str, set[str | None]]) -> str | None:
    """`percentunit` (or `percent` when ×100) for a ratio of count queries, else None."""
    tokens = _FORMULA_TOKEN.findall(expr)
    names = [t for t in tokens if t in units_by_query]
    if "/" not in tokens or not names:
        return None
    if not all(units_by_query[n] == {COUNT} for n in names):
        return None
    depth, top_ops, sides = 0, [], [[]]
    for t in _strip_outer_parens(tokens):
        depth += (t == "(") - (t == ")")
        if depth == 0 and t in "+-*/":
            top_ops.append(t)
            if t == "/":
                sides.append([])
                continue
        sides[-1].append(t)
    if "+" in top_ops or "-" in top_ops:
        return None  # e.g. 1 - A/B: still a fraction, but leave it alone rather than guess
    if len(sides) < 2 or not all(any(t in units_by_query for t in side) for side in sides):
        return None  # a count divided by a constant (A / 60) is a rate, not a fraction
    return "percent" if "100" in tokens else "percentunit"


def _strip_outer_parens(tokens: list[str]) -> list[str]:
    while len(tokens) >= 2 and tokens[0] == "(" and tokens[-1] == ")":
        depth = 0
        for i, t in enumerate(tokens):
            depth += (t == "(") - (t == ")")
            if depth == 0 and i < len(tokens) - 1:
                return tokens  # the first ( closes early: (A) / (B)
        tokens = tokens[1:-1]
    return tokens


def _off_by(expected: str, actual: str) -> str:
    if expected in _NANOS and actual in _NANOS:
        factor = _NANOS[expected] / _NANOS[actual]
        # A value in seconds formatted as ns reads 1e9× too small, and the other way round.
        return f", so values read {factor:,.0f}× too small" if factor >= 1 else f", so values read {1 / factor:,.0f}× too large"
    return ""


def _panel_hits(ctx: LintContext, panel: PanelView) -> Iterator[Hit]:
    formatting = as_dict(panel.plugin_spec.get("formatting"))
    unit = as_str(formatting.get("unit"))
    path = join(join(panel.plugin_path, "formatting"), "unit")
    units_by_query: dict[str, set[str | None]] = {}
    shown: list[tuple[str | None, str, str]] = []  # (expected unit, what, rule)
    for query in panel.queries:
        if query.type == "builder_query":
            units = _query_units(ctx, query)
            units_by_query[query.name] = {u for u, _ in units}
            if not query.disabled:
                shown.extend((u, e, UNIT) for u, e in units)
    for query in panel.queries:
        if query.type == "builder_formula" and not query.disabled:
            expr = as_str(query.spec.get("expression"))
            shown.append((_formula_unit(expr, units_by_query), f"formula {expr.strip()}", RATIO_UNIT))
    expected = {u for u, _, _ in shown if u is not None}
    if len(expected) != 1 or not shown:
        return  # nothing known, or a mix of units on one axis: no single right answer
    want = expected.pop()
    what = next(w for u, w, _ in shown if u == want)
    rule_id = next(r for u, _, r in shown if u == want)
    if want == COUNT:
        if unit in _NANOS and all(u == COUNT for u, _, _ in shown):
            yield Hit(
                UNIT, path, f"{panel.label}: {what} counts spans, but the panel unit is the duration {unit!r}; "
                'set formatting.unit to "none" (or a count unit)'
            )  # fmt: skip
        return
    if unit == want:
        return
    if want in _UNIT_WORDS:
        shown_as = f"the panel unit is {unit!r}" if unit and unit != "none" else "the panel has no unit"
        yield Hit(
            rule_id,
            path,
            f"{panel.label}: {what} is in {_UNIT_WORDS[want]} ({want}) but {shown_as}{_off_by(want, unit)}; "
            f"set formatting.unit to {want!r}",
        )
    else:
        yield Hit(
            rule_id,
            path,
            f"{panel.label}: {what} is a ratio of counts (a fraction) but the panel unit is {unit or 'unset'!r}; "
            f"set formatting.unit to {want!r}",
        )


def _table_hits(ctx: LintContext, panel: PanelView) -> Iterator[Hit]:
    column_units = as_dict(as_dict(panel.plugin_spec.get("formatting")).get("columnUnits"))
    if not column_units:
        return
    for query in panel.queries:
        if query.type != "builder_query" or query.disabled:
            continue
        for text, _path, entry in aggregations_of(query):
            parsed = ctx.aggregation(text)
            want = aggregation_unit(parsed) if isinstance(parsed, Aggregation) else None
            if want not in _UNIT_WORDS:
                continue
            for column in (as_str(entry.get("alias")), query.name, text.strip()):
                unit = column_units.get(column) if column else None
                if isinstance(unit, str):
                    if unit != want:
                        yield Hit(
                            UNIT,
                            join(join(join(panel.plugin_path, "formatting"), "columnUnits"), column),
                            f"{panel.label}: column {column!r} ({text.strip()}) is in {_UNIT_WORDS[want]} but its unit "
                            f"is {unit!r}{_off_by(want, unit)}; set it to {want!r}",
                        )
                    break


@check(UNIT, RATIO_UNIT)
def check_units(ctx: LintContext) -> Iterator[Hit]:
    for panel in ctx.panels:
        if panel.plugin_kind in _UNIT_PANELS:
            yield from _panel_hits(ctx, panel)
        elif panel.plugin_kind == "signoz/TablePanel":
            yield from _table_hits(ctx, panel)
