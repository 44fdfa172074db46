"""Expand a definition's semantic panels into generic panels, using the dashboard's telemetry profile.

A panel's numbers come from the profile (span names, attribute keys, units); this module decides
which queries and visualisations answer each semantic panel, and writes them as the generic panels
(`definitions/generic`) a definition could have held itself: the templates render only those.
A panel whose numbers the profile does not record (LiveKit's close reason under the pre-1.8.2
profile, say) expands to nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from signoz_dac.definitions import (
    AverageTurnsPerConversation,
    CallDuration,
    CallEndReasons,
    ComponentLatency,
    ConversationsBelowThreshold,
    ConversationsBelowThresholdList,
    ConversationsOverTime,
    CostPerCall,
    Dashboard,
    DeadAir,
    DynamicVariable,
    EndOfUtterance,
    ErrorRate,
    ErrorRecords,
    HttpRequestDuration,
    InterruptionsPerCall,
    LatencyByProvider,
    Logs,
    ModelDistribution,
    ModelVariable,
    RealtimeLatency,
    ServicesAndLanguages,
    ShortestConversations,
    TextVariable,
    Thresholds,
    TokensPerCallPanel,
    TokenUsage,
    ToolCalls,
    TtsWithoutAudio,
    TurnLatency,
    source_map_of,
)
from signoz_dac.definitions.generic.fields import FieldKey
from signoz_dac.definitions.generic.panels import (
    KIND_OPTIONS,
    GenericPanel,
    GridSize,
    Legend,
    Link,
    QueryPanel,
    SqlPanel,
    Threshold,
)
from signoz_dac.definitions.generic.queries import Formula, MetricAggregation, SqlQuery
from signoz_dac.definitions.generic.variables import QueryVariable
from signoz_dac.definitions.load import JsonPath
from signoz_dac.definitions.panels import FilteredPanel, PanelBase, Size
from signoz_dac.definitions.variables import Variable
from signoz_dac.errors import DefinitionError, Location
from signoz_dac.profiles import Attribute, Measure, Profile, get_profile
from signoz_dac.profiles.fields import MATERIALIZED_TRACE_COLUMNS, is_resource_attribute
from signoz_dac.profiles.model import Component
from signoz_dac.render import views
from signoz_dac.render.filters import all_of, span_in, span_is, user_filter
from signoz_dac.render.queries import (
    Builder,
    aggregation,
    builder,
    call_count_builder,
    call_starts,
    dead_air_query,
    error_rate_about,
    error_rate_query,
    formula,
    key,
    measure_filter,
    percentile_builder,
    span_count_filter,
    token_builder,
    token_count,
    tokens_about,
    turn_filter,
)

SqlRenderer = Callable[[views.SqlView], str]  # a SQL template's view -> SQL text
Panel = QueryPanel | SqlPanel
Level = tuple[float, str, str]  # (value, colour, label): a line on a chart, a colour on a tile

SERVICE = key("service.name", "resource", "string")
LANGUAGE = key("telemetry.sdk.language", "resource", "string")
SPAN_NAME = key("name", "span", "string")
TRACE_ID = key("trace_id", "span", "string")
COMPONENT_NAMES = {"stt": "STT", "llm": "LLM", "tts": "TTS"}
TILE = (3, 3)
# Levels drawn when neither the panel nor an alert rule of the definition sets them.
DEFAULT_LEVELS = {
    "turn_latency_p95": Thresholds(warning=0.8, critical=1.2),  # seconds
    "error_rate": Thresholds(warning=0.01, critical=0.05),  # fractions
    "dead_air": Thresholds(warning=0.05, critical=0.10),
    "tts_without_audio": Thresholds(warning=0.01, critical=0.05),  # a failure rate, as the error rate's
}
# How a rule's levels convert to the panel's unit: latency rules are in ms or s, ratio rules in percent.
_PER_SECOND = {"ms": 1000.0, "s": 1.0}


@dataclass(frozen=True)
class Expanded:
    """One generic panel of a section, with the definition line it came from, and the definition
    panel it came from (itself for a generic panel) at its path in the definition."""

    panel: GenericPanel
    origin: Location | None
    written: PanelBase | GenericPanel
    at: JsonPath


# Fields SigNoz keeps only on log records (columns of its logs table, not attributes).
LOG_FIELDS = frozenset({"body", "severity_text", "severity_number"})


def carried_by(variable: DynamicVariable) -> frozenset[str]:
    """The signals whose records can carry a dynamic variable's attribute, so the panels of those
    signals filter on it; a query filtered on an attribute its records lack matches nothing.

    A resource attribute is on every signal of a service, a log field only on logs; any other
    attribute on the signal the variable's values are looked up from (traces for `all`: the
    voice panels read traces).
    """
    if is_resource_attribute(variable.attribute):
        return frozenset({"traces", "logs", "metrics"})
    if variable.attribute in LOG_FIELDS:
        return frozenset({"logs"})
    return frozenset({"traces" if variable.signal == "all" else variable.signal})


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
                if signal in carried_by(variable):
                    parts.append(f"{variable.attribute} IN ${variable.name}")
            elif isinstance(variable, ModelVariable) and span is not None:
                model = self.profile.model[variable.component]
                if span == model.span or span in model.also_on:
                    parts.append(f"{model.attribute} IN ${variable.name}")
        return all_of(*parts)

    def sql_filters(self) -> tuple[tuple[str, str | None, str], ...]:
        """(column, map key or None, variable) for each filtering variable the SQL panels honour
        (they read the trace table)."""
        out: list[tuple[str, str | None, str]] = []
        for variable in self.dashboard.variables:
            if isinstance(variable, DynamicVariable) and variable.filter and "traces" in carried_by(variable):
                if variable.attribute in MATERIALIZED_TRACE_COLUMNS:
                    out.append((MATERIALIZED_TRACE_COLUMNS[variable.attribute], None, variable.name))
                else:
                    column = "resources_string" if is_resource_attribute(variable.attribute) else "attributes_string"
                    out.append((column, variable.attribute, variable.name))
        return tuple(out)

    def levels(self, own: Thresholds | None, rule_type: str, component: str | None = None) -> Thresholds:
        """The lines a chart draws: the panel's own, else the levels of the definition's first
        enabled rule of that type, in the panel's unit (seconds, fractions), else the defaults."""
        if own is not None:
            return own
        for rule in self.dashboard.alerts.rules:
            if rule.type != rule_type or not rule.enabled or getattr(rule, "component", None) != component:
                continue
            scale = 1 / _PER_SECOND[rule.unit] if hasattr(rule, "unit") else 0.01
            return Thresholds(
                warning=None if rule.warning is None else rule.warning * scale,
                critical=None if rule.critical is None else rule.critical * scale,
            )
        return DEFAULT_LEVELS.get(rule_type, Thresholds())


