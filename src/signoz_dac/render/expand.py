"""Expand a definition's semantic panels into SigNoz panels, using the dashboard's telemetry profile.

A panel's numbers come from the profile (span names, attribute keys, units); this module decides
which queries and visualisations answer each semantic panel. The templates give them JSON shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from signoz_dac.errors import DefinitionError, Location
from signoz_dac.profiles import Measure, Profile, get_profile
from signoz_dac.profiles.fields import MATERIALIZED_TRACE_COLUMNS, is_resource_attribute
from signoz_dac.render.filters import all_of, span_is
from signoz_dac.render.generic import expand_generic
from signoz_dac.render.queries import error_rate_builders, measure_filter, percentile_builder, sum_builder
from signoz_dac.render.views import (
    Aggregation,
    Builder,
    Field,
    Formula,
    Link,
    MetricAggregation,
    PanelView,
    Query,
    Threshold,
    VariableView,
)
from signoz_dac.spec import (
    AverageTurnsPerConversation,
    ComponentLatency,
    ConversationsBelowThreshold,
    ConversationsBelowThresholdList,
    ConversationsOverTime,
    Dashboard,
    DynamicVariable,
    ErrorRate,
    ErrorRecords,
    HttpRequestDuration,
    Logs,
    ModelDistribution,
    ModelVariable,
    ServicesAndLanguages,
    TextVariable,
    Thresholds,
    TokenUsage,
    TurnLatency,
    source_map_of,
)
from signoz_dac.spec.generic.panels import GENERIC_PANEL_TYPES
from signoz_dac.spec.panels import PanelBase

SqlRenderer = Callable[..., str]  # (template name, **values) -> SQL text

SERVICE = Field("service.name", "resource", "string")
LANGUAGE = Field("telemetry.sdk.language", "resource", "string")
COMPONENT_NAMES = {"stt": "STT", "llm": "LLM", "tts": "TTS"}
TILE = (3, 3)


@dataclass(frozen=True)
class _Context:
    """Everything a panel expander needs besides the panel itself."""

    dashboard: Dashboard
    profile: Profile
    render_sql: SqlRenderer

    def variable_filter(self, signal: str, span: str | None = None) -> str:
        """`attr IN $var` for each filtering variable that applies to this signal and span."""
        parts = []
        for variable in self.dashboard.variables:
            if isinstance(variable, DynamicVariable) and variable.filter:
                # Span attributes only exist on traces; resource attributes on every signal.
                if signal == "traces" or is_resource_attribute(variable.attribute):
                    parts.append(f"{variable.attribute} IN ${variable.name}")
            elif isinstance(variable, ModelVariable) and span is not None:
                model = self.profile.model[variable.component]
                if span == model.span or span in model.also_on:
                    parts.append(f"{model.attribute} IN ${variable.name}")
        return all_of(*parts)

    def sql_filters(self) -> list[tuple[str, str | None, str]]:
        """(column, map key or None, variable) for each filtering variable the SQL panels honour."""
        out: list[tuple[str, str | None, str]] = []
        for variable in self.dashboard.variables:
            if isinstance(variable, DynamicVariable) and variable.filter:
                if variable.attribute in MATERIALIZED_TRACE_COLUMNS:
                    out.append((MATERIALIZED_TRACE_COLUMNS[variable.attribute], None, variable.name))
                else:
                    column = "resources_string" if is_resource_attribute(variable.attribute) else "attributes_string"
                    out.append((column, variable.attribute, variable.name))
        return out


def expand(dashboard: Dashboard, render_sql: SqlRenderer) -> tuple[list, list[list]]:
    """The dashboard's variables, and its SigNoz panels grouped by section (keys unique, in order)."""
    # A dashboard of generic panels only has no profile (the definition requires one otherwise).
    ctx = _Context(dashboard, get_profile(dashboard.profile) if dashboard.profile else None, render_sql)  # type: ignore[arg-type]
    source = source_map_of(dashboard)
    seen: dict[str, Location | None] = {}
    sections: list[list[PanelView]] = []
    for s_index, section in enumerate(dashboard.sections):
        views: list[PanelView] = []
        for p_index, panel in enumerate(section.panels):
            origin = source.locate(("sections", s_index, "panels", p_index)) if source else None
            try:
                expanded = list(EXPANDERS[panel.type](panel, ctx))
            except DefinitionError as exc:
                if exc.location is not None:
                    raise
                raise DefinitionError(exc.message, origin) from None
            for view in expanded:
                if view.key in seen:
                    raise DefinitionError(
                        f"panel key {view.key!r} is already used"
                        + (f" by the panel at line {seen[view.key].line}" if seen[view.key] else "")
                        + "; give this panel its own `id:`",
                        origin,
                    )
                seen[view.key] = origin
                view.origin = origin
                views.append(view)
        sections.append(views)
    return [_variable_view(v, ctx) for v in dashboard.variables], sections


