"""Panel units that do not match what the query measures.

SigNoz formats the raw number with the panel's unit and cannot know what the attribute holds: an
`avg(turn.duration_seconds)` shown in `ns` reads a 2-second turn as 2 ns. Units come from names,
the way the OpenTelemetry conventions spell them: `*_seconds` → `s`, `*_ms` → `ms`,
`duration_nano` → `ns`; with a telemetry profile also latency/ttft/ttfb/delay → `s`, the voice
frameworks' convention (elsewhere such a name says nothing about its unit). A count divided by a count of a wider set of the same
things (errors / all calls, `A / (A + B)`) is a fraction → `percentunit`; a count divided by a
count of other things ("LLM calls per run") is a ratio that may exceed 1, and no unit is implied.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.expressions.aggregation import Aggregation, Call
from signoz_dac.signoz.expressions.filter import And, Node, make_key
from signoz_dac.signoz.reading import PanelAt, QueryAt, RuleAt, join

UNIT = check(
    "panel-unit", "error",
    "The panel unit (an alert rule's compositeQuery.unit) must match the attribute: *_seconds → s, *_ms → ms, duration_nano → ns.",
)
MISSING_UNIT = check("panel-unit-missing", "warning", "A panel showing seconds, milliseconds or nanoseconds should say so in its unit.")
RATIO_UNIT = check(
    "panel-unit-ratio", "warning", "A count over a count of a wider set of the same things (A/(A+B), errors/all) is a fraction: use percentunit."
)

_UNIT_PANELS = {"signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/PieChartPanel"}
_NANOS = {"ns": 1.0, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9}
_UNIT_WORDS = {"s": "seconds", "ms": "milliseconds", "ns": "nanoseconds"}
COUNT = "count"  # the measured thing is a number of spans/logs, not a quantity with a unit
_TIME_WORDS = ("latency", "ttft", "ttfb", "delay", "time_to_first_token")


def field_unit(field: str, words: bool = False) -> str | None:
    """The unit an attribute's name promises, or None when the name says nothing; with `words`,
    also `s` for the latency words the voice frameworks use (`metrics.ttfb`, `lk.e2e_latency`)."""
    name = make_key(field, 0).name.lower()
    if name in ("duration_nano", "durationnano"):
        return "ns"
    if name.endswith(("_ms", "_millis", "_milliseconds")):
        return "ms"
    if name.endswith(("_ns", "_nanos", "_nanoseconds")):
        return "ns"
    if name.endswith(("_seconds", "_secs")):
        return "s"
    if words and any(word in name.rsplit(".", 1)[-1] for word in _TIME_WORDS):
        return "s"
    return None


def call_unit(call: Call, words: bool = False) -> str | None:
    if call.function.family == "count":
        return COUNT
    if call.function.family == "rate":
        return None  # per second: reqps, cps, ... whatever the author chose
    return field_unit(call.fields[0], words) if call.fields else None


def aggregation_unit(agg: Aggregation, words: bool = False) -> str | None:
    """The unit of one call, or of a sum or difference of calls in the same unit; else unknown."""
    units = {call_unit(call, words) for call in agg.calls}
    if len(units) != 1 or not agg.operators <= {"+", "-"}:
        return None
    return units.pop()


def _query_units(ctx: LintContext, query: QueryAt) -> list[tuple[str | None, str]]:
    """(unit, expression) for each aggregation of a builder query."""
    out: list[tuple[str | None, str]] = []
    for text, _path, _entry in query.expression_aggregations:
        parsed = ctx.aggregation(text)
        words = ctx.catalog is not None
        out.append((aggregation_unit(parsed, words) if isinstance(parsed, Aggregation) else None, text.strip()))
    return out


@dataclass(frozen=True)
class _Counted:
    """What a formula needs to know of a builder query it divides."""

    units: frozenset[str | None]
    signal: str
    conditions: frozenset[Node] | None  # the filter's ANDed conditions; None when it does not parse


def _conditions(ctx: LintContext, query: QueryAt) -> frozenset[Node] | None:
    found = query.filter
    if found is None:
        return frozenset()
    flt = ctx.parsed_filter(query)
    if flt is None:
        return None
    root = flt.root
    return frozenset() if root is None else frozenset(root.operands if isinstance(root, And) else (root,))


def _narrower(part: _Counted, whole: _Counted) -> bool:
    """Whether `part` counts a subset of what `whole` counts: the same signal, and every condition
    of the whole among the part's (errors = calls AND has_error = true)."""
    return (
        part.signal == whole.signal and part.conditions is not None and whole.conditions is not None
        and whole.conditions <= part.conditions
    )  # fmt: skip


_FORMULA_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[-+*/()]")


def _formula_unit(expr: str, counted: dict[str, _Counted]) -> str | None:
    """`percentunit` (or `percent` when ×100) for a fraction of count queries, else None."""
    tokens = [t.upper() if t.upper() in counted else t for t in _FORMULA_TOKEN.findall(expr)]
    names = [t for t in tokens if t in counted]
    if "/" not in tokens or not names:
        return None
    if not all(counted[n].units == {COUNT} for n in names):
        return None
    depth, top_ops, sides = 0, [], [[]]  # type: int, list[str], list[list[str]]
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
    if len(sides) != 2 or not all(any(t in counted for t in side) for side in sides):
        return None  # a count divided by a constant (A / 60) is a rate, not a fraction
    part = {t for t in sides[0] if t in counted}
    whole = {t for t in sides[1] if t in counted}
    within = part <= whole and "-" not in sides[1]  # A / (A + B)
    narrower = len(part) == len(whole) == 1 and _narrower(counted[min(part)], counted[min(whole)])  # errors / calls
    if not within and not narrower:
        return None  # a count of other things: a ratio such as calls per run, which may exceed 1
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