def expand(dashboard: Dashboard, render_sql: SqlRenderer) -> tuple[list[Variable], list[list[Expanded]]]:
    """The dashboard's variables (a model variable as the query variable it stands for), and its
    generic panels grouped by section, in order."""
    # A dashboard of generic panels only has no profile (the definition requires one otherwise).
    ctx = _Context(dashboard, get_profile(dashboard.profile) if dashboard.profile else None, render_sql)  # type: ignore[arg-type]
    source = source_map_of(dashboard)
    sections: list[list[Expanded]] = []
    for s_index, section in enumerate(dashboard.sections):
        expanded: list[Expanded] = []
        for p_index, panel in enumerate(section.panels):
            at = ("sections", s_index, "panels", p_index)
            origin = source.locate(at) if source else None
            if isinstance(panel, GenericPanel):
                expanded.append(Expanded(panel, origin, panel, at))  # already a SigNoz panel: as written
                continue
            if isinstance(panel, FilteredPanel) and panel.filter:
                # Expanders AND the filter with the panel's own conditions: it must be one parsed unit.
                where = source.locate((*at, "filter")) if source else None
                panel = panel.model_copy(update={"filter": user_filter(panel.filter, where)})
            try:
                expanded += [Expanded(_colored(p, panel.colors), origin, panel, at) for p in EXPANDERS[panel.type](panel, ctx)]
            except DefinitionError as exc:
                if exc.location is not None:
                    raise
                raise DefinitionError(exc.message, origin) from None
        sections.append(expanded)
    return [_variable(v, ctx) for v in dashboard.variables], sections


def _colored(panel: Panel, colors: dict[str, str] | None) -> Panel:
    """A voice panel's legend colours, on the panels it expands into that have a legend."""
    if colors is None or "legend" not in KIND_OPTIONS[panel.kind]:
        return panel
    return panel.model_copy(update={"legend": Legend(colors=colors)})


# ---------------------------------------------------------------------------------------------
# Variables


def _variable(variable: Variable, ctx: _Context) -> Variable:
    """A model variable's query, from the profile; every other variable renders as written."""
    if not isinstance(variable, ModelVariable):
        return variable
    model = ctx.profile.model[variable.component]
    spans = [model.span, *model.also_on]
    realtime = ctx.profile.realtime
    if variable.component == "llm" and realtime and realtime.input_tokens.span not in spans:
        # The LLM panels filter a speech-to-speech model's replies by this variable too (livekit
        # 1.7: its `agent_turn`s); a model missing from the options would drop them at ALL.
        spans.append(realtime.input_tokens.span)
    return QueryVariable(
        kind="query", name=variable.name, title=variable.title or variable.name, description=variable.description,
        allow_all=variable.allow_all, multiple=variable.multiple,
        sql=ctx.render_sql(views.ModelValuesSql(spans=tuple(spans), attribute=model.attribute)),
    )


# ---------------------------------------------------------------------------------------------
# Small helpers


def _key(panel: PanelBase, default: str, part: str = "") -> str:
    base = panel.id or default
    return f"{base}-{part}" if part else base


def _description(panel: PanelBase, default: str) -> str:
    return panel.description if panel.description is not None else default


