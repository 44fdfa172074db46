"""What the client accepts from SigNoz: one small shape check per kind of reply, at the boundary.

Everything above the client (plan, diff, apply) reads replies as SigNoz sends them: objects with
an `id`, tags as `{key, value}` strings, a dashboard's `spec` as an object of panels and layouts,
a rule's `labels` as strings. A reply of another shape (an HTML page served with status 200, a
list where an object belongs, a 201 without an `id`, `spec: "x"`, tags as plain strings...) is a
`BadReply`, raised here, so callers never meet it and a hostile or broken server cannot crash them.
The checks cover what our code reads; a field SigNoz adds later passes through untouched.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from signoz_dac.signoz.errors import BadReply


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _fail(what: str, value: Any, expected: str) -> NoReturn:
    raise BadReply(f"the reply is not what SigNoz sends: {what} is {_kind(value)}, not {expected}")


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(what, value, "an object")
    return value


def _list(value: Any, what: str, *, null_ok: bool = True) -> list[Any]:
    if value is None and null_ok:
        return []
    if not isinstance(value, list):
        _fail(what, value, "a list")
    return value


def _optional(obj: dict[str, Any], key: str, expected: type[str] | type[bool], what: str) -> None:
    value = obj.get(key)
    if value is not None and not isinstance(value, expected):
        _fail(f"{what}.{key}", value, "a string" if expected is str else "a boolean")


# SigNoz's ids are UUIDs (older rules: integers). An id goes into our URLs and messages, so nothing
# else is accepted: no `/` or `..` to reach another route, no spaces or control characters.
_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")


def _id(obj: dict[str, Any], what: str) -> None:
    value = obj.get("id")
    if isinstance(value, bool) or not isinstance(value, (str, int)) or not _ID.fullmatch(str(value)):
        _fail(f"{what}.id", value, "an id (letters, digits, '-' or '_')")


def _tags(obj: dict[str, Any], what: str) -> None:
    for index, tag in enumerate(_list(obj.get("tags"), f"{what}.tags")):
        where = f"{what}.tags[{index}]"
        _object(tag, where)
        for key in ("key", "value"):
            if not isinstance(tag.get(key), str):
                _fail(f"{where}.{key}", tag.get(key), "a string")


# The parts of a dashboard's `spec` that our code walks (canonical form, defaults, diff), as shapes:
# a dict is an object whose listed keys, when present and not null, have the shape given ("*": every
# value); [shape] a list of that shape; a type, an instance of it. Anything else in a spec is left alone.
_SPEC = {
    "display": {"name": str, "description": str},
    "panels": {"*": {"spec": {"display": {"name": str}, "plugin": {"kind": str, "spec": {"thresholds": list}}}}},
    "layouts": [{"spec": {"items": [{"content": dict}]}}],
    "variables": [{"kind": str, "spec": {"plugin": {"kind": str, "spec": dict}}}],
}


def _shape(value: Any, shape: Any, what: str) -> None:
    if isinstance(shape, dict):
        obj = _object(value, what)
        for key, inner in shape.items():
            items = obj.items() if key == "*" else [(key, obj.get(key))]
            for name, item in items:
                if item is not None:
                    _shape(item, inner, f"{what}.{name}")
    elif isinstance(shape, list):
        for index, item in enumerate(_list(value, what, null_ok=False)):
            _shape(item, shape[0], f"{what}[{index}]")
    elif not isinstance(value, shape):
        _fail(what, value, {str: "a string", list: "a list", dict: "an object"}.get(shape, str(shape)))


_AUDIT = ("name", "createdAt", "updatedAt", "createdBy", "updatedBy")


def dashboard_summary(value: Any, what: str = "reply") -> dict[str, Any]:
    """A dashboard as the list shows it: an id, a name, tags, `spec.display` at most."""
    obj = _object(value, what)
    _id(obj, what)
    for key in _AUDIT:
        _optional(obj, key, str, what)
    _optional(obj, "locked", bool, what)
    _tags(obj, what)
    if obj.get("spec") is not None:
        _shape(obj["spec"], {"display": _SPEC["display"]}, f"{what}.spec")
    return obj


def dashboard(value: Any, what: str = "reply") -> dict[str, Any]:
    """A whole dashboard (GET): the summary's fields, and a `spec` of panels, layouts and variables
    in the shapes our code reads."""
    obj = dashboard_summary(value, what)
    _shape(obj.get("spec"), _SPEC, f"{what}.spec")
    return obj


def dashboard_page(value: Any) -> tuple[list[dict[str, Any]], int | None]:
    """One page of the dashboard list: its dashboards and the server's `total`."""
    obj = _object(value, "reply")
    items = _list(obj.get("dashboards"), "reply.dashboards")
    page = [dashboard_summary(item, f"reply.dashboards[{index}]") for index, item in enumerate(items)]
    total = obj.get("total")
    return page, total if isinstance(total, int) and not isinstance(total, bool) else None


