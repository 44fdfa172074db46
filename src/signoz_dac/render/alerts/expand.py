"""Expand a definition's alert rules into SigNoz rules, using the dashboard's telemetry profile.

Every query comes from `render/queries.py`, the module the panels use: an alert and its panel
query the same spans and attributes. Dashboard variables do not exist for alerts, so a rule
narrows by its own `services`, `exclude_services` and `filter` instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from signoz_dac.errors import DefinitionError, Location
from signoz_dac.profiles import Measure, Profile, get_profile
from signoz_dac.profiles.fields import is_resource_attribute
from signoz_dac.render.alerts.identity import identity_labels
from signoz_dac.render.alerts.views import LevelView, RuleView
from signoz_dac.render.filters import all_of, key_in
from signoz_dac.render.queries import error_rate_builders, percentile_builder, sum_builder, turn_count_builder
from signoz_dac.render.views import Aggregation, Builder, Field, Formula, Query
from signoz_dac.spec import (
    ComponentLatencyP95,
    Dashboard,
    ErrorRateAlert,
    ThresholdAlert,
    TokensPerTurn,
    TurnLatencyP95,
    source_map_of,
)
from signoz_dac.spec.alerts import AlertBase, AlertDefaults

STEP_SECONDS = 60  # one point per minute; `match` decides how a window's points are compared
# How the summary reads for each comparison operator.
_RELATION = {
    "above": "above", "above_or_equal": "at or above", "below": "below", "below_or_equal": "at or below",
    "equal": "equal to", "not_equal": "not equal to",
}
_COMPONENT_TITLES = {"stt": "STT latency P95", "llm": "LLM time to first token P95", "tts": "TTS time to first byte P95"}
_ALERT_TYPES = {"traces": "TRACES_BASED_ALERT", "logs": "LOGS_BASED_ALERT"}


@dataclass(frozen=True)
class _Query:
    """What a rule type decides: its queries, which one is compared, and in which units."""

    query: Query
    selected: str  # selectedQueryName
    unit: str  # the unit of the selected query's values
    target_unit: str  # the unit of the thresholds ("" = the query's unit)
    title: str
    about: str  # what the rule measures, for its description
    signal: str = "traces"


def expand_alerts(dashboard: Dashboard) -> list[RuleView]:
    """The dashboard's rules as views, in definition order; ids and names unique."""
    if not dashboard.alerts.rules:
        return []  # a dashboard of generic panels has no profile, and needs none without rules
    profile = get_profile(dashboard.profile)  # type: ignore[arg-type]
    source = source_map_of(dashboard)
    seen: dict[str, Location | None] = {}
    views = []
    for index, rule in enumerate(dashboard.alerts.rules):
        origin = source.locate(("alerts", "rules", index)) if source else None
        rule_id = rule.id or _default_id(rule)
        if rule_id in seen:
            raise DefinitionError(
                f"alert rule id {rule_id!r} is already used"
                + (f" by the rule at line {seen[rule_id].line}" if seen[rule_id] else "")
                + "; give this rule its own `id:`",
                origin,
            )
        seen[rule_id] = origin
        shape = QUERIES[rule.type](rule, profile, origin)
        views.append(_view(dashboard, rule, rule_id, shape, origin))
    return views


def _default_id(rule: AlertBase) -> str:
    if isinstance(rule, ComponentLatencyP95):
        return f"component-latency-p95-{rule.component}"
    return rule.type.replace("_", "-")  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# Queries per rule type


def _narrowing(rule: AlertBase) -> tuple[str, ...]:
    """The rule's own filter parts: its services, the services it leaves out, its expression."""
    return (
        key_in("service.name", rule.services),
        key_in("service.name", rule.exclude_services, negate=True),
        rule.filter,
    )


def _latency(measure: Measure | None, rule, what: str, title: str, origin) -> _Query:
    if measure is None:
        raise DefinitionError(f"the dashboard's profile records no {what}, so this rule has nothing to watch", origin)
    return _Query(
        Query(builders=(percentile_builder("A", measure, 95, *_narrowing(rule)),)),
        "A", measure.unit, rule.unit, title,
        f"P95 of `{measure.attribute}` on `{measure.span}` spans per minute. {measure.note}".strip(),
    )


def _turn_latency(rule: TurnLatencyP95, profile: Profile, origin) -> _Query:
    return _latency(profile.turn_latency, rule, "turn latency", "Voice-to-voice latency P95", origin)


def _component_latency(rule: ComponentLatencyP95, profile: Profile, origin) -> _Query:
    measure = profile.component_latency.get(rule.component)
    return _latency(measure, rule, f"{rule.component} latency", _COMPONENT_TITLES[rule.component], origin)


