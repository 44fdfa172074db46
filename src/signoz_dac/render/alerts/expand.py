"""Expand a definition's alert rules into SigNoz rules, using the dashboard's telemetry profile.

Every query comes from `render/queries.py`, the module the panels use: an alert and its panel
query the same spans and attributes. Dashboard variables do not exist for alerts, so a rule
narrows by its own `services`, `exclude_services` and `filter` instead.

How SigNoz evaluates a rule (pkg/query-service/rules, threshold_rule.go): every `frequency` it
queries the last `window` (both ends rounded down to the minute), gets one point per `stepInterval`
bucket (buckets start at multiples of the step since the epoch, UTC) and per group, and compares
the points with each level as `matchType` says (any point, every point, their average, their sum,
the last point). Ratio rules (error rate, dead air, latency shares, tokens per call) must compare
one ratio over the whole window: per-minute ratios of a few calls are all-or-nothing. So their step
is far longer than the window: the window then falls in one bucket, one point, compared once,
except when it straddles a bucket's start (00:00 UTC for the default step of a day: 4 evaluations
of 1440 for a 5-minute window), where SigNoz sees two partial ratios and `on_average` averages them.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict, TypeVar

from signoz_dac.definitions import (
    ComponentLatencyP95,
    Dashboard,
    DeadAirAlert,
    ErrorRateAlert,
    NoData,
    SourceMap,
    ThresholdAlert,
    TokensPerCall,
    TurnLatencyP95,
    source_map_of,
)
from signoz_dac.definitions.alerts import Alert, AlertBase, AlertDefaults
from signoz_dac.definitions.common import duration_seconds
from signoz_dac.definitions.generic.queries import Formula
from signoz_dac.errors import DefinitionError, Location
from signoz_dac.identity import identity_labels
from signoz_dac.profiles import Measure, Profile, get_profile
from signoz_dac.profiles.fields import is_resource_attribute
from signoz_dac.render.alerts.views import LevelView, RuleView
from signoz_dac.render.filters import all_of, checked_aggregation, key_in, span_is, user_filter
from signoz_dac.render.generic import View
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
    latency_share_query,
    number,
    ratio_formula,
    token_builder,
    token_count,
    tokens_about,
)
from signoz_dac.signoz.expressions import parse_filter
from signoz_dac.signoz.rules.checks import SIGNAL_ALERT_TYPES

STEP_SECONDS = 60  # `threshold` rules: one point per minute; `match` decides how they meet a level
DAY_SECONDS = 86_400
# How the summary reads for each comparison operator.
_RELATION = {
    "above": "above", "above_or_equal": "at or above", "below": "below", "below_or_equal": "at or below",
    "equal": "equal to", "not_equal": "not equal to",
}
_COMPONENT_TITLES = {"stt": "STT latency P95", "llm": "LLM time to first token P95", "tts": "TTS time to first byte P95"}


@dataclass(frozen=True)
class ExpandedRule:
    """One SigNoz rule of a definition: its id (stable within the dashboard: the file name and the
    `signoz_dac_rule` label), what the template renders, and the definition line it came from."""

    id: str
    view: RuleView
    origin: Location | None


@dataclass(frozen=True)
class _Shape:
    """One SigNoz rule a definition rule becomes: its queries, which one is compared, in which units."""

    builders: tuple[Builder, ...]
    formulas: tuple[Formula, ...]
    selected: str  # selectedQueryName
    unit: str  # the unit of the selected query's values
    target_unit: str  # the unit of the thresholds ("" = the query's unit)
    title: str
    about: str  # what the rule measures, for its description
    levels: tuple[tuple[str, float], ...]  # (severity, target)
    step: int = STEP_SECONDS
    signal: str = "traces"
    id_suffix: str = ""
    title_suffix: str = ""  # after the rule's title, own or default: one rule per level needs its own name
    summary: str = ""  # default: "<title> on <service> is <value>, above the <threshold> threshold"
    absent_for_minutes: int | None = None  # fire when no data arrives for this long
    group: bool = True  # group by the rule's `group_by`


def expand_alerts(dashboard: Dashboard) -> list[ExpandedRule]:
    """The dashboard's rules, in definition order; ids unique."""
    if not dashboard.alerts.rules:
        return []  # a dashboard of generic panels has no profile, and needs none without rules
    profile = get_profile(dashboard.profile)  # type: ignore[arg-type]
    source = source_map_of(dashboard)
    seen: dict[str, Location | None] = {}
    views = []
    for index, rule in enumerate(dashboard.alerts.rules):
        origin = source.locate(("alerts", "rules", index)) if source else None
        base_id = rule.id or _default_id(rule)
        rule = _checked_expressions(rule, source, index)
        for shape in QUERIES[rule.type](rule, profile, origin):
            rule_id = base_id + shape.id_suffix
            if rule_id in seen:
                raise DefinitionError(
                    f"alert rule id {rule_id!r} is already used"
                    + (f" by the rule at line {holder.line}" if (holder := seen[rule_id]) else "")
                    + "; give this rule its own `id:`",
                    origin,
                )
            seen[rule_id] = origin
            views.append(ExpandedRule(rule_id, _view(dashboard, rule, rule_id, shape), origin))
    return views


