"""The builder queries a panel and an alert rule share, built from one place.

Each function takes profile facts plus extra filter parts (a dashboard's variables, a user's
filter, an alert's services) and returns the filter or builder queries that answer one measure.
`expand.py` (panels) and `render/alerts` (rules) both build from here, so an alert always queries
the same spans and attributes as the panel that shows it.

What they build are the generic definition models (`definitions/generic`), the one shape the
templates render: a voice panel or rule is exactly the generic panel or query it could have been
written as. `builder` and `key` state every option they set, whatever the dashboard's style.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from signoz_dac.definitions.generic.fields import FieldKey, OrderBy
from signoz_dac.definitions.generic.queries import Aggregation, BuilderQuery, Formula, MetricAggregation, MetricsQuery
from signoz_dac.profiles import Measure, Profile, SpanCount, TurnCount
from signoz_dac.render.filters import all_of, span_in, span_is

Builder = BuilderQuery | MetricsQuery


def key(name: str, context: str, data_type: str = "", signal: str = "") -> FieldKey:
    """A telemetry field key (group by, select field) with its context and type spelled out."""
    return FieldKey(name=name, signal=signal, context=context, type=data_type)


def builder(
    name: str,
    signal: str,
    filter: str,
    aggregations: Iterable[Aggregation | MetricAggregation] = (),
    *,
    group_by: Iterable[FieldKey] = (),
    order: Iterable[tuple[str, str]] = (),  # (key, asc|desc)
    select_fields: Iterable[FieldKey] = (),
    limit: int | None = None,
    legend: str = "",
    disabled: bool = False,
    step: int | None = None,  # stepInterval in seconds; alert rules set it, panels let SigNoz choose
) -> Builder:
    """One builder query: a metrics query when `signal` is metrics (aggregations name a metric),
    else a traces or logs query (aggregations are expressions)."""
    options: dict[str, object] = {
        "name": name, "signal": signal, "disabled": disabled, "filter": filter, "group_by": list(group_by),
        "order": [OrderBy(key=FieldKey(name=k), direction=direction) for k, direction in order], "legend": legend,
    }
    if step is not None:
        options["step"] = step
    select = list(select_fields)
    if select:
        options["select_fields"] = select
    if limit is not None:
        options["limit"] = limit
    if signal == "metrics":
        return MetricsQuery(aggregations=list(aggregations), **options)  # type: ignore[arg-type]
    return BuilderQuery(aggregations=list(aggregations), **options)  # type: ignore[arg-type]


def aggregation(expression: str, alias: str | None = None) -> Aggregation:
    """A traces or logs aggregation (`count()`, `p95(duration_nano)`), with its column alias if any."""
    return Aggregation(expression=expression) if alias is None else Aggregation(expression=expression, alias=alias)


def number(value: float) -> str:
    """A number as the filter language and formulas read it: 0.8, 1200, never 0.30000000000000004."""
    return f"{value:.9g}"


def span_count_filter(spans: SpanCount, *extra: str) -> str:
    """The spans a profile counts: their name, then each of the profile's conditions."""
    return all_of(span_is(spans.span), *spans.where, *extra)


def probe_filter(profile: Profile) -> str:
    """Leaves out provider calls no user waited for (the profile's background probes), if any."""
    return f"{profile.probe.attribute} != true" if profile.probe else ""


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
    return builder(
        name, "traces", measure_filter(measure, *extra), [aggregation(f"p{percentile}({measure.attribute})")], legend=legend,
    )


TokenPart = Literal["input_tokens", "cached_input_tokens", "output_tokens"]


@dataclass(frozen=True)
class TokenCount:
    """One token count as panels and rules sum it: its attribute over every span that reports it
    once per model call (an LLM call's span, a speech-to-speech model's reply)."""

    attribute: str
    spans: tuple[str, ...]
    left_out: tuple[Measure, ...] = ()  # replies that report the count under another attribute


def token_count(profile: Profile, part: TokenPart) -> TokenCount | None:
    """The profile's LLM calls and speech-to-speech replies that carry one token count (None: not
    recorded). Both report it under the same GenAI attribute, so one query sums both; a reply that
    names it otherwise (livekit-agents < 1.8: cached tokens) is left out, and said so."""
    llm: Measure | None = getattr(profile, part)
    realtime: Measure | None = getattr(profile.realtime, part) if profile.realtime else None
    if llm is None:
        return None
    if realtime is None or realtime.span == llm.span:
        return TokenCount(llm.attribute, (llm.span,))
    if realtime.attribute != llm.attribute:
        return TokenCount(llm.attribute, (llm.span,), left_out=(realtime,))
    return TokenCount(llm.attribute, (llm.span, realtime.span))