def _error_rate(rule: ErrorRateAlert, profile: Profile, origin) -> _Query:
    calls = ", ".join(profile.call_spans)
    return _Query(
        Query(builders=error_rate_builders(profile, *_narrowing(rule)),
              formulas=(Formula("F1", "(A / B) * 100", "error rate"),)),
        "F1", "percent", "percent", "Error rate",
        f"Failed provider calls ({calls} spans with an error status) / all such calls, in percent, per minute.",
    )


def _tokens_per_turn(rule: TokensPerTurn, profile: Profile, origin) -> _Query:
    tokens_in, tokens_out, turns = profile.input_tokens, profile.output_tokens, profile.turns
    extra = _narrowing(rule)
    return _Query(
        Query(
            builders=(
                sum_builder("A", tokens_in, *extra, disabled=True),
                sum_builder("B", tokens_out, *extra, disabled=True),
                turn_count_builder("C", turns, *extra, disabled=True),
            ),
            formulas=(Formula("F1", "(A + B) / C", "tokens per turn"),),
        ),
        "F1", tokens_in.unit, "", "LLM tokens per turn",
        f"(`{tokens_in.attribute}` + `{tokens_out.attribute}` summed over `{tokens_in.span}` spans) / "
        f"`{turns.span}` spans, per minute: the LLM tokens (prompt + completion) spent per conversation turn.",
    )


def _threshold(rule: ThresholdAlert, profile: Profile, origin) -> _Query:
    return _Query(
        Query(builders=(Builder("A", rule.signal, all_of(*_narrowing(rule)), (Aggregation(rule.aggregation),)),)),
        "A", rule.unit, rule.threshold_unit or "", rule.id, f"`{rule.aggregation}` over {rule.signal}.",
        signal=rule.signal,
    )


QUERIES: dict[str, Callable[..., _Query]] = {
    "turn_latency_p95": _turn_latency,
    "component_latency_p95": _component_latency,
    "error_rate": _error_rate,
    "tokens_per_turn": _tokens_per_turn,
    "threshold": _threshold,
}


# ---------------------------------------------------------------------------------------------
# The rest of the rule: levels, labels, annotations, grouping


def _view(dashboard: Dashboard, rule: AlertBase, rule_id: str, shape: _Query, origin) -> RuleView:
    defaults: AlertDefaults = dashboard.alerts
    title = rule.title or shape.title
    group_by = tuple(rule.group_by)
    fields = tuple(Field(k, "resource" if is_resource_attribute(k) else "attribute", "string") for k in group_by)
    legend = " ".join(f"{{{{{k}}}}}" for k in group_by)
    builders = tuple(
        replace(b, group_by=fields, step=STEP_SECONDS, legend=legend if b.name == shape.selected else b.legend)
        for b in shape.query.builders
    )
    formulas = tuple(replace(f, legend=legend or f.legend) for f in shape.query.formulas)
    set_levels = [(name, value) for name, value in (("warning", rule.warning), ("critical", rule.critical)) if value is not None]
    levels = tuple(
        LevelView(name, _number(value), shape.target_unit, rule.op, rule.match, _channels(rule, defaults, name))
        for name, value in set_levels
    )
    labels = {**defaults.labels, **rule.labels}
    labels.setdefault("severity", levels[-1].name)  # the highest level set
    labels.update(identity_labels(dashboard.name, rule_id))
    where = " on {{$service.name}}" if "service.name" in group_by else ""
    description = rule.description or shape.about
    annotations = {
        "summary": rule.summary or f"{title}{where} is {{{{$value}}}}, {_RELATION[rule.op]} the {{{{$threshold}}}} threshold",
        "description": description,
    }
    if rule.runbook:
        annotations["runbook_url"] = rule.runbook
    return RuleView(
        id=rule_id,
        alert=f"{dashboard.title}: {title}",
        alert_type=_ALERT_TYPES[shape.signal],
        description=description,
        disabled=not rule.enabled,
        query=Query(builders=builders, formulas=formulas),
        selected=shape.selected,
        unit=shape.unit,
        levels=levels,
        window=rule.window,
        frequency=rule.frequency,
        labels=tuple(sorted(labels.items())),
        annotations=tuple(annotations.items()),
        group_by=group_by,
        renotify=rule.renotify,
        origin=origin,
    )


def _channels(rule: AlertBase, defaults: AlertDefaults, level: str) -> tuple[str, ...]:
    """The first that is set: the rule's own channels win over the dashboard's defaults, and a
    level's own list (`critical_channels`) over the general one."""
    if level == "critical":
        order = (rule.critical_channels, rule.channels, defaults.critical_channels, defaults.channels)
    else:
        order = (rule.channels, defaults.channels)
    return tuple(next(c for c in order if c is not None))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
