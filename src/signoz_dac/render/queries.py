"""The builder queries a panel and an alert rule share, built from one place.

Each function takes profile facts plus extra filter parts (a dashboard's variables, a user's
filter, an alert's services) and returns the filter or builder query that answers one measure.
`expand.py` (panels) and `render/alerts` (rules) both build from here, so an alert always queries
the same spans and attributes as the panel that shows it.
"""

from __future__ import annotations

from signoz_dac.profiles import Measure, Profile, TurnCount
from signoz_dac.render.filters import all_of, span_in, span_is
from signoz_dac.render.views import Aggregation, Builder


def measure_filter(measure: Measure, *extra: str) -> str:
    """The spans that carry a measure: its span name, the attribute present, errors left out if needed."""
    return all_of(
        span_is(measure.span),
        f"{measure.attribute} EXISTS",
        "has_error = false" if measure.exclude_errors else "",
        *extra,
    )


def percentile_builder(name: str, measure: Measure, percentile: int, *extra: str, legend: str = "") -> Builder:
    """`pNN(attribute)` over the spans that carry the measure."""
    return Builder(
        name, "traces", measure_filter(measure, *extra), (Aggregation(f"p{percentile}({measure.attribute})"),),
        legend=legend,
    )


def sum_builder(name: str, measure: Measure, *extra: str, legend: str = "", disabled: bool = False) -> Builder:
    """`sum(attribute)` over the measure's span only (e.g. tokens: each LLM call counts once)."""
    return Builder(
        name, "traces", all_of(span_is(measure.span), *extra), (Aggregation(f"sum({measure.attribute})"),),
        legend=legend, disabled=disabled,
    )


def error_rate_builders(profile: Profile, *extra: str) -> tuple[Builder, Builder]:
    """A: failed provider calls, B: all provider calls (both disabled: a formula divides them)."""
    base = all_of(span_in(profile.call_spans), *extra)
    return (
        Builder("A", "traces", all_of(base, "has_error = true"), (Aggregation("count()"),), disabled=True),
        Builder("B", "traces", base, (Aggregation("count()"),), disabled=True),
    )


def turn_filter(turns: TurnCount, *extra: str) -> str:
    """The spans that count as turns (the same rule the turn-count SQL panels apply)."""
    return all_of(
        span_is(turns.span),
        f"{turns.unless_attribute} NOT EXISTS" if turns.unless_attribute else "",
        *extra,
    )


def turn_count_builder(name: str, turns: TurnCount, *extra: str, disabled: bool = False) -> Builder:
    return Builder(name, "traces", turn_filter(turns, *extra), (Aggregation("count()"),), disabled=disabled)