def _panel(
    key: str,
    kind: str,
    title: str,
    description: str,
    size: Size | tuple[int, int],
    *,
    queries: Iterable[Builder | Formula] = (),
    sql: str | None = None,
    unit: str | None = None,
    decimals: str | None = None,
    levels: tuple[Level, ...] = (),
    column_units: dict[str, str] | None = None,
    select_fields: Iterable[FieldKey] = (),
    links: Iterable[Link] = (),
) -> Panel:
    """A voice panel as the generic panel it is: `queries` (builder queries and formulas) or one
    ClickHouse `sql` query. Levels are lines with a label on a chart (in the chart's unit) and
    colours on a number tile; a table's column units are written in key order."""
    width, height = size if isinstance(size, tuple) else (size.width, size.height)
    options: dict[str, Any] = {
        "kind": kind, "id": key, "title": title, "description": description, "size": GridSize(width=width, height=height),
    }
    if unit is not None:
        options["unit"] = unit
    if decimals is not None:
        options["decimals"] = decimals
    if kind == "time_series":
        in_unit: dict[str, Any] = {"unit": unit} if unit is not None else {}
        options["thresholds"] = [Threshold(value=v, color=c, label=label, **in_unit) for v, c, label in levels]
    elif kind == "number":
        options["thresholds"] = [Threshold(value=v, color=c) for v, c, _ in levels]
    if kind == "table":
        options["column_units"] = dict(sorted((column_units or {}).items()))
    if kind == "list":
        options["select_fields"] = list(select_fields)
    if links:
        options["links"] = list(links)
    if sql is not None:
        return SqlPanel(type="sql", queries=[SqlQuery(name="A", sql=sql, legend="")], **options)
    return QueryPanel(type="query", queries=list(queries), **options)


def _levels(thresholds: Thresholds) -> tuple[Level, ...]:
    out = []
    if thresholds.critical is not None:
        out.append((thresholds.critical, "Red", "critical"))
    if thresholds.warning is not None:
        out.append((thresholds.warning, "Orange", "warning"))
    return tuple(out)


def _attribute_field(attribute: Attribute) -> FieldKey:
    """A profile's string attribute as a group-by field."""
    return key(attribute.attribute, "attribute", "string")


def _legend(fields: tuple[FieldKey, ...], prefix: str = "") -> str:
    """`{{service.name}} {{gen_ai.provider.name}}`: one series name per group, after an optional prefix."""
    return " ".join(([prefix] if prefix else []) + [f"{{{{{f.name}}}}}" for f in fields])


def _grouped(query: Builder, fields: tuple[FieldKey, ...]) -> Builder:
    legend = _legend(fields, query.legend) if fields else query.legend
    return query.model_copy(update={"group_by": list(fields), "legend": legend})


def _measure_aggregations(measure: Measure, average: bool, percentiles: Sequence[int]) -> list[tuple[str, str]]:
    """(legend, expression) pairs: avg and the percentiles of one measure."""
    out = [("avg", f"avg({measure.attribute})")] if average else []
    out += [(f"p{p}", f"p{p}({measure.attribute})") for p in sorted(set(percentiles))]
    return out


def _latency_builders(measure: Measure, ctx: _Context, panel: Any, percentiles: Sequence[int],
                      fields: tuple[FieldKey, ...] = ()) -> list[Builder]:
    flt = measure_filter(measure, ctx.variable_filter("traces", measure.span), panel.filter)
    return [
        _grouped(builder(chr(ord("A") + i), "traces", flt, [aggregation(expr)], legend=legend), fields)
        for i, (legend, expr) in enumerate(_measure_aggregations(measure, panel.average, percentiles))
    ]


def _ratio_queries(builders: tuple[Builder, ...], expression: str, fields: tuple[FieldKey, ...],
                   legend: str) -> list[Builder | Formula]:
    """Disabled input counts and the one formula that divides them, grouped alike."""
    return [*(_grouped(b, fields) for b in builders), formula("F1", expression, _legend(fields) if fields else legend)]


def _numbered(measure_attribute: str, flt: str, percentiles: Sequence[int], expression: str) -> list[Builder]:
    """One query per percentile, A, B, ...: `expression` with `{p}` and `{attribute}` filled in."""
    return [
        builder(chr(ord("A") + i), "traces", flt, [aggregation(expression.format(p=q, attribute=measure_attribute))],
                legend=f"p{q}")
        for i, q in enumerate(sorted(set(percentiles)))
    ]


# ---------------------------------------------------------------------------------------------
# SLO: voice-to-voice latency, dead air, error rate


def _turn_latency(panel: TurnLatency, ctx: _Context) -> Iterator[Panel]:
    measure = ctx.profile.turn_latency
    if measure is None:
        return
    title = panel.title or "Voice-to-voice turn latency"
    description = _description(panel, f"`{measure.attribute}` on `{measure.span}` spans. {measure.note}")
    lines = _levels(ctx.levels(panel.thresholds, "turn_latency_p95"))
    if panel.tile:
        yield _panel(
            _key(panel, "turn-latency", "p95"), "number", f"{title} (P95)", description, TILE,
            queries=[percentile_builder("A", measure, 95, ctx.variable_filter("traces", measure.span), panel.filter)],
            unit=measure.unit, levels=lines,
        )
    fields = (SERVICE,) if panel.by_service else ()
    yield _panel(
        _key(panel, "turn-latency"), "time_series", title,
        description + " The lines are the latency rule's levels: P95 above a line is the "
        "rule's condition (more than 5 % of turns slower).", panel.size,
        queries=_latency_builders(measure, ctx, panel, panel.percentiles, fields), unit=measure.unit, levels=lines,
    )


