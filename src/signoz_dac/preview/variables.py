"""Dashboard variables → the values SigNoz sends with each panel query, chosen as the UI chooses them.

The UI's initial selection: a `defaultValue` of "__ALL__" means ALL; otherwise the configured
default; otherwise ALL for a multi-select that allows it; otherwise the first option. What the
request then carries: a dynamic variable set to ALL sends "__all__"; a query or custom variable
set to ALL sends every option; a text variable its value. Custom values are comma separated
(`\\,` escapes a comma, `label : value` keeps the value) and numeric strings become numbers.

Options of a dynamic variable are the attribute's values in the spans; a query variable runs its
SQL (with SigNoz's variable substitution) on the loaded spans. Without a store only defaults and
text values are known.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.errors import InputError
from signoz_dac.preview.errors import NotEvaluated
from signoz_dac.preview.fields import value_of
from signoz_dac.preview.filters import ALL
from signoz_dac.preview.query import TimeRange, time_conditions
from signoz_dac.signoz.expressions.filter import make_key
from signoz_dac.signoz.v6.variables import parse_custom_values

UI_ALL = "__ALL__"


@dataclass
class VariableValue:
    name: str
    kind: str  # dynamic | query | custom | text
    value: Any  # what the request carries: "__all__", a list, a string, a number
    shown: str  # how the variables bar shows it
    options: list[Any] = field(default_factory=list)
    note: str = ""


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """`--var name=value` items; a malformed one is bad input."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--var {item!r}: expected NAME=VALUE (VALUE may be ALL, or a,b for several)")
        out[name.strip()] = value
    return out


def resolve_variables(body: Mapping[str, Any], engine: Any | None, rng: TimeRange,
                      overrides: Mapping[str, str] | None = None) -> list[VariableValue]:
    overrides = dict(overrides or {})
    known: dict[str, Any] = {}
    out: list[VariableValue] = []
    for variable in body.get("spec", {}).get("variables") or []:
        spec = variable.get("spec") or {}
        name = str(spec.get("name") or "")
        if variable.get("kind") == "TextVariable":
            value = overrides.pop(name, spec.get("value", ""))
            out.append(VariableValue(name, "text", value, str(value)))
        else:
            out.append(_list_variable(spec, engine, rng, known, overrides.pop(name, None)))
        known[name] = out[-1].value
    if overrides:
        raise InputError(f"--var: the dashboard has no variable {', '.join(sorted(overrides))}")
    return out


def _list_variable(spec: Mapping[str, Any], engine: Any | None, rng: TimeRange, known: Mapping[str, Any],
                   override: str | None) -> VariableValue:
    name = str(spec.get("name") or "")
    plugin = spec.get("plugin") or {}
    kind = {"signoz/DynamicVariable": "dynamic", "signoz/QueryVariable": "query",
            "signoz/CustomVariable": "custom"}.get(plugin.get("kind", ""), "custom")
    multiple = bool(spec.get("allowMultiple"))
    allow_all = bool(spec.get("allowAllValue")) and multiple
    options: list[Any] = []
    note = ""
    try:
        options = sort_options(_options(kind, plugin.get("spec") or {}, engine, rng, known), spec.get("sort"))
    except NotEvaluated as exc:
        note = str(exc)
    wanted: Any
    if override is not None:
        # The UI selects among the options, so a value sent is an option as it is typed there (a
        # custom variable's "5" is the number 5).
        wanted = UI_ALL if override.strip().upper() in ("ALL", UI_ALL) else (
            [_as_option(v.strip(), options) for v in override.split(",")] if multiple else _as_option(override, options))
    else:
        wanted = spec.get("defaultValue")
        if wanted in (None, "", []):
            wanted = UI_ALL if allow_all else (options[:1] if multiple else (options[0] if options else ""))
    if wanted == UI_ALL or wanted == [UI_ALL]:
        if kind == "dynamic":
            return VariableValue(name, kind, ALL, "ALL", options, note)
        return VariableValue(name, kind, list(options), "ALL", options, note)
    if multiple and not isinstance(wanted, list):
        wanted = [wanted]
    shown = ", ".join(map(str, wanted)) if isinstance(wanted, list) else str(wanted)
    return VariableValue(name, kind, wanted, shown, options, note)


def _as_option(text: str, options: Sequence[Any]) -> Any:
    """The option written as `text`, or the text itself when no option is."""
    return next((o for o in options if str(o) == text), text)


def sort_options(options: list[Any], sort: Any) -> list[Any]:
    """The options in the variable's `sort` order, which the UI lists them in (and takes the first
    of, when nothing else chooses): alphabetical, case-insensitive alphabetical, or numerical
    (values that are not numbers after the numbers); `none` keeps them as they came."""
    order = str(sort or "none").lower()
    if order == "none" or "-" not in order:
        return options
    how, direction = order.rsplit("-", 1)

    def number(value: Any) -> tuple[int, float]:
        try:
            return (0, float(value))
        except (TypeError, ValueError):
            return (1, 0.0)

    keys: dict[str, Callable[[Any], Any]] = {"alphabetical": str, "alphabetical-ci": lambda v: str(v).lower(),
                                              "numerical": number}
    key = keys.get(how)
    if key is None:
        return options
    return sorted(options, key=key, reverse=direction == "desc")


def _options(kind: str, plugin: Mapping[str, Any], engine: Any | None, rng: TimeRange,
             known: Mapping[str, Any]) -> list[Any]:
    if kind == "custom":
        return parse_custom_values(str(plugin.get("customValue") or ""))
    if engine is None:
        return []
    if kind == "query":
        return engine.variable_options(str(plugin.get("queryValue") or ""), known, rng)
    key = make_key(str(plugin.get("name") or ""), 0)
    resolved = engine.catalog.resolve(key)
    rows = engine.store.query(
        f"SELECT DISTINCT toString({value_of(resolved.fields)}) AS v FROM signoz_traces.distributed_signoz_index_v3 "
        f"WHERE {' AND '.join(time_conditions(rng))} AND v IS NOT NULL ORDER BY v LIMIT 1000"
    )
    return [r["v"] for r in rows]