# ---------------------------------------------------------------------------------------------
# Variables


def _variable_view(variable, ctx: _Context):
    """A model variable's query, from the profile; every other variable renders as written."""
    if not isinstance(variable, ModelVariable):
        return variable
    model = ctx.profile.model[variable.component]
    sql = ctx.render_sql(
        "sql/model_values.sql.j2", spans=[model.span], attribute=model.attribute,
    )
    return VariableView(
        kind="query", name=variable.name, title=variable.title or variable.name, description=variable.description,
        allow_all=variable.allow_all, multiple=variable.multiple, sql=sql,
    )


# ---------------------------------------------------------------------------------------------
# Panels


def _key(panel: PanelBase, default: str, part: str = "") -> str:
    base = panel.id or default
    return f"{base}-{part}" if part else base


def _description(panel: PanelBase, default: str) -> str:
    return panel.description if panel.description is not None else default


def _tile_thresholds(thresholds: Thresholds) -> tuple[Threshold, ...]:
    out = []
    if thresholds.critical is not None:
        out.append(Threshold(thresholds.critical, "Red", "critical"))
    if thresholds.warning is not None:
        out.append(Threshold(thresholds.warning, "Orange", "warning"))
    return tuple(out)


def _measure_aggregations(measure: Measure, average: bool, percentiles: list[int]) -> list[tuple[str, str]]:
    """(legend, expression) pairs: avg and the percentiles of one measure."""
    out = [("avg", f"avg({measure.attribute})")] if average else []
    out += [(f"p{p}", f"p{p}({measure.attribute})") for p in sorted(set(percentiles))]
    return out


def _measure_filter(measure: Measure, ctx: _Context, extra: str) -> str:
    return measure_filter(measure, ctx.variable_filter("traces", measure.span), extra)


def _token_usage(panel: TokenUsage, ctx: _Context) -> Iterator[PanelView]:
    p = ctx.profile
    tokens = {"input": p.input_tokens, "output": p.output_tokens}

    def builder(name: str, m: Measure, legend: str = "") -> Builder:
        return sum_builder(name, m, ctx.variable_filter("traces", m.span), panel.filter, legend=legend)

    note = f"Summed over `{p.input_tokens.span}` spans only, so each LLM call counts once."
    if panel.tiles:
        for part, m in tokens.items():
            yield PanelView(
                key=_key(panel, "token-usage", part), kind="number",
                title=f"{part.capitalize()} tokens", description=_description(panel, note),
                query=Query(builders=(builder("A", m),)),
                width=TILE[0], height=TILE[1], unit="none", decimals="0",
            )
    if panel.over_time:
        builders = tuple(builder(name, m, legend=part) for name, (part, m) in zip("AB", tokens.items()))
        yield PanelView(
            key=_key(panel, "token-usage", "over-time"), kind="time_series",
            title=panel.title or "Tokens over time", description=_description(panel, note),
            query=Query(builders=builders), width=panel.size.width, height=panel.size.height,
            unit="none", decimals="0",
        )


