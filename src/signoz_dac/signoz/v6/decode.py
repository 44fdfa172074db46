"""Pydantic errors -> `Issue`s with dotted JSON paths and one readable line each.

Pydantic's `loc` mixes real JSON keys with names it adds itself (the tag of a discriminated union
such as `signoz/TimeSeriesPanel`, a union member such as `str`). We walk the input alongside the
loc and keep only the steps that exist in the JSON, which gives the path a user can find.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from signoz_dac.errors import Issue

from .base import CHECKS_ERROR, VALUE_ERROR, join_path


def json_path(loc: tuple[int | str, ...], body: Any, keep_last: bool = False) -> str:
    """Dotted path of `loc` in `body`: `spec.panels.x.spec.queries[0]`. `keep_last` keeps a final
    step that is absent from the input (the name of a missing field)."""
    return _walk(loc, body, keep_last)[0]


def _walk(loc: tuple[int | str, ...], body: Any, keep_last: bool = False) -> tuple[str, Any]:
    """(dotted path, the input value there)."""
    path = ""
    node = body
    for n, step in enumerate(loc):
        last = n == len(loc) - 1
        if isinstance(node, dict) and isinstance(step, str) and step in node:
            path = join_path(path, _key(step))
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path = f"{path}[{step}]"
            node = node[step]
        elif last and keep_last and isinstance(step, str) and step != "[key]":  # "[key]": a dict key's own check
            path = join_path(path, _key(step))
        # anything else is a name Pydantic added (union tag or member): not part of the JSON
    return path, node


def _key(step: str) -> str:
    # Keys are written bare, as in `spec.panels.llm-ttft`; only a key that would make the path
    # ambiguous (a dot or bracket in it) is quoted.
    return f'"{step}"' if re.search(r"[.\[\]\"]", step) else step


def _choices(expected: str) -> str:
    # Pydantic's "'a', 'b' or 'c'" -> "a, b, c"
    values = re.findall(r"'([^']*)'", expected)
    return ", ".join(v if v else '""' for v in values)


def _message(err: ErrorDetails) -> str:
    kind = err["type"]
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    loc = err["loc"]
    field = str(loc[-1]) if loc else ""
    given = err.get("input")
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    if kind == "missing":
        return f"missing required field {field!r}"
    if kind == "literal_error":
        choices = _choices(str(ctx.get("expected", "")))
        if given == "":
            return f"must not be empty (omit the field for the default); one of: {choices}"
        return f"must be one of: {choices}" + (f", got {given!r}" if isinstance(given, str) else "")
    if kind == VALUE_ERROR:
        return err["msg"]
    simple = {
        "string_type": "must be a string",
        "int_type": "must be an integer",
        "bool_type": "must be true or false",
        "float_type": "must be a number",
        "list_type": "must be a list",
        "dict_type": "must be an object",
        "model_type": "must be an object",
        "model_attributes_type": "must be an object",
        "none_required": "must be null",
    }
    if kind in simple:
        return simple[kind]
    return str(err["msg"]).splitlines()[0]


def issues_from_validation_error(err: ValidationError, body: Any) -> list[Issue]:
    issues: list[Issue] = []
    for e in err.errors():
        kind = e["type"]
        loc = tuple(e["loc"])
        if kind == CHECKS_ERROR:
            base = json_path(loc, body)
            for rel, message in (e.get("ctx") or {}).get("issues", []):
                issues.append(Issue(join_path(base, rel), message))
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            # A discriminated union: report at the discriminator field (`kind`, `type`, `signal`).
            ctx = e.get("ctx") or {}
            disc = str(ctx.get("discriminator", "")).strip("'")
            base, node = _walk(loc, body)
            path = join_path(base, disc)
            if kind == "union_tag_not_found":
                message = f"missing required field {disc!r}"
            else:
                choices = _choices(str(ctx.get("expected_tags", "")))
                tag = node.get(disc) if isinstance(node, dict) else ctx.get("tag")
                message = (
                    f"must not be empty; one of: {choices}" if tag == "" else f"must be one of: {choices}, got {tag!r}"
                )
            issues.append(Issue(path, message))
        else:
            # A missing field, or a default checked as if given (validate_default): name the field.
            issues.append(Issue(json_path(loc, body, keep_last=kind in ("missing", VALUE_ERROR)), _message(e)))
    # The same problem can surface twice (e.g. a union member): keep the first of each.
    unique: dict[tuple[str, str], Issue] = {}
    for issue in issues:
        unique.setdefault((issue.path, issue.message), issue)
    return list(unique.values())