def _share_panels(panel: Any, ctx: _Context, key: str, title: str, description: str,
                  ratio: tuple[tuple[Builder, ...], str], levels: Thresholds, legend: str,
                  chart_title: str, chart_fields: tuple[FieldKey, ...]) -> Iterator[Panel]:
    """A share's tile and its chart over time (one line per value of `chart_fields`), in percent,
    with the levels drawn on both."""
    builders, expression = ratio
    lines = _levels(levels)
    if panel.tile:
        yield _panel(
            _key(panel, key), "number", title, description, TILE,
            queries=_ratio_queries(builders, expression, (), legend), unit="percentunit", levels=lines,
        )
    if panel.over_time:
        yield _panel(
            _key(panel, key, "over-time"), "time_series", chart_title, description, panel.size,
            queries=_ratio_queries(builders, expression, chart_fields, legend), unit="percentunit", levels=lines,
        )


def _dead_air(panel: DeadAir, ctx: _Context) -> Iterator[Panel]:
    dead_air = ctx.profile.dead_air
    if dead_air is None:
        return
    title = panel.title or "Dead air"
    yield from _share_panels(
        panel, ctx, "dead-air", title,
        _description(panel, f"Turns the agent never answered / turns that expected an answer. {dead_air.note}"),
        dead_air_query(ctx.profile, ctx.variable_filter("traces"), panel.filter),
        ctx.levels(panel.thresholds, "dead_air"), "dead air", f"{title} over time", (SERVICE,),
    )


def _error_rate(panel: ErrorRate, ctx: _Context) -> Iterator[Panel]:
    p = ctx.profile
    title = panel.title or "Error rate"
    # The call spans name their provider as the LLM's latency span does (gen_ai.provider.name).
    yield from _share_panels(
        panel, ctx, "error-rate", title, _description(panel, error_rate_about(p)),
        error_rate_query(p, ctx.variable_filter("traces"), panel.filter), ctx.levels(panel.thresholds, "error_rate"),
        "error rate", f"{title} by span and provider", (SPAN_NAME, _attribute_field(p.provider["llm"])),
    )


# ---------------------------------------------------------------------------------------------
# Latency by stage and provider


_COMPONENT_TITLES = {"stt": "STT latency", "llm": "LLM time to first token", "tts": "TTS time to first byte"}


def _component_fields(ctx: _Context, component: str, keys: list[str]) -> tuple[FieldKey, ...]:
    by_key = {
        "service": SERVICE,
        "provider": _attribute_field(ctx.profile.provider[component]),  # type: ignore[index]
        "model": _attribute_field(ctx.profile.model[component]),  # type: ignore[index]
    }
    return tuple(by_key[k] for k in keys)


def _latency_chart(panel: Any, ctx: _Context, measure: Measure, key: str, title: str, about: str, component: str,
                   lines: tuple[Level, ...] = ()) -> Panel:
    """A chart of a latency measure, one line per series and value of the panel's `group_by` keys
    (the provider and model keys of `component`)."""
    return _panel(
        _key(panel, key), "time_series", panel.title or title,
        _description(
            panel, f"`{measure.attribute}` on `{measure.span}` spans, one line per "
            f"{', '.join(panel.group_by) or 'series'}. {measure.note} {about}",
        ),
        panel.size,
        queries=_latency_builders(measure, ctx, panel, panel.percentiles, _component_fields(ctx, component, panel.group_by)),
        unit=measure.unit, levels=lines,
    )


def _component_latency(panel: ComponentLatency, ctx: _Context) -> Iterator[Panel]:
    yield _latency_chart(
        panel, ctx, ctx.profile.component_latency[panel.component], f"component-latency-{panel.component}",
        _COMPONENT_TITLES[panel.component],
        "The lines are the levels of the component's latency rule, when the definition has one.", panel.component,
        _levels(ctx.levels(panel.thresholds, "component_latency_p95", panel.component)),
    )


_STAGES: tuple[Component, ...] = ("stt", "llm", "tts")


def _latency_by_provider(panel: LatencyByProvider, ctx: _Context) -> Iterator[Panel]:
    p = ctx.profile
    builders = []
    for name, component in zip("ABC", _STAGES):
        measure = p.component_latency[component]
        builders.append(builder(
            name, "traces", measure_filter(measure, ctx.variable_filter("traces", measure.span), panel.filter),
            [aggregation(f"p95({measure.attribute})")],
            group_by=_component_fields(ctx, component, ["provider", "model"]),
            legend=f"{_COMPONENT_TITLES[component]} P95",
        ))
    spans = ", ".join(f"`{p.component_latency[c].span}`" for c in ("stt", "llm", "tts"))
    keys = " and ".join(f"`{k}`" for k in dict.fromkeys(f.name for b in builders for f in b.group_by or []))
    yield _panel(
        _key(panel, "latency-by-provider"), "table", panel.title or "Latency by provider and model (P95)",
        _description(
            panel, f"P95 of each stage's latency ({spans}) per {keys}: a provider or "
            "model fills the column of the stage it serves.",
        ),
        panel.size, queries=builders,
        column_units={b.name: p.component_latency[c].unit for b, c in zip(builders, _STAGES)},
    )


def _realtime_latency(panel: RealtimeLatency, ctx: _Context) -> Iterator[Panel]:
    realtime = ctx.profile.realtime
    measure = realtime.time_to_first_byte if realtime else None
    if measure is None:
        return
    # The replies name their provider and model with the LLM's attributes.
    yield _latency_chart(
        panel, ctx, measure, "realtime-latency", "Speech-to-speech time to first audio",
        "A speech-to-speech (realtime) model replaces the STT, LLM and TTS stages, whose charts stay empty for it.",
        "llm",
    )