def token_builder(name: str, tokens: TokenCount, *extra: str, function: str = "sum", legend: str = "",
                  disabled: bool = False) -> Builder:
    """`sum(attribute)` (or `rate_sum`) over the spans that report a token count: each model call once."""
    return builder(
        name, "traces", all_of(span_in(tokens.spans), *extra), [aggregation(f"{function}({tokens.attribute})")],
        legend=legend, disabled=disabled,
    )


def tokens_about(counts: list[TokenCount]) -> str:
    """Which spans the token counts are summed over, for panel and rule descriptions."""
    llm = list(dict.fromkeys(c.spans[0] for c in counts))
    replies = list(dict.fromkeys(span for c in counts for span in c.spans[1:]))
    text = f"Summed over `{'`, `'.join(llm)}` spans"
    if replies:
        text += f" (LLM calls) and `{'`, `'.join(replies)}` spans (a speech-to-speech model's replies)"
    text += " only, so each model call counts once."
    for measure in dict.fromkeys(m for c in counts for m in c.left_out):
        text += f" Not counted: `{measure.attribute}` on `{measure.span}` (a speech-to-speech reply's own name for it)."
    return text


def _count(name: str, flt: str) -> Builder:
    return builder(name, "traces", flt, [aggregation("count()")], disabled=True)


def error_rate_query(profile: Profile, *extra: str) -> tuple[tuple[Builder, Builder], str]:
    """A: failed provider calls, B: all provider calls (both disabled), and the formula A / B.

    A call counts once, as the request the framework made to the provider: a retry that succeeded
    leaves the request without an error (LiveKit marks the failed attempt's `*_run` span instead),
    and the profile's probes, calls no user waited for (LiveKit's fallback recovery probes), are left out.
    """
    base = all_of(span_in(profile.call_spans), probe_filter(profile), *extra)
    return (_count("A", all_of(base, "has_error = true")), _count("B", base)), "A / B"


def error_rate_about(profile: Profile, over: str = "") -> str:
    """What an error rate counts and what it cannot see, for the panel's and the rule's descriptions."""
    probes = f" Background probes (`{profile.probe.attribute} = true`) are left out." if profile.probe else ""
    unseen = profile.blind_spots.get("error_rate", "")
    return (
        f"Failed provider requests ({', '.join(profile.call_spans)} spans with an error status) / all such "
        f"requests{over}. A request retried to success is not an error; a primary that failed before a "
        f"fallback served the turn still is, under the primary's provider.{probes} {unseen}"
    ).strip()


def latency_share_query(measure: Measure, level_seconds: float, *extra: str) -> tuple[tuple[Builder, Builder], str]:
    """A: spans of the measure slower than the level, B: all spans that carry it; A / B is the share."""
    flt = measure_filter(measure, *extra)
    slow = all_of(flt, f"{measure.attribute} > {number(level_seconds)}")
    return (_count("A", slow), _count("B", flt)), "A / B"


def dead_air_query(profile: Profile, *extra: str) -> tuple[tuple[Builder, Builder], str]:
    """A: turns that expected a reply, B: those the agent answered; (A - B) / A is the dead-air share."""
    assert profile.dead_air is not None
    return (
        _count("A", span_count_filter(profile.dead_air.needs_reply, *extra)),
        _count("B", span_count_filter(profile.dead_air.replied, *extra)),
    ), "(A - B) / A"


def call_starts(profile: Profile) -> SpanCount:
    """The spans that count calls started: the profile's call start, else its conversation span
    (exported only when the call ends)."""
    return profile.call_start or SpanCount(span=profile.conversation_span, note=profile.conversation_note)


def call_count_builder(name: str, profile: Profile, *extra: str, disabled: bool = False, legend: str = "") -> Builder:
    """One count per call, from the span each call exports as it starts."""
    return builder(name, "traces", span_count_filter(call_starts(profile), *extra), [aggregation("count()")],
                   disabled=disabled, legend=legend)


def turn_filter(turns: TurnCount, *extra: str) -> str:
    """The spans that count as turns (the same rule the turn-count SQL panels apply)."""
    return all_of(
        span_is(turns.span),
        f"{turns.unless_attribute} NOT EXISTS" if turns.unless_attribute else "",
        *extra,
    )


def ratio_formula(expression: str, scale: int = 1, legend: str = "") -> Formula:
    """The formula over a ratio query's inputs, times `scale` (100 for percent)."""
    return formula("F1", f"({expression}) * {scale}" if scale != 1 else expression, legend)


def formula(name: str, expression: str, legend: str) -> Formula:
    return Formula(name=name, formula=expression, legend=legend)