def _error_rate(panel: ErrorRate, ctx: _Context) -> Iterator[PanelView]:
    calls = ctx.profile.call_spans
    query = Query(
        builders=error_rate_builders(ctx.profile, ctx.variable_filter("traces"), panel.filter),
        formulas=(Formula("F1", "A / B", "error rate"),),
    )
    description = _description(
        panel, f"Failed provider calls ({', '.join(calls)} spans with an error status) / all such calls."
    )
    if panel.tile:
        yield PanelView(
            key=_key(panel, "error-rate"), kind="number", title=panel.title or "Error rate",
            description=description, query=query, width=TILE[0], height=TILE[1],
            unit="percentunit", thresholds=_tile_thresholds(panel.thresholds),
        )
    if panel.over_time:
        yield PanelView(
            key=_key(panel, "error-rate", "over-time"), kind="time_series",
            title=f"{panel.title or 'Error rate'} over time", description=description, query=query,
            width=panel.size.width, height=panel.size.height, unit="percentunit",
            thresholds=_tile_thresholds(panel.thresholds),
        )


def _model_distribution(panel: ModelDistribution, ctx: _Context) -> Iterator[PanelView]:
    model = ctx.profile.model[panel.component]
    name = COMPONENT_NAMES[panel.component]
    flt = all_of(
        span_is(model.span), f"{model.attribute} EXISTS", ctx.variable_filter("traces", model.span), panel.filter
    )
    yield PanelView(
        key=_key(panel, f"model-distribution-{panel.component}"), kind="pie",
        title=panel.title or f"{name} model distribution",
        description=_description(panel, f"Calls per model, counted on `{model.span}` spans only."),
        query=Query(builders=(Builder(
            "A", "traces", flt, (Aggregation("count()"),),
            group_by=(Field(model.attribute, "attribute", "string"),), legend=f"{{{{{model.attribute}}}}}",
        ),)),
        width=panel.size.width, height=panel.size.height,
    )


def _conversations_over_time(panel: ConversationsOverTime, ctx: _Context) -> Iterator[PanelView]:
    span = ctx.profile.conversation_span
    yield PanelView(
        key=_key(panel, "conversations-over-time"), kind="time_series",
        title=panel.title or "Conversations over time",
        description=_description(panel, f"Conversations started, one `{span}` span each. {ctx.profile.conversation_note}"),
        query=Query(builders=(Builder(
            "A", "traces", all_of(span_is(span), ctx.variable_filter("traces", span), panel.filter),
            (Aggregation("count()"),), group_by=(SERVICE,) if panel.by_service else (),
            legend="{{service.name}}" if panel.by_service else "conversations",
        ),)),
        width=panel.size.width, height=panel.size.height, unit="none", decimals="0",
    )


def _latency_builders(measure: Measure, ctx: _Context, panel, percentiles) -> tuple[Builder, ...]:
    flt = _measure_filter(measure, ctx, panel.filter)
    return tuple(
        Builder(chr(ord("A") + i), "traces", flt, (Aggregation(expr),), legend=legend)
        for i, (legend, expr) in enumerate(_measure_aggregations(measure, panel.average, percentiles))
    )


def _turn_latency(panel: TurnLatency, ctx: _Context) -> Iterator[PanelView]:
    measure = ctx.profile.turn_latency
    if measure is None:
        return
    title = panel.title or "Voice-to-voice turn latency"
    description = _description(panel, f"`{measure.attribute}` on `{measure.span}` spans. {measure.note}")
    if panel.tile:
        yield PanelView(
            key=_key(panel, "turn-latency", "p95"), kind="number", title=f"{title} (P95)",
            description=description,
            query=Query(builders=(percentile_builder(
                "A", measure, 95, ctx.variable_filter("traces", measure.span), panel.filter,
            ),)),
            width=TILE[0], height=TILE[1], unit=measure.unit, thresholds=_tile_thresholds(panel.thresholds),
        )
    yield PanelView(
        key=_key(panel, "turn-latency"), kind="time_series", title=title, description=description,
        query=Query(builders=_latency_builders(measure, ctx, panel, panel.percentiles)),
        width=panel.size.width, height=panel.size.height, unit=measure.unit,
        thresholds=_tile_thresholds(panel.thresholds),
    )