def _end_of_utterance(panel: EndOfUtterance, ctx: _Context) -> Iterator[Panel]:
    eou, endpointing = ctx.profile.end_of_turn_delay, ctx.profile.endpointing_delay
    if eou is None:
        return
    flt = measure_filter(eou, ctx.variable_filter("traces", eou.span), panel.filter)
    builders = _numbered(eou.attribute, flt, panel.percentiles, "p{p}({attribute})")
    about = f"`{eou.attribute}` on `{eou.span}` spans. {eou.note}"
    if endpointing is not None:
        builders.append(builder(
            chr(ord("A") + len(builders)), "traces",
            measure_filter(endpointing, ctx.variable_filter("traces", endpointing.span), panel.filter),
            [aggregation(f"avg({endpointing.attribute})")], legend="endpointing delay (avg)",
        ))
        about += f" The average `{endpointing.attribute}` (`{endpointing.span}`): {endpointing.note.lower()}"
    yield _panel(
        _key(panel, "end-of-utterance"), "time_series", panel.title or "End-of-utterance delay",
        _description(panel, about), panel.size, queries=builders, unit=eou.unit,
    )


def _http_request_duration(panel: HttpRequestDuration, ctx: _Context) -> Iterator[Panel]:
    yield _panel(
        _key(panel, "http-request-duration"), "time_series", panel.title or f"HTTP client duration (P{panel.percentile})",
        _description(
            panel,
            f"The `{panel.metric}` histogram. It exists only when the OpenTelemetry HTTP client "
            "instrumentation (aiohttp-client or httpx) runs in the agent; the frameworks do not emit it.",
        ),
        panel.size,
        queries=[builder(
            "A", "metrics", all_of(ctx.variable_filter("metrics"), panel.filter),
            [MetricAggregation(metric=panel.metric, space_aggregation=f"p{panel.percentile}")],
            group_by=(SERVICE,), legend="{{service.name}}",
        )],
        unit=panel.unit,
    )


# ---------------------------------------------------------------------------------------------
# Errors and logs


def _error_records(panel: ErrorRecords, ctx: _Context) -> Iterator[Panel]:
    fields = (
        key("service.name", "resource", "string", "traces"),
        key("name", "span", "string", "traces"),
        key("status_message", "span", "string", "traces"),
        key("duration_nano", "span", "int64", "traces"),
        key("trace_id", "span", "string", "traces"),
    )
    yield _panel(
        _key(panel, "error-records"), "list", panel.title or "Error records",
        _description(panel, "The most recent spans with an error status. Click a row to open its trace."),
        panel.size,
        queries=[builder(
            "A", "traces", all_of("has_error = true", ctx.variable_filter("traces"), panel.filter),
            order=(("timestamp", "desc"),), select_fields=fields, limit=panel.limit,
        )],
        select_fields=fields,
    )


def _logs(panel: Logs, ctx: _Context) -> Iterator[Panel]:
    fields = (key("timestamp", "log", "", "logs"), key("severity_text", "log", "string", "logs"),
              key("body", "log", "string", "logs"))
    yield _panel(
        _key(panel, "logs"), "list", panel.title or "Logs",
        _description(panel, "The services' most recent log records."), panel.size,
        queries=[builder(
            "A", "logs", all_of(ctx.variable_filter("logs"), panel.filter), order=(("timestamp", "desc"),),
            limit=panel.limit,
        )],
        select_fields=fields,
    )


def _tts_without_audio(panel: TtsWithoutAudio, ctx: _Context) -> Iterator[Panel]:
    silent = ctx.profile.tts_without_audio
    if silent is None:
        return
    narrowing = (ctx.variable_filter("traces", silent.span), panel.filter)
    builders = (
        builder("A", "traces", span_count_filter(silent, *narrowing), [aggregation("count()")], disabled=True),
        builder("B", "traces", all_of(span_is(silent.span), *narrowing), [aggregation("count()")], disabled=True),
    )
    title = panel.title or "TTS replies without audio"
    yield from _share_panels(
        panel, ctx, "tts-without-audio", title,
        _description(panel, f"`{silent.span}` spans that produced no audio / all `{silent.span}` spans. "
                     f"{silent.note} The error rate cannot see these."),
        (builders, "A / B"), ctx.levels(panel.thresholds, "tts_without_audio"), "without audio",
        f"{title} over time", (SERVICE,),
    )


def _tool_calls(panel: ToolCalls, ctx: _Context) -> Iterator[Panel]:
    tools = ctx.profile.tool_calls
    if tools is None:
        return
    flt = all_of(span_is(tools.span), ctx.variable_filter("traces", tools.span), panel.filter)
    by_tool = (key(tools.name, "attribute", "string"),)
    yield _panel(
        _key(panel, "tool-calls"), "table", panel.title or "Tool calls",
        _description(
            panel, f"`{tools.span}` spans per `{tools.name}`: calls, P95 duration and failures. A tool "
            f"that raises leaves its span's status unset and sets `{tools.error_flag}`, so Error records "
            "and the error rate do not show it; this table does.",
        ),
        panel.size,
        queries=[
            builder("A", "traces", flt, [aggregation("count()")], group_by=by_tool, legend="calls"),
            builder("B", "traces", flt, [aggregation("p95(duration_nano)")], group_by=by_tool, legend="P95 duration"),
            builder("C", "traces", flt, [aggregation(f"countIf({tools.error_flag} = true)")], group_by=by_tool,
                    legend="failed"),
        ],
        column_units={"A": "none", "B": "ns", "C": "none"},
    )


