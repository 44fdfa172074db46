"""What signoz-dac demands of its own rendered output, on top of what SigNoz accepts.

The strict models in `signoz.v6` and `signoz.rules` accept exactly what SigNoz accepts. Our own
dashboards and rules must also work where they land: in SigNoz's UI, at query time, on newer
servers. A template that drifts from that (a user's `--templates` copy included) must not produce
something SigNoz stores but the UI shows empty or wrong, so `render` refuses it. Foreign JSON is
not held to these rules (lint reports what the UI does with it).

Each check returns `Issue`s at JSON paths of the rendered body.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from signoz_dac.definitions.common import duration_seconds
from signoz_dac.definitions.generic.panels import PANEL_KEY
from signoz_dac.errors import Issue
from signoz_dac.signoz.expressions import FormulaSyntaxError, aggregation_problem, formula_references
from signoz_dac.signoz.rules.checks import SIGNAL_ALERT_TYPES
from signoz_dac.signoz.ui import REQUEST_TYPE
from signoz_dac.signoz.v6.base import ignored_fields, join_path
from signoz_dac.signoz.v6.variables import SQL_TIME_VARIABLES, parse_custom_values

_ALERT_SIGNALS = {alert_type: signal for signal, alert_type in SIGNAL_ALERT_TYPES.items()}
_QUERY_TYPES = {
    "builder": {"builder_query", "builder_formula", "builder_trace_operator"},
    "promql": {"promql"},
    "clickhouse_sql": {"clickhouse_sql"},
}
# SigNoz converts a threshold's targetUnit to the query's unit within one category only.
_UNIT_CATEGORIES = {
    **dict.fromkeys(("ns", "us", "µs", "ms", "s", "m", "h", "d"), "time"),
    **dict.fromkeys(("percent", "percentunit"), "percent"),
    **dict.fromkeys(("bytes", "decbytes", "bits", "decbits", "kbytes", "mbytes", "gbytes"), "data"),
}


def dashboard_issues(dash: Any) -> list[Issue]:
    """Our demands on a parsed dashboard (`parse_dashboard`'s result)."""
    issues = [Issue(path, f"SigNoz ignores the field {name!r}: a template typo?") for path, name in _ignored(dash, "")]
    spec = dash.spec
    # Newer servers accept a dashboard duration only as "" or one positive whole number of m, h, d or w.
    if spec.duration and duration_seconds(spec.duration, "mhdw") is None:
        issues.append(Issue("spec.duration", f'must be "" or a positive whole number of m, h, d or w such as "1h", got {spec.duration!r}'))
    for key, panel in spec.panels.items():
        base = f"spec.panels.{key}" if "." not in key else f'spec.panels."{key}"'
        if not PANEL_KEY.fullmatch(key):  # usable in a layout `$ref` (`#/spec/panels/<key>`)
            issues.append(Issue(base, f"panel key {key!r} must be 1-75 characters of [A-Za-z0-9_-] (so a layout can place it)"))
        kind = panel.spec.plugin.kind
        for i, query in enumerate(panel.spec.queries or []):
            path = f"{base}.spec.queries[{i}]"
            # The UI derives the request type from the panel kind and ignores the query's `kind`,
            # so we save the kind it will run as (a top-level formula is signoz.ui's concern).
            expected = REQUEST_TYPE[kind]
            if query.kind != expected:
                issues.append(Issue(f"{path}.kind", f"must be {expected!r} for a {kind}: the UI runs it as {expected}"))
            plugin = query.spec.plugin
            if plugin.kind == "signoz/CompositeQuery":
                issues += _composite_names(plugin.spec.queries or [], f"{path}.spec.plugin.spec.queries")
    return issues + _time_variable_names(spec) + _custom_defaults(spec) + _repeat_variables(spec)


def _time_variable_names(spec: Any) -> list[Issue]:
    """A variable named as one of the time range's names in ClickHouse SQL: where the dashboard
    runs SQL (a panel or a query variable), its value and the time range would take each other's
    place."""
    if not _runs_sql(spec):
        return []
    return [
        Issue(f"spec.variables[{i}].spec.name",
              f"{v.spec.name!r} is the name SigNoz gives the panel's time range in ClickHouse SQL; rename the variable")
        for i, v in enumerate(spec.variables) if v.spec.name in SQL_TIME_VARIABLES
    ]


# The default SigNoz's UI reads as "select ALL".
_UI_ALL = "__ALL__"


def _custom_defaults(spec: Any) -> list[Issue]:
    """A custom variable's default that is none of its values. SigNoz's UI selects the configured
    default whether or not it is an option, so the dashboard would open filtered on a value no one
    can pick again (a typo such as `prd` for `prod` empties every panel that filters on it)."""
    issues = []
    for i, variable in enumerate(spec.variables):
        plugin = getattr(variable.spec, "plugin", None)
        default = getattr(variable.spec, "defaultValue", None)
        if plugin is None or plugin.kind != "signoz/CustomVariable" or default is None:
            continue
        options = parse_custom_values(plugin.spec.customValue)
        missing = [d for d in (default if isinstance(default, list) else [default])
                   if d != _UI_ALL and not _is_option(d, options)]
        if missing:
            issues.append(Issue(
                f"spec.variables[{i}].spec.defaultValue",
                f"default {', '.join(map(repr, missing))} is not one of the variable's values "
                f"({', '.join(map(str, options))}): SigNoz's UI would select it anyway, a value its list does not offer",
            ))
    return issues


def _is_option(value: str, options: list[Any]) -> bool:
    """Whether a default names an option (the UI reads numeric options as numbers: `1.0` is 1)."""
    text = value.strip()
    for option in options:
        if str(option) == text:
            return True
        if isinstance(option, (int, float)):
            try:
                if float(text) == option:
                    return True
            except ValueError:
                pass
    return False


def _repeat_variables(spec: Any) -> list[Issue]:
    """A section's repeatVariable that names no variable of the dashboard (a typo, or a variable
    since renamed): SigNoz's UI shows it as a badge on the section, naming nothing."""
    names = {variable.spec.name for variable in spec.variables}
    return [
        Issue(f"spec.layouts[{i}].spec.repeatVariable",
              f"names {layout.spec.repeatVariable!r}, which is not a variable of this dashboard "
              f"({', '.join(sorted(names)) or 'it has none'})")
        for i, layout in enumerate(spec.layouts) if layout.spec.repeatVariable and layout.spec.repeatVariable not in names
    ]


def _runs_sql(spec: Any) -> bool:
    for variable in spec.variables:
        plugin = getattr(variable.spec, "plugin", None)
        if plugin is not None and plugin.kind == "signoz/QueryVariable":
            return True
    for panel in spec.panels.values():
        for query in panel.spec.queries or []:
            plugin = query.spec.plugin
            inner = plugin.spec.queries or [] if plugin.kind == "signoz/CompositeQuery" else []
            if plugin.kind == "signoz/ClickHouseSQL" or any(q.type == "clickhouse_sql" for q in inner):
                return True
    return False


def rule_issues(rule: Any) -> list[Issue]:
    """Our demands on a parsed alert rule (`parse_rule`'s result)."""
    issues = [Issue(path, f"SigNoz ignores the field {name!r}: a template typo?") for path, name in _ignored(rule, "")]
    cq = rule.condition.compositeQuery
    envelopes = cq.queries or []
    where = "condition.compositeQuery.queries"
    allowed = _QUERY_TYPES.get(cq.queryType, set())
    for i, env in enumerate(envelopes):
        if env.type not in allowed:
            issues.append(Issue(f"{where}[{i}].type", f"{env.type!r} does not belong in a queryType {cq.queryType!r} rule"))
        if env.type == "builder_query":
            for j, agg in enumerate(env.spec.aggregations or []):
                problem = aggregation_problem(agg.expression) if env.spec.signal != "metrics" else None
                if problem:
                    issues.append(Issue(f"{where}[{i}].spec.aggregations[{j}].expression", problem))
    issues += _composite_names(envelopes, where)
    names = {env.spec.name: env for env in envelopes}
    selected = rule.condition.selectedQueryName
    if not selected and len(envelopes) > 1:
        issues.append(Issue("condition.selectedQueryName", "must name the query the rule evaluates when it has several"))
    elif selected in names and names[selected].spec.disabled:
        issues.append(Issue("condition.selectedQueryName", f"selects {selected!r}, which is disabled, so the rule never sees data"))
    if (cq.queryType == "promql") != (rule.ruleType == "promql_rule"):
        issues.append(Issue("ruleType", "a PromQL rule must say ruleType 'promql_rule', and only a PromQL rule may"))
    signal = _ALERT_SIGNALS.get(rule.alertType)
    for i, env in enumerate(envelopes):
        if signal and env.type == "builder_query" and env.spec.signal != signal:
            issues.append(Issue(f"{where}[{i}].spec.signal", f"is {env.spec.signal!r} but alertType {rule.alertType} is about {signal}"))
    issues += _thresholds(rule.condition.thresholds, cq.unit)
    return issues


def _composite_names(envelopes: list[Any], where: str) -> list[Issue]:
    """Every query of a composite named once (formulas and selectedQueryName refer to them by
    name), and each formula naming only queries of its composite (else it fails at query time)."""
    issues: list[Issue] = []
    names: dict[str, int] = {}
    for i, env in enumerate(envelopes):
        name = env.spec.name
        if not name:
            issues.append(Issue(f"{where}[{i}].spec.name", "every query needs a name: formulas refer to queries by name"))
        elif name in names:
            issues.append(Issue(f"{where}[{i}].spec.name", f"query name {name!r} is also {where}[{names[name]}]"))
        else:
            names[name] = i
    for i, env in enumerate(envelopes):
        if env.type != "builder_formula":
            continue
        try:
            refs = formula_references(env.spec.expression)
        except FormulaSyntaxError:
            continue  # SigNoz's own check reports it
        for ref in sorted(refs - names.keys()):
            issues.append(Issue(f"{where}[{i}].spec.expression", f"refers to {ref!r}, which is not a query of this composite"))
    return issues


def _thresholds(thresholds: Any, unit: str) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[str] = set()
    levels = (thresholds.spec or []) if thresholds is not None else []
    for i, level in enumerate(levels):
        where = f"condition.thresholds.spec[{i}]"
        if level.name in seen:
            issues.append(Issue(f"{where}.name", f"duplicate threshold name {level.name!r}"))
        seen.add(level.name)
        target = level.targetUnit
        if target and not unit:
            issues.append(Issue(f"{where}.targetUnit", "needs compositeQuery.unit (the unit of the query's values) to convert from"))
        elif target and target != unit:
            # A unit its converters do not know, SigNoz does not convert: the level would be compared
            # as written with values in another unit, so the rule fires at the wrong level.
            for which, name in (("", target), ("the query's unit ", unit)):
                if name not in _UNIT_CATEGORIES:
                    issues.append(Issue(f"{where}.targetUnit", f"{which}{name!r} is not a unit SigNoz converts "
                                        f"thresholds between ({', '.join(_UNIT_CATEGORIES)})"))
                    break
            else:
                if _UNIT_CATEGORIES[target] != _UNIT_CATEGORIES[unit]:
                    issues.append(Issue(f"{where}.targetUnit", f"{target!r} cannot be converted from the query's unit {unit!r}"))
        for j, channel in enumerate(level.channels or []):
            if not channel.strip():
                issues.append(Issue(f"{where}.channels[{j}]", "must not be empty"))
    return issues


def _ignored(value: Any, path: str) -> list[tuple[str, str]]:
    """(path, name) of every key SigNoz would ignore, anywhere in a parsed model.

    The walk visits every node of every body rendered, so a node's path is spelled out only where
    an ignored key is found."""
    found: list[tuple[str, str]] = []
    _walk(value, (path,), found)
    return found


_CONTAINERS = (BaseModel, dict, list)


def _walk(value: Any, at: tuple[str, ...], found: list[tuple[str, str]]) -> None:
    if isinstance(value, BaseModel):
        if value.model_extra:
            base = _spell(at)
            found += [(join_path(base, name), name) for name in ignored_fields(value)]
        for field, key in _keys(type(value)):
            item = getattr(value, field)
            if isinstance(item, _CONTAINERS):
                _walk(item, (*at, key), found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, _CONTAINERS):
                _walk(item, (*at, f'"{key}"' if "." in str(key) else str(key)), found)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, _CONTAINERS):
                _walk(item, (*at, f"[{i}]"), found)


def _spell(at: tuple[str, ...]) -> str:
    path = ""
    for part in at:
        path = join_path(path, part)
    return path


@cache
def _keys(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, its key in SigNoz's JSON) for each field of a model, in order."""
    return tuple((field, info.alias or field) for field, info in model.model_fields.items())