_COMPONENT_TITLES = {"stt": "STT latency", "llm": "LLM time to first token", "tts": "TTS time to first byte"}


def _component_latency(panel: ComponentLatency, ctx: _Context) -> Iterator[PanelView]:
    measure = ctx.profile.component_latency[panel.component]
    yield PanelView(
        key=_key(panel, f"component-latency-{panel.component}"), kind="time_series",
        title=panel.title or _COMPONENT_TITLES[panel.component],
        description=_description(panel, f"`{measure.attribute}` on `{measure.span}` spans. {measure.note}"),
        query=Query(builders=_latency_builders(measure, ctx, panel, panel.percentiles)),
        width=panel.size.width, height=panel.size.height, unit=measure.unit,
        thresholds=_tile_thresholds(panel.thresholds),
    )


def _http_request_duration(panel: HttpRequestDuration, ctx: _Context) -> Iterator[PanelView]:
    yield PanelView(
        key=_key(panel, "http-request-duration"), kind="time_series",
        title=panel.title or f"HTTP client duration (P{panel.percentile})",
        description=_description(
            panel,
            f"The `{panel.metric}` histogram. It exists only when the OpenTelemetry HTTP client "
            "instrumentation (aiohttp-client or httpx) runs in the agent; the frameworks do not emit it.",
        ),
        query=Query(builders=(Builder(
            "A", "metrics", all_of(ctx.variable_filter("metrics"), panel.filter),
            (MetricAggregation(panel.metric, f"p{panel.percentile}"),),
            group_by=(SERVICE,), legend="{{service.name}}",
        ),)),
        width=panel.size.width, height=panel.size.height, unit=panel.unit,
    )


def _services_and_languages(panel: ServicesAndLanguages, ctx: _Context) -> Iterator[PanelView]:
    span = ctx.profile.conversation_span
    yield PanelView(
        key=_key(panel, "services-and-languages"), kind="table",
        title=panel.title or "Services and languages",
        description=_description(panel, f"Conversations (`{span}` spans) per service and SDK language."),
        query=Query(builders=(Builder(
            "A", "traces", all_of(span_is(span), ctx.variable_filter("traces", span), panel.filter),
            (Aggregation("count()", alias="conversations"),), group_by=(SERVICE, LANGUAGE),
        ),)),
        width=panel.size.width, height=panel.size.height, column_units={"conversations": "none"},
    )


def _error_records(panel: ErrorRecords, ctx: _Context) -> Iterator[PanelView]:
    fields = (
        Field("service.name", "resource", "string", "traces"),
        Field("name", "span", "string", "traces"),
        Field("status_message", "span", "string", "traces"),
        Field("duration_nano", "span", "int64", "traces"),
        Field("trace_id", "span", "string", "traces"),
    )
    yield PanelView(
        key=_key(panel, "error-records"), kind="list", title=panel.title or "Error records",
        description=_description(panel, "The most recent spans with an error status. Click a row to open its trace."),
        query=Query(builders=(Builder(
            "A", "traces", all_of("has_error = true", ctx.variable_filter("traces"), panel.filter),
            order=(("timestamp", "desc"),), select_fields=fields, limit=panel.limit,
        ),)),
        width=panel.size.width, height=panel.size.height, select_fields=fields,
    )


def _logs(panel: Logs, ctx: _Context) -> Iterator[PanelView]:
    fields = (Field("timestamp", "log", "", "logs"), Field("severity_text", "log", "string", "logs"),
              Field("body", "log", "string", "logs"))
    yield PanelView(
        key=_key(panel, "logs"), kind="list", title=panel.title or "Logs",
        description=_description(panel, "The services' most recent log records."),
        query=Query(builders=(Builder(
            "A", "logs", all_of(ctx.variable_filter("logs"), panel.filter),
            order=(("timestamp", "desc"),), limit=panel.limit,
        ),)),
        width=panel.size.width, height=panel.size.height, select_fields=fields,
    )