# ---------------------------------------------------------------------------------------------
# Conversations


def _conversations_over_time(panel: ConversationsOverTime, ctx: _Context) -> Iterator[Panel]:
    starts = call_starts(ctx.profile)
    span, note = starts.span, starts.note
    if ctx.profile.call_start is None:
        note += " It is exported when the call ends but placed at its start, so the most recent stretch fills " \
                "in as calls end."
    yield _panel(
        _key(panel, "conversations-over-time"), "time_series", panel.title or "Conversations over time",
        _description(panel, f"Calls started, one `{span}` span each. {note}"), panel.size,
        queries=[_grouped(
            call_count_builder("A", ctx.profile, ctx.variable_filter("traces", span), panel.filter,
                               legend="" if panel.by_service else "conversations"),
            (SERVICE,) if panel.by_service else (),
        )],
        unit="none", decimals="0",
    )


def _services_and_languages(panel: ServicesAndLanguages, ctx: _Context) -> Iterator[Panel]:
    span = call_starts(ctx.profile).span
    counted = call_count_builder("A", ctx.profile, ctx.variable_filter("traces", span), panel.filter)
    yield _panel(
        _key(panel, "services-and-languages"), "table", panel.title or "Services and languages",
        _description(panel, f"Calls started (`{span}` spans) per service and SDK language."), panel.size,
        queries=[counted.model_copy(update={
            "aggregations": [aggregation("count()", alias="conversations")], "group_by": [SERVICE, LANGUAGE],
        })],
        column_units={"A": "none"},
    )


def _call_duration(panel: CallDuration, ctx: _Context) -> Iterator[Panel]:
    measure = ctx.profile.call_duration
    span = measure.span if measure else ctx.profile.conversation_span
    flt = all_of(span_is(span), ctx.variable_filter("traces", span), panel.filter)
    yield _panel(
        _key(panel, "call-duration"), "time_series", panel.title or "Call duration",
        _description(
            panel, f"Percentiles of the `{span}` span's duration: how long calls last. "
            f"{measure.note + ' ' if measure and measure.note else ''}The span is exported when the call ends "
            "and placed at its start, so the most recent minutes fill in as calls finish.",
        ),
        panel.size, queries=_numbered("duration_nano", flt, panel.percentiles, "p{p}({attribute})"), unit="ns",
    )


def _call_end_reasons(panel: CallEndReasons, ctx: _Context) -> Iterator[Panel]:
    reason = ctx.profile.close_reason
    if reason is None:
        return
    yield _panel(
        _key(panel, "call-end-reasons"), "pie", panel.title or "Why calls end",
        _description(panel, f"`{reason.attribute}` on `{reason.span}` spans, one per session."), panel.size,
        queries=[builder(
            "A", "traces", all_of(span_is(reason.span), ctx.variable_filter("traces", reason.span), panel.filter),
            [aggregation("count()")], group_by=(key(reason.attribute, "attribute", "string"),),
            legend=f"{{{{{reason.attribute}}}}}",
        )],
    )


def _model_distribution(panel: ModelDistribution, ctx: _Context) -> Iterator[Panel]:
    model = ctx.profile.model[panel.component]
    name = COMPONENT_NAMES[panel.component]
    # One span per call: an LLM's are its calls and a speech-to-speech model's replies, as for tokens.
    tokens = token_count(ctx.profile, "input_tokens") if panel.component == "llm" else None
    spans = tokens.spans if tokens else (model.span,)
    flt = all_of(
        span_in(spans), f"{model.attribute} EXISTS", ctx.variable_filter("traces", model.span), panel.filter
    )
    yield _panel(
        _key(panel, f"model-distribution-{panel.component}"), "pie", panel.title or f"{name} model distribution",
        _description(
            panel, f"Calls per model, counted on `{'` and `'.join(spans)}` spans only. {model.note}".strip()
        ),
        panel.size,
        queries=[builder(
            "A", "traces", flt, [aggregation("count()")],
            group_by=(key(model.attribute, "attribute", "string"),), legend=f"{{{{{model.attribute}}}}}",
        )],
    )


def _shortest_conversations(panel: ShortestConversations, ctx: _Context) -> Iterator[Panel]:
    turns = ctx.profile.turns
    flt = turn_filter(turns, ctx.variable_filter("traces", turns.span), panel.filter)
    yield _panel(
        _key(panel, "shortest-conversations"), "table", panel.title or "Shortest conversations (click a row to open its trace)",
        _description(
            panel, f"Conversations (traces) by their `{turns.span}` spans in the time range, fewest first. Click a "
            "row and choose Open trace. A call still in progress, or one that began before the range, shows "
            "the turns seen so far; the Conversations below threshold tile counts finished calls only.",
        ),
        panel.size,
        queries=[builder(
            "A", "traces", flt, [aggregation("count()", alias="turns")], group_by=(TRACE_ID,),
            order=(("turns", "asc"),), limit=panel.limit,
        )],
        column_units={"A": "none"},
        links=[Link(name="Open trace", url="/trace/{{_trace_id}}", tooltip="Open this conversation's trace")],
    )