_Rule = TypeVar("_Rule", bound=AlertBase)


def _checked_expressions(rule: _Rule, source: SourceMap | None, index: int) -> _Rule:
    """The rule with its `filter:` as one parsed unit; a filter or `aggregation:` SigNoz could not
    read is a DefinitionError at the line of that option."""
    def where(option: str) -> Location | None:
        return source.locate(("alerts", "rules", index, option)) if source else None

    if isinstance(rule, ThresholdAlert):
        checked_aggregation(rule.aggregation, where("aggregation"))
    if not rule.filter:
        return rule
    unit = user_filter(rule.filter, where("filter"))
    variables = parse_filter(unit).variables()
    if variables:
        # SigNoz evaluates a rule without any dashboard's variables, so `$name` is never replaced
        # and the condition matches nothing: the rule would never fire.
        raise DefinitionError(
            f"an alert rule has no dashboard variables, so {', '.join('$' + v for v in dict.fromkeys(variables))} would never be "
            "replaced and the rule would never fire; write the value itself (or use `services:`)",
            where("filter"),
        )
    return rule.model_copy(update={"filter": unit})


def _default_id(rule: Alert) -> str:
    if isinstance(rule, ComponentLatencyP95):
        return f"component-latency-p95-{rule.component}"
    return rule.type.replace("_", "-")


def _seconds(duration: str) -> int:
    seconds = duration_seconds(duration, "smh")
    assert seconds is not None  # a definition's Duration is validated as one
    return seconds


def ratio_step(window: str) -> int:
    """A step so long that the rolling window almost always falls inside one bucket: a day, or 24
    windows for windows longer than an hour (the window straddles a bucket start at most 1 time in 24)."""
    return max(DAY_SECONDS, 24 * _seconds(window))


def _levels(rule: AlertBase) -> tuple[tuple[str, float], ...]:
    return tuple((name, value) for name, value in (("warning", rule.warning), ("critical", rule.critical))
                 if value is not None)


# ---------------------------------------------------------------------------------------------
# Queries per rule type


def _narrowing(rule: AlertBase) -> tuple[str, ...]:
    """The rule's own filter parts: its services, the services it leaves out, its expression."""
    return (
        key_in("service.name", rule.services),
        key_in("service.name", rule.exclude_services, negate=True),
        rule.filter,
    )


class _Queries(TypedDict):
    builders: tuple[Builder, ...]
    formulas: tuple[Formula, ...]


def _ratio(builders: tuple[Builder, ...], expression: str, legend: str) -> _Queries:
    """A share in percent: the inputs, and the formula over them (the `_Shape`'s queries)."""
    return {"builders": builders, "formulas": (ratio_formula(expression, 100, legend),)}


def _latency(
    measure: Measure | None, rule: TurnLatencyP95 | ComponentLatencyP95, what: str, title: str, noun: str,
    origin: Location | None,
) -> list[_Shape]:
    if measure is None:
        raise DefinitionError(f"the dashboard's profile records no {what}, so this rule has nothing to watch", origin)
    per_second = 1000 if rule.unit == "ms" else 1
    shapes = []
    for severity, level in _levels(rule):
        builders, expression = latency_share_query(measure, level / per_second, *_narrowing(rule))
        shown = f"{number(level)} {rule.unit}"
        shapes.append(_Shape(
            **_ratio(builders, expression, f"share of {noun} over {shown}"), selected="F1", unit="percent",
            target_unit="percent", title=title, about=
            f"The share of {noun} whose `{measure.attribute}` (`{measure.span}` spans) is above {shown}, over "
            f"the window; above {number(rule.percent)} % means the P{number(100 - rule.percent)} is above {shown}. "
            f"{measure.note}".strip(),
            levels=((severity, rule.percent),), step=ratio_step(rule.window), id_suffix=f"-{severity}",
            title_suffix=f" ({severity})",
            summary=f"{{{{$value}}}} % of {noun}{{where}} took longer than {shown} (at most "
            f"{{{{$threshold}}}} % may)",
        ))
    return shapes