def _threshold_variable(panel, ctx: _Context) -> str:
    for variable in ctx.dashboard.variables:
        if variable.name == panel.variable and isinstance(variable, TextVariable):
            return variable.name
    raise DefinitionError(
        f"panel type {panel.type!r} needs a text variable named {panel.variable!r} "
        f"(add `- {{kind: text, name: {panel.variable}, default: \"3\"}}` under variables, "
        "or set the panel's `variable:`)"
    )


def _conversation_sql(template: str, panel, ctx: _Context, **extra) -> str:
    p = ctx.profile
    return ctx.render_sql(
        template,
        conversation_span=p.conversation_span,
        turn_span=p.turns.span,
        turn_unless=p.turns.unless_attribute,
        lookback_seconds=panel.lookback_seconds,
        threshold_variable=_threshold_variable(panel, ctx),
        filters=ctx.sql_filters(),
        **extra,
    )


def _finished_note(ctx: _Context, panel) -> str:
    p = ctx.profile
    return (
        f"Conversations (`{p.conversation_span}` spans) that ended inside the time range, with all "
        f"their `{p.turns.span}` turns, including turns up to {panel.lookback} before the range."
    )


def _conversations_below_threshold(panel: ConversationsBelowThreshold, ctx: _Context) -> Iterator[PanelView]:
    yield PanelView(
        key=_key(panel, "conversations-below-threshold"), kind="number",
        title=panel.title or f"Conversations below ${panel.variable} turns",
        description=_description(panel, _finished_note(ctx, panel)),
        query=Query(sql=_conversation_sql("sql/conversations_below_threshold.sql.j2", panel, ctx)),
        width=panel.size.width, height=panel.size.height, unit="none", decimals="0",
    )


def _average_turns(panel: AverageTurnsPerConversation, ctx: _Context) -> Iterator[PanelView]:
    yield PanelView(
        key=_key(panel, "average-turns-per-conversation"), kind="number",
        title=panel.title or "Average turns per conversation",
        description=_description(panel, _finished_note(ctx, panel)),
        query=Query(sql=_conversation_sql("sql/average_turns_per_conversation.sql.j2", panel, ctx)),
        width=panel.size.width, height=panel.size.height, unit="none", decimals="1",
    )


def _below_threshold_list(panel: ConversationsBelowThresholdList, ctx: _Context) -> Iterator[PanelView]:
    yield PanelView(
        key=_key(panel, "conversations-below-threshold-list"), kind="table",
        title=panel.title or f"Short conversations: fewer than ${panel.variable} turns",
        description=_description(panel, _finished_note(ctx, panel) + " Click a trace id to open the trace."),
        query=Query(sql=_conversation_sql("sql/conversations_below_threshold_list.sql.j2", panel, ctx, limit=panel.limit)),
        width=panel.size.width, height=panel.size.height, column_units={"turns": "none"},
        links=(Link("Open trace", "/trace/{{trace_id}}", "Open this conversation's trace"),),
    )


EXPANDERS: dict[str, Callable[..., Iterator[PanelView]]] = {
    "token_usage": _token_usage,
    "error_rate": _error_rate,
    "model_distribution": _model_distribution,
    "conversations_over_time": _conversations_over_time,
    "turn_latency": _turn_latency,
    "component_latency": _component_latency,
    "http_request_duration": _http_request_duration,
    "services_and_languages": _services_and_languages,
    "error_records": _error_records,
    "logs": _logs,
    "conversations_below_threshold": _conversations_below_threshold,
    "average_turns_per_conversation": _average_turns,
    "conversations_below_threshold_list": _below_threshold_list,
    # Generic panels (query, sql, promql) are already SigNoz panels: they pass through as written.
    **dict.fromkeys(GENERIC_PANEL_TYPES, expand_generic),
}

__all__ = ["EXPANDERS", "expand"]