def _interruptions(panel: InterruptionsPerCall, ctx: _Context) -> Iterator[Panel]:
    intr = ctx.profile.interruptions
    if intr is None:
        return
    flag = intr.flag
    left_out = (
        f" Each call's last turn is left out: the framework closes it with `{flag.attribute}` = true "
        "whether or not anyone interrupted." if intr.set_on_last_turn else ""
    )
    yield _per_call_number(
        panel, "interruptions-per-call", "Interruptions per call",
        f"`{flag.span}` spans with `{flag.attribute}` = true, per call that ended in the time range.{left_out}", "2",
        ctx.render_sql(views.InterruptionsSql(
            **_finished(panel, ctx), interrupt_span=flag.span, interrupt_attribute=flag.attribute,
            leave_out_last_turn=intr.set_on_last_turn,
        )),
    )
    if panel.by_source and intr.source:
        flt = all_of(span_is(flag.span), f"{flag.attribute} = true", ctx.variable_filter("traces", flag.span))
        by_source = (_attribute_field(intr.source),)
        builders = [builder("A", "traces", flt, [aggregation("count()")], group_by=by_source, legend="interruptions")]
        units = {"A": "none"}
        heard = intr.playout_position
        if heard:
            builders.append(builder("B", "traces", flt, [aggregation(f"p50({heard.attribute})")], group_by=by_source,
                                    legend="reply heard (P50)"))
            units["B"] = heard.unit
        yield _panel(
            _key(panel, "interruptions-by-source"), "table", "Interruptions by source",
            f"Interrupted `{flag.span}` spans per `{intr.source.attribute}`"
            + (f", and the median `{heard.attribute}`: seconds of the reply played before the user cut in." if heard else "."),
            (6, 6), queries=builders, column_units=units,
        )


# ---------------------------------------------------------------------------------------------
# Turn-threshold and per-call SQL panels


def _threshold_variable(panel: Any, ctx: _Context) -> str:
    for variable in ctx.dashboard.variables:
        if variable.name == panel.variable and isinstance(variable, TextVariable):
            return variable.name
    raise DefinitionError(
        f"panel type {panel.type!r} needs a text variable named {panel.variable!r} "
        f"(add `- {{kind: text, name: {panel.variable}, default: \"3\"}}` under variables, "
        "or set the panel's `variable:`)"
    )


def _finished(panel: Any, ctx: _Context) -> dict[str, Any]:
    """What every SQL template over the finished conversations reads (views.FinishedConversationsSql)."""
    p = ctx.profile
    return {
        "conversation_span": p.conversation_span, "turn_span": p.turns.span, "turn_unless": p.turns.unless_attribute,
        "lookback_seconds": panel.lookback_seconds, "filters": ctx.sql_filters(),
    }


def _finished_note(ctx: _Context, panel: Any) -> str:
    p = ctx.profile
    return (
        f"Conversations (`{p.conversation_span}` spans) that ended inside the time range, with all "
        f"their `{p.turns.span}` turns, including turns up to {panel.lookback} before the range."
    )


def _per_call_number(panel: Any, key: str, title: str, about: str, decimals: str, sql: str) -> Panel:
    """A number tile from a ClickHouse SQL query over the finished conversations."""
    return _panel(
        _key(panel, key), "number", panel.title or title, _description(panel, about), panel.size, sql=sql,
        unit="none", decimals=decimals,
    )


def _conversations_below_threshold(panel: ConversationsBelowThreshold, ctx: _Context) -> Iterator[Panel]:
    yield _per_call_number(
        panel, "conversations-below-threshold", f"Conversations below ${panel.variable} turns",
        _finished_note(ctx, panel), "0",
        ctx.render_sql(views.BelowThresholdSql(**_finished(panel, ctx), threshold_variable=_threshold_variable(panel, ctx))),
    )


def _average_turns(panel: AverageTurnsPerConversation, ctx: _Context) -> Iterator[Panel]:
    _threshold_variable(panel, ctx)  # the panel sits beside the threshold's: the variable must exist
    yield _per_call_number(
        panel, "average-turns-per-conversation", "Average turns per conversation", _finished_note(ctx, panel), "1",
        ctx.render_sql(views.AverageTurnsSql(**_finished(panel, ctx))),
    )


def _below_threshold_list(panel: ConversationsBelowThresholdList, ctx: _Context) -> Iterator[Panel]:
    yield _panel(
        _key(panel, "conversations-below-threshold-list"), "table",
        panel.title or f"Short conversations: fewer than ${panel.variable} turns",
        _description(
            panel, _finished_note(ctx, panel) + " SigNoz offers no links on SQL panels: copy a trace id, or use "
            "the Shortest conversations table, whose rows open the trace.",
        ),
        panel.size,
        sql=ctx.render_sql(views.BelowThresholdListSql(
            **_finished(panel, ctx), threshold_variable=_threshold_variable(panel, ctx), limit=panel.limit,
        )),
        column_units={"turns": "none"},
    )