def _turn_latency(rule: TurnLatencyP95, profile: Profile, origin: Location | None) -> list[_Shape]:
    return _latency(profile.turn_latency, rule, "turn latency", "Voice-to-voice latency P95", "turns", origin)


def _component_latency(rule: ComponentLatencyP95, profile: Profile, origin: Location | None) -> list[_Shape]:
    measure = profile.component_latency.get(rule.component)
    noun = {"stt": "user turns", "llm": "LLM calls", "tts": "TTS requests"}[rule.component]
    return _latency(measure, rule, f"{rule.component} latency", _COMPONENT_TITLES[rule.component], noun, origin)


def _error_rate(rule: ErrorRateAlert, profile: Profile, origin: Location | None) -> list[_Shape]:
    builders, expression = error_rate_query(profile, *_narrowing(rule))
    return [_Shape(
        **_ratio(builders, expression, "error rate"), selected="F1", unit="percent", target_unit="percent",
        title="Error rate", about=error_rate_about(profile, " over the window, in percent"),
        levels=_levels(rule), step=ratio_step(rule.window),
    )]


def _dead_air(rule: DeadAirAlert, profile: Profile, origin: Location | None) -> list[_Shape]:
    if profile.dead_air is None:
        raise DefinitionError("the dashboard's profile records no dead air, so this rule has nothing to watch", origin)
    builders, expression = dead_air_query(profile, *_narrowing(rule))
    return [_Shape(
        **_ratio(builders, expression, "dead air"), selected="F1", unit="percent", target_unit="percent",
        title="Dead air",
        about=f"Turns the agent never answered / turns that expected an answer, over the window, in percent. "
        f"{profile.dead_air.note}",
        levels=_levels(rule), step=ratio_step(rule.window),
        summary="{{$value}} % of turns{where} got no reply (threshold {{$threshold}} %)",
    )]


def _tokens_per_call(rule: TokensPerCall, profile: Profile, origin: Location | None) -> list[_Shape]:
    tokens_in, tokens_out = token_count(profile, "input_tokens"), token_count(profile, "output_tokens")
    assert tokens_in is not None and tokens_out is not None
    extra = _narrowing(rule)
    starts = call_starts(profile).span
    return [_Shape(
        builders=(
            token_builder("A", tokens_in, *extra, disabled=True),
            token_builder("B", tokens_out, *extra, disabled=True),
            call_count_builder("C", profile, *extra, disabled=True),
        ),
        formulas=(formula("F1", "(A + B) / C", "tokens per call"),),
        selected="F1", unit=profile.input_tokens.unit, target_unit="", title="LLM tokens per call",
        about=f"(`{tokens_in.attribute}` + `{tokens_out.attribute}`) / calls started (`{starts}` spans), over the "
        f"window: in steady traffic, the tokens one call spends. {tokens_about([tokens_in, tokens_out])} It "
        "guards against a prompt or context that grows without bound, a tool loop, or a model that talks "
        "too much; set the levels from your own Tokens per call tile.",
        levels=_levels(rule), step=ratio_step(rule.window),
    )]


