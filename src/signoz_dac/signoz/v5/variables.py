"""The v5 `variables` map -> v6 variables, as SigNoz converts them
(`pkg/types/dashboardtypes/perses_v1_to_v2_variables.go`).

- Sorted by `order`, then by map key (the variable's id).
- QUERY, CUSTOM and DYNAMIC become a ListVariable with the matching plugin; TEXTBOX a
  TextVariable with `textboxValue` as its value. The display name is the variable's name.
- Skipped silently: no name, no type, a DYNAMIC without an attribute, a QUERY without a query, a
  CUSTOM without values. A non-empty unknown type is a malformed field (see `unknown_types`).
- `allowMultiple` = multiSelect; the ALL option (and `customAllValue`) only with multiSelect;
  `selectedValue` -> `defaultValue` (empty entries dropped); sort ASC/DESC -> alphabetical-*.
"""

from __future__ import annotations

from typing import Any

from signoz_dac.errors import Issue

from .read import as_dict, as_number, as_text
from .shape import member
from .vocabulary import DYNAMIC_SOURCES, SORTS, VARIABLE_TYPES


def unknown_types(variables: Any) -> list[Issue]:
    return [
        Issue(member(member("variables", key), "type"), f"unknown variable type {v['type']!r}; one of: {', '.join(VARIABLE_TYPES)}")
        for key, v in as_dict(variables).items()
        if isinstance(v, dict) and as_text(v.get("type")) and v["type"] not in VARIABLE_TYPES
    ]


def _text_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _default(raw: dict[str, Any]) -> str | list[str] | None:
    # A list stays a list even on a single-select variable (SigNoz's v6 check then refuses it).
    selected = raw.get("selectedValue")
    if isinstance(selected, list):
        values = [_text_value(v) for v in selected if v is not None and _text_value(v) != ""]
        return values or None
    if selected is None or _text_value(selected) == "":
        return None
    return _text_value(selected)


def _plugin(raw: dict[str, Any]) -> dict[str, Any] | None:
    kind = raw.get("type")
    if kind == "DYNAMIC":
        attribute = as_text(raw.get("dynamicVariablesAttribute"))
        if not attribute:
            return None
        signal = DYNAMIC_SOURCES.get(as_text(raw.get("dynamicVariablesSource")).strip().lower(), "all")
        return {"kind": "signoz/DynamicVariable", "spec": {"name": attribute, "signal": signal}}
    if kind == "QUERY":
        query = as_text(raw.get("queryValue"))
        return {"kind": "signoz/QueryVariable", "spec": {"queryValue": query}} if query else None
    if kind == "CUSTOM":
        values = as_text(raw.get("customValue"))
        return {"kind": "signoz/CustomVariable", "spec": {"customValue": values}} if values else None
    return None


def convert_variable(raw: dict[str, Any]) -> dict[str, Any] | None:
    name = as_text(raw.get("name"))
    kind = as_text(raw.get("type"))
    if not name or kind not in VARIABLE_TYPES:
        return None
    display = {"name": name, "description": as_text(raw.get("description"))}
    if kind == "TEXTBOX":
        return {
            "kind": "TextVariable",
            "spec": {"display": display, "value": as_text(raw.get("textboxValue")), "constant": False, "name": name},
        }
    plugin = _plugin(raw)
    if plugin is None:
        return None
    multiple = raw.get("multiSelect") is True
    allow_all = multiple and raw.get("showALLOption") is True
    spec: dict[str, Any] = {"display": display}
    default = _default(raw)
    if default is not None:
        spec["defaultValue"] = default
    spec.update(
        allowAllValue=allow_all,
        allowMultiple=multiple,
        customAllValue=as_text(raw.get("customAllValue")) if allow_all else "",
        capturingRegexp="",
        sort=SORTS.get(as_text(raw.get("sort")).upper(), "none"),
        plugin=plugin,
        name=name,
    )
    return {"kind": "ListVariable", "spec": spec}


def convert_variables(variables: Any, *, strip_spaces: bool = False) -> list[dict[str, Any]]:
    """v6 `spec.variables`. `strip_spaces`: the v4->v5 migration (for bodies not yet `version:
    "v5"`) removes spaces from variable names."""
    entries = sorted(
        ((key, as_dict(raw)) for key, raw in as_dict(variables).items()),
        key=lambda kv: (as_number(kv[1].get("order")) or 0, kv[0]),
    )
    out = []
    for _, raw in entries:
        if strip_spaces and isinstance(raw.get("name"), str):
            raw = {**raw, "name": raw["name"].replace(" ", "")}
        variable = convert_variable(raw)
        if variable is not None:
            out.append(variable)
    return out