@dataclass(frozen=True)
class _UnitField:
    """Where an owner keeps the unit its values are shown (a panel) or compared (an alert rule) in."""

    unit: str
    path: str
    holder: str  # "the panel", "the rule"
    field: str  # what to set: "formatting.unit"
    rule: bool = False
    selected: str | None = None  # a rule compares only this query, disabled or not


def _panel_unit(panel: PanelAt) -> _UnitField:
    unit = getattr(panel.formatting, "unit", "")
    return _UnitField(unit if isinstance(unit, str) else "", join(join(panel.plugin_path, "formatting"), "unit"),
                      "the panel", "formatting.unit")  # fmt: skip


def _rule_unit(rule: RuleAt) -> _UnitField | None:
    """SigNoz converts each threshold from its targetUnit into this unit before comparing: a wrong
    one makes the rule compare 0.8 (seconds) with 800,000,000 (800 ms in ns), and never fire."""
    condition = rule.rule.condition
    composite = condition.compositeQuery if condition is not None else None
    if composite is None:
        return None
    unit = composite.unit if isinstance(composite.unit, str) else ""
    selected = condition.selectedQueryName if condition is not None else None
    return _UnitField(unit, join(join("condition", "compositeQuery"), "unit"), "the rule", "condition.compositeQuery.unit",
                      rule=True, selected=selected if isinstance(selected, str) and selected else None)  # fmt: skip


def _unit_hits(ctx: LintContext, owner: PanelAt | RuleAt, at: _UnitField) -> Iterator[Hit]:
    unit, path = at.unit, at.path
    counted: dict[str, _Counted] = {}
    shown: list[tuple[str | None, str, str]] = []  # (expected unit, what, rule)

    def is_shown(query: QueryAt) -> bool:
        return query.name == at.selected if at.selected is not None else not query.disabled

    for query in owner.queries:
        if query.type == "builder_query":
            units = _query_units(ctx, query)
            counted[query.name.upper()] = _Counted(frozenset(u for u, _ in units), query.signal, _conditions(ctx, query))
            if is_shown(query):
                shown.extend((u, e, UNIT) for u, e in units)
    for query in owner.queries:
        if query.type == "builder_formula" and is_shown(query):
            expr = query.expression
            shown.append((_formula_unit(expr, counted), f"formula {expr.strip()}", RATIO_UNIT))
    expected = {u for u, _, _ in shown if u is not None}
    if len(expected) != 1 or not shown:
        return  # nothing known, or a mix of units on one axis: no single right answer
    want = expected.pop()
    what = next(w for u, w, _ in shown if u == want)
    rule_id = next(r for u, _, r in shown if u == want)
    if want == COUNT:
        if unit in _NANOS and all(u == COUNT for u, _, _ in shown):
            yield Hit(
                UNIT, path, f"{owner.label}: {what} counts spans, but {at.holder}'s unit is the duration {unit!r}; "
                f'set {at.field} to "none" (or a count unit)'
            )  # fmt: skip
        return
    if unit == want:
        return
    if want in _UNIT_WORDS:
        if not unit or unit == "none":
            if at.rule:
                return  # a rule without a unit compares its values with its targets as they are
            yield Hit(MISSING_UNIT, path, f"{owner.label}: {what} is in {_UNIT_WORDS[want]} ({want}) but {at.holder} has "
                                          f"no unit; set {at.field} to {want!r}")  # fmt: skip
            return
        yield Hit(
            rule_id,
            path,
            f"{owner.label}: {what} is in {_UNIT_WORDS[want]} ({want}) but {at.holder}'s unit is {unit!r}{_off_by(want, unit)}; "
            f"set {at.field} to {want!r}",
        )
    else:
        yield Hit(
            rule_id,
            path,
            f"{owner.label}: {what} is a ratio of counts (a fraction) but {at.holder} "
            f"{f'unit is {unit!r}' if unit else 'has no unit'}; "
            f"set {at.field} to {want!r}",
        )


def _table_hits(ctx: LintContext, panel: PanelAt) -> Iterator[Hit]:
    column_units = getattr(panel.formatting, "columnUnits", None) or {}
    if not column_units:
        return
    for query in panel.queries:
        if query.type != "builder_query" or query.disabled:
            continue
        for text, _path, _entry in query.expression_aggregations:
            parsed = ctx.aggregation(text)
            want = aggregation_unit(parsed, ctx.catalog is not None) if isinstance(parsed, Aggregation) else None
            if want not in _UNIT_WORDS:
                continue
            for column in (f"{query.name}.{text.strip()}", query.name):  # how the UI keys table columns
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


@finds(UNIT, MISSING_UNIT, RATIO_UNIT)
def check_units(ctx: LintContext) -> Iterator[Hit]:
    for panel in ctx.panels:
        if panel.plugin_kind in _UNIT_PANELS:
            yield from _unit_hits(ctx, panel, _panel_unit(panel))
        elif panel.plugin_kind == "signoz/TablePanel":
            yield from _table_hits(ctx, panel)
    for owner in ctx.owners:
        if isinstance(owner, RuleAt) and (at := _rule_unit(owner)) is not None:
            yield from _unit_hits(ctx, owner, at)
