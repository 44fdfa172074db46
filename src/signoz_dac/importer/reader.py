"""Read one body object into a generic model, through the body paths its options declare.

For each option: a value in the body that the style would write anyway is left unset (the YAML
stays short); any other value is set; a field the style would write but the body lacks goes to
`omit`. Keys of the object that no option reads are reported, with their JSON path: a body is
never read partly.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import ValidationError

from signoz_dac.definitions.generic.model import Omittable, body_path, child_context, submodel, unset_value
from signoz_dac.definitions.generic.style import OMIT, PRESENT, Context
from signoz_dac.importer.errors import fail
from signoz_dac.importer.yaml_out import data

MISSING = object()
M = TypeVar("M", bound=Omittable)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def get(obj: dict[str, Any], dotted: str) -> Any:
    """The value at a dotted path of `obj`, or MISSING."""
    node: Any = obj
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return MISSING
        node = node[part]
    return node


def same(a: Any, b: Any) -> bool:
    """Equal as JSON, types included (true is not 1, 1 is not 1.0); OMIT equals only itself."""
    if a is OMIT or b is OMIT:
        return a is b
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


class Reader:
    """Reads body objects of one dashboard in one style."""

    def __init__(self, style: str):
        self.style = style
        self.settings = 0  # options set or omitted: what the YAML will spell out

    def model(
        self,
        cls: type[M],
        obj: Any,
        path: str,
        context: Context,
        *,
        given: dict[str, Any] | None = None,
        handled: frozenset[str] = frozenset(),
        written: frozenset[str] = frozenset(),
        given_at: dict[str, str] | None = None,
    ) -> M:
        """`obj` as a `cls`. `given` are options the caller read itself; `handled` the body paths it
        consumed (so they are not reported as unknown); `written` the objects on the way to options
        that the templates always write, or that SigNoz treats as absent when empty; `given_at` the
        body paths of given options, for error messages."""
        if not isinstance(obj, dict):
            raise fail(path, f"must be an object, got {type(obj).__name__}")
        values: dict[str, Any] = dict(given or {})
        omit: list[str] = list(values.pop("omit", []))
        paths = set(handled)
        for name in cls.model_fields:
            where = body_path(cls, name)
            if where is None or name in values:
                continue
            paths.add(where)
            raw = get(obj, where)
            default = self.default(cls, name, context)
            if raw is MISSING:
                if default is not OMIT:
                    omit.append(name)
                continue
            value = self.value(cls, name, raw, join(path, where), context)
            if default is PRESENT:
                if isinstance(value, Omittable) and not value.model_fields_set and not value.omit:
                    continue
            elif default is not OMIT and same(data(value), data(default)):
                continue
            values[name] = value
        self._check_known(obj, paths, path)
        self._check_no_lost_object(obj, cls, paths, written, path)
        self.settings += len(set(values) - set(given or {})) + len(omit)
        if omit:
            values["omit"] = omit
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            loc = [p for p in error["loc"] if isinstance(p, str)]
            where = (given_at or {}).get(loc[0]) if loc else None
            where = where or (body_path(cls, loc[0]) if loc and loc[0] in cls.model_fields else None)
            message = str(error["msg"]).removeprefix("Value error, ")
            raise fail(join(path, where) if where else path, message) from None

    def default(self, cls: type[Omittable], name: str, context: Context) -> Any:
        """What the style writes for field `name` of a `cls` left unset (OMIT: nothing)."""
        return unset_value(cls, name, self.style, context)

    def value(self, cls: type[Omittable], name: str, raw: Any, path: str, context: Context) -> Any:
        """One option's value: sub-objects and lists of them become models, the rest stays JSON."""
        try:
            sub = submodel(cls, name)
        except TypeError:
            return raw
        if isinstance(raw, list):
            return [self.model(sub, item, join(path, i), child_context(context, name, sub)) for i, item in enumerate(raw)]
        if raw is None:
            return None
        return self.model(sub, raw, path, child_context(context, name, sub))

    @staticmethod
    def _check_no_lost_object(obj: dict[str, Any], cls: type[Omittable], paths: set[str], written: frozenset[str], path: str) -> None:
        """An object on the way to options (`filter` of `filter.expression`) is written when one of
        its options is: an empty one present in the body would be lost."""
        for where in paths:
            parts = where.split(".")
            for depth in range(1, len(parts)):
                prefix = ".".join(parts[:depth])
                node = get(obj, prefix)
                if prefix in written or not isinstance(node, dict):
                    continue
                if not any(p.startswith(prefix + ".") and get(obj, p) is not MISSING for p in paths):
                    raise fail(join(path, prefix), "an empty object here cannot be represented in a definition")

    @staticmethod
    def _check_known(obj: dict[str, Any], paths: set[str], path: str) -> None:
        """Every key of `obj` is read by some option (or is on the way to one)."""
        prefixes = {p.split(".")[0] for p in paths}
        for key in obj:
            if key not in prefixes:
                raise fail(join(path, key), "is not a field a definition can set (SigNoz does not accept it either)")
        for nested in {p.split(".", 1)[0] for p in paths if "." in p}:
            inner = obj.get(nested)
            if isinstance(inner, dict):
                rest = {p.split(".", 1)[1] for p in paths if p.startswith(nested + ".")}
                Reader._check_known(inner, rest, join(path, nested))