def created(value: Any, what: str = "reply") -> dict[str, Any]:
    """The answer to a create: at least an object with the new `id`."""
    obj = _object(value, what)
    _id(obj, what)
    return obj


def rule(value: Any, what: str = "reply") -> dict[str, Any]:
    """An alert rule: an id, its name (`alert`) and labels of strings, audit fields as strings."""
    obj = _object(value, what)
    _id(obj, what)
    _optional(obj, "alert", str, what)
    for key in ("createdAt", "updatedAt", "createdBy", "updatedBy", "createAt", "updateAt", "createBy", "updateBy"):
        _optional(obj, key, str, what)
    if obj.get("labels") is not None:
        for key, label in _object(obj["labels"], f"{what}.labels").items():
            if not isinstance(label, str):
                _fail(f"{what}.labels.{key}", label, "a string")
    return obj


def rule_list(value: Any) -> list[dict[str, Any]]:
    """Every rule: a list (v2), or `{"rules": [...]}` (v1's shape, from a proxy or an older server)."""
    if isinstance(value, dict):
        value = value.get("rules")
    return [rule(item, f"reply[{index}]") for index, item in enumerate(_list(value, "reply"))]


def channels(value: Any) -> list[dict[str, Any]]:
    """The notification channels; `name` is what rules refer to."""
    out = []
    for index, item in enumerate(_list(value, "reply")):
        obj = _object(item, f"reply[{index}]")
        _optional(obj, "name", str, f"reply[{index}]")
        out.append(obj)
    return out


def version(value: Any) -> str:
    """`GET /api/v1/version`'s `version`."""
    obj = _object(value, "reply")
    text = obj.get("version")
    if not isinstance(text, str):
        _fail("reply.version", text, "a string")
    return text


# --- the v1 dashboards API (SigNoz before 0.135) and its feature flags ----------------------------


def v1_dashboard(value: Any, what: str = "reply") -> dict[str, Any]:
    """A dashboard as `/api/v1/dashboards` returns it: an id, audit fields and `locked` beside the
    stored JSON in `data` (v5; a dashboard made through /api/v2 holds `{metadata, spec}` there)."""
    obj = _object(value, what)
    _id(obj, what)
    for key in _AUDIT[1:]:
        _optional(obj, key, str, what)
    _optional(obj, "locked", bool, what)
    data = _object(obj.get("data"), f"{what}.data")
    for index, tag in enumerate(_list(data.get("tags"), f"{what}.data.tags")):
        if not isinstance(tag, str):
            _fail(f"{what}.data.tags[{index}]", tag, "a string")
    for key in ("title", "description"):
        _optional(data, key, str, f"{what}.data")
    return obj


def v1_dashboard_list(value: Any) -> list[dict[str, Any]]:
    """Every dashboard `GET /api/v1/dashboards` returns (one list, no pages)."""
    return [v1_dashboard(item, f"reply[{index}]") for index, item in enumerate(_list(value, "reply"))]


def features(value: Any) -> dict[str, bool]:
    """`GET /api/v1/features`: each feature's name and whether it is active (entries of another shape
    are left out: only the flags signoz-dac asks about matter)."""
    out: dict[str, bool] = {}
    for item in _list(value, "reply"):
        if isinstance(item, dict) and isinstance(item.get("name"), str) and isinstance(item.get("active"), bool):
            out[item["name"]] = item["active"]
    return out