def _tokens_per_call(panel: TokensPerCallPanel, ctx: _Context) -> Iterator[Panel]:
    tokens_in, tokens_out = token_count(ctx.profile, "input_tokens"), token_count(ctx.profile, "output_tokens")
    assert tokens_in is not None and tokens_out is not None
    yield _per_call_number(
        panel, "tokens-per-call", "LLM tokens per call",
        f"`{tokens_in.attribute}` + `{tokens_out.attribute}` per call that ended in the time range (up to "
        f"{panel.lookback} long). {tokens_about([tokens_in, tokens_out])}", "0",
        ctx.render_sql(views.TokensPerCallSql(**_finished(panel, ctx), tokens=(tokens_in, tokens_out))),
    )


def _cost_per_call(panel: CostPerCall, ctx: _Context) -> Iterator[Panel]:
    p, prices = ctx.profile, ctx.dashboard.prices
    if prices is None:
        raise DefinitionError(
            "panel type 'cost_per_call' needs a `prices:` table in the definition (see the README, "
            "\"Cost per call\"), e.g. `prices: {llm: {gpt-4o-mini: {input: 0.15, output: 0.60}}}`"
        )
    missing = [(c, m) for c, m, table in (("tts", p.tts_characters, prices.tts), ("stt", p.stt_audio_seconds, prices.stt))
               if table and m is None]
    if missing:
        raise DefinitionError(
            f"profile {p.name!r} records no {' or '.join(c.upper() for c, _ in missing)} usage on its spans, so "
            f"`prices.{missing[0][0]}` cannot be applied; leave it out"
        )
    tokens_in, cached = token_count(p, "input_tokens"), token_count(p, "cached_input_tokens")
    assert tokens_in is not None
    llm = {
        "spans": tokens_in.spans, "model": p.model["llm"].attribute, "input": tokens_in.attribute,
        "output": p.output_tokens.attribute, "cached": cached.attribute if cached else None,
        "prices": [(name, {"input": price.input, "output": price.output,
                           "cached": price.input if price.cached_input is None else price.cached_input,
                           "cached_in_input": price.cached_in_input}) for name, price in prices.llm.items()],
    }
    tts: dict[str, Any] = {"prices": list(prices.tts.items())}
    if p.tts_characters:
        tts |= {"span": p.tts_characters.span, "model": p.model["tts"].attribute, "characters": p.tts_characters.attribute}
    stt: dict[str, Any] = {"prices": list(prices.stt.items())}
    if p.stt_audio_seconds:
        stt |= {"span": p.stt_audio_seconds.span, "model": p.model["stt"].attribute,
                "audio_seconds": p.stt_audio_seconds.attribute}
    priced = ", ".join(name for name in ("LLM tokens", "TTS characters", "STT audio")
                       if {"LLM tokens": prices.llm, "TTS characters": prices.tts, "STT audio": prices.stt}[name])
    yield _per_call_number(
        panel, "cost-per-call", f"Cost per call ({prices.currency})",
        f"{priced} times the definition's prices, per call that ended in the time range. A model without a "
        "price counts as free; a dated snapshot (gpt-4o-mini-2024-07-18) takes its base model's price unless "
        "it has its own.", "4",
        ctx.render_sql(views.CostPerCallSql(**_finished(panel, ctx), llm=llm, tts=tts, stt=stt)),
    )


# ---------------------------------------------------------------------------------------------
# Cost: tokens


def _token_usage(panel: TokenUsage, ctx: _Context) -> Iterator[Panel]:
    p = ctx.profile
    parts = {"input": "input_tokens", "cached input": "cached_input_tokens", "output": "output_tokens"}
    counts = {label: c for label, part in parts.items() if (c := token_count(p, part)) is not None}  # type: ignore[arg-type]
    # The speech-to-speech replies carry the LLM's model attribute too, so the model variable filters all.
    narrowing = (ctx.variable_filter("traces", p.input_tokens.span), panel.filter)
    note = tokens_about(list(counts.values()))
    if "cached input" in counts:
        note += f" Cached input tokens (`{counts['cached input'].attribute}`) are a part of the input tokens " \
                "for OpenAI-style usage, apart from them for Anthropic-style usage."
    if panel.tiles:
        for label, tokens in counts.items():
            yield _panel(
                _key(panel, "token-usage", label.replace(" ", "-")), "number", f"{label.capitalize()} tokens",
                _description(panel, note), TILE, queries=[token_builder("A", tokens, *narrowing)],
                unit="none", decimals="0",
            )
    if panel.over_time:
        builders = [
            token_builder(name, tokens, *narrowing, function="rate_sum", legend=label)
            for name, (label, tokens) in zip("ABC", counts.items())
        ]
        yield _panel(
            _key(panel, "token-usage", "over-time"), "time_series", panel.title or "Tokens per second",
            _description(panel, note + " A rate, so the scale does not change with the zoom."), panel.size,
            queries=builders, unit="none", decimals="1",
        )


EXPANDERS: dict[str, Callable[[Any, _Context], Iterator[Panel]]] = {
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
    "shortest_conversations": _shortest_conversations,
    "interruptions": _interruptions,
    "tokens_per_call": _tokens_per_call,
    "cost_per_call": _cost_per_call,
    "dead_air": _dead_air,
    "call_duration": _call_duration,
    "latency_by_provider": _latency_by_provider,
    "tool_calls": _tool_calls,
    "end_of_utterance": _end_of_utterance,
    "call_end_reasons": _call_end_reasons,
    "realtime_latency": _realtime_latency,
    "tts_without_audio": _tts_without_audio,
}

__all__ = ["EXPANDERS", "Expanded", "expand"]