def _no_data(rule: NoData, profile: Profile, origin: Location | None) -> list[_Shape]:
    minutes = max(1, _seconds(rule.window) // 60)
    services = rule.services or [""]
    suffixes = _service_suffixes(rule.services, origin)

    turns = profile.turns.span  # every call has turns: the heartbeat of a voice agent

    def shape(service: str) -> _Shape:
        who = f"service {service}" if service else "any service"
        narrowing = (span_is(turns), key_in("service.name", [service]) if service else "",
                     key_in("service.name", rule.exclude_services, negate=True), rule.filter)
        return _Shape(
            builders=(builder("A", "traces", all_of(*narrowing), [aggregation("count()")]),), formulas=(),
            selected="A", unit="none", target_unit="", title=f"No conversation turns from {service or 'any service'}",
            about=f"Fires when {who} sends no `{turns}` span for {rule.window}: the agent is down, takes no calls, "
            "or its telemetry stopped. SigNoz checks absence per rule, not per group"
            + (", so each service has a rule of its own." if service else ": list `services:` for one rule each.")
            + " Voice agents send spans only during calls: raise the window if yours have quiet hours.",
            levels=((rule.severity, 1),), id_suffix=f"-{suffixes[service]}" if service else "",
            summary=f"No conversation turns from {who} for {rule.window}", absent_for_minutes=minutes, group=False,
        )

    return [shape(s) for s in services]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "service"


def _service_suffixes(services: list[str], origin: Location | None) -> dict[str, str]:
    """Each service's part of its rule id: its slug, plus a short hash of its name where two
    services of the rule have the same slug (names that differ only outside a-z and 0-9, such as
    two names in another script, which both slug to `service`), so each keeps a rule of its own."""
    counts = Counter(services)
    twice = [service for service, count in counts.items() if count > 1]
    if twice:
        raise DefinitionError(f"service {twice[0]!r} is listed twice in `services:`", origin)
    slugs = Counter(_slug(service) for service in services)
    return {
        service: _slug(service) if slugs[_slug(service)] == 1
        else f"{_slug(service)}-{hashlib.sha256(service.encode()).hexdigest()[:8]}"
        for service in services
    }


def _threshold(rule: ThresholdAlert, profile: Profile, origin: Location | None) -> list[_Shape]:
    return [_Shape(
        builders=(builder("A", rule.signal, all_of(*_narrowing(rule)), [aggregation(rule.aggregation)]),),
        formulas=(), selected="A", unit=rule.unit, target_unit=rule.threshold_unit or "", title=rule.id,
        about=f"`{rule.aggregation}` over {rule.signal}.", levels=_levels(rule), signal=rule.signal,
    )]


QUERIES: dict[str, Callable[..., list[_Shape]]] = {
    "turn_latency_p95": _turn_latency,
    "component_latency_p95": _component_latency,
    "error_rate": _error_rate,
    "dead_air": _dead_air,
    "tokens_per_call": _tokens_per_call,
    "no_data": _no_data,
    "threshold": _threshold,
}


# ---------------------------------------------------------------------------------------------
# The rest of the rule: levels, labels, annotations, grouping


def _view(dashboard: Dashboard, rule: AlertBase, rule_id: str, shape: _Shape) -> RuleView:
    defaults: AlertDefaults = dashboard.alerts
    title = (rule.title or shape.title) + shape.title_suffix
    group_by = tuple(rule.group_by) if shape.group else ()
    fields = [key(k, "resource" if is_resource_attribute(k) else "attribute", "string") for k in group_by]
    legend = " ".join(f"{{{{{k}}}}}" for k in group_by)
    builders = [
        b.model_copy(update={"group_by": fields, "step": shape.step, "legend": legend if b.name == shape.selected else b.legend})
        for b in shape.builders
    ]
    formulas = [f.model_copy(update={"legend": legend or f.legend}) for f in shape.formulas]
    # A rule's queries always travel in a composite, written as signoz-dac writes them.
    entries = tuple(View(e, "signoz-dac", (e.style_key, "composite")) for e in [*builders, *formulas])
    levels = tuple(
        LevelView(name, _number(value), shape.target_unit, rule.op, rule.match, _channels(rule, defaults, name))
        for name, value in shape.levels
    )
    labels = {**defaults.labels, **rule.labels}
    labels.setdefault("severity", levels[-1].name)  # the highest level set
    labels.update(identity_labels(dashboard.name, rule_id))
    where = " on {{$service.name}}" if "service.name" in group_by else ""
    description = rule.description or shape.about
    default_summary = (
        shape.summary.replace("{where}", where) if shape.summary
        else f"{title}{where} is {{{{$value}}}}, {_RELATION[rule.op]} the {{{{$threshold}}}} threshold"
    )
    annotations = {"summary": rule.summary or default_summary, "description": description}
    if rule.runbook:
        annotations["runbook_url"] = rule.runbook
    return RuleView(
        alert=f"{dashboard.title}: {title}",
        alert_type=SIGNAL_ALERT_TYPES[shape.signal],
        description=description,
        disabled=not rule.enabled,
        entries=entries,
        selected=shape.selected,
        unit=shape.unit,
        levels=levels,
        window=rule.window,
        frequency=rule.frequency,
        labels=tuple(sorted(labels.items())),
        annotations=tuple(annotations.items()),
        group_by=group_by,
        renotify=rule.renotify,
        absent_for=shape.absent_for_minutes,
    )


def _channels(rule: AlertBase, defaults: AlertDefaults, level: str) -> tuple[str, ...]:
    """The first that is set: the rule's own channels win over the dashboard's defaults, and a
    level's own list (`critical_channels`) over the general one."""
    order: tuple[list[str] | None, ...]
    if level == "critical":
        order = (rule.critical_channels, rule.channels, defaults.critical_channels, defaults.channels)
    else:
        order = (rule.channels, defaults.channels)
    return tuple(next(c for c in order if c is not None))


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
