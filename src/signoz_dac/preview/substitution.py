"""SigNoz's variable substitution in ClickHouse SQL panels and query variables: what its querier
pastes for `{{var}}`, `[[var]]`, `$var` and the reserved time variables, then runs as a Go template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class GoTemplateError(ValueError):
    """The query is not a valid Go text/template after substitution: SigNoz answers 500
    "error while replacing template variables"."""


def sql_string(value: str) -> str:
    """A ClickHouse string literal: backslash and quote escaped with a backslash."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def format_value(value: Any) -> str:
    """A dashboard variable's value as SigNoz pastes it into ClickHouse SQL: strings quoted, numbers
    bare, lists in brackets (numeric lists without)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return sql_string(value)
    if isinstance(value, (list, tuple)):
        items = list(value)
        if items and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in items):
            return ",".join(format_value(v) for v in items)  # numeric lists: bare, no brackets
        return "[" + ",".join(format_value(v) for v in items) + "]"
    raise TypeError(f"unsupported variable value {value!r}")


def reserved_variables(start_ms: int, end_ms: int) -> dict[str, str]:
    """SigNoz's reserved time variables for a panel's range, already in their pasted form."""
    start_ns, end_ns = int(start_ms) * 1_000_000, int(end_ms) * 1_000_000
    start_s, end_s = start_ns // 1_000_000_000, end_ns // 1_000_000_000
    return {
        "start_timestamp": str(start_s),
        "end_timestamp": str(end_s),
        "start_timestamp_ms": str(start_ns // 1_000_000),
        "end_timestamp_ms": str(end_ns // 1_000_000),
        "SIGNOZ_START_TIME": str(start_ns // 1_000_000),
        "SIGNOZ_END_TIME": str(end_ns // 1_000_000),
        "start_timestamp_nano": str(start_ns),
        "end_timestamp_nano": str(end_ns),
        "start_datetime": f"toDateTime({start_s})",  # literal text, not a quoted string
        "end_datetime": f"toDateTime({end_s})",
    }


_ACTION = re.compile(r"\{\{(-\s)?\s*(.*?)\s*(\s-)?\}\}", re.S)
_FIELD = re.compile(r"^\.([A-Za-z_][A-Za-z0-9_]*)$")


def _execute_template(text: str, data: Mapping[str, str]) -> str:
    """The part of Go text/template that SigNoz's SQL needs: `{{.name}}` fields (with `{{- -}}`
    trimming). A missing key prints "<no value>", like Go with a map; anything else in `{{ }}`,
    or a `{{` without its `}}`, is an error, as the server's template parse would be."""
    out, pos = [], 0
    for m in _ACTION.finditer(text):
        before = text[pos:m.start()]
        if "{{" in before:
            raise GoTemplateError("template: clickhouse-query: unexpected \"{{\" (unclosed action)")
        if m.group(1):
            before = before.rstrip()
        out.append(before)
        field = _FIELD.match(m.group(2))
        if not field:
            raise GoTemplateError(f"template: clickhouse-query: unsupported action {{{{{m.group(2)}}}}}")
        out.append(data.get(field.group(1), "<no value>"))
        pos = m.end()
        if m.group(3):
            while pos < len(text) and text[pos].isspace():
                pos += 1
    rest = text[pos:]
    if "{{" in rest:
        raise GoTemplateError("template: clickhouse-query: unclosed action")
    out.append(rest)
    return "".join(out)


def render_query(sql: str, variables: Mapping[str, Any], start_ms: int, end_ms: int) -> str:
    """Substitute variables into a ClickHouse SQL panel's query the way SigNoz's querier does.

    `variables` are the dashboard variables' selected values (a dynamic variable set to ALL is
    the string "__all__"); the reserved time variables come from `start_ms`/`end_ms`. Longest names
    first, `{{name}}`, `[[name]]` and `$name` are replaced by plain text; then the result runs as a
    Go template, so `{{.name}}` works and a stray `{{` raises GoTemplateError.
    """
    values = {name: format_value(v) for name, v in variables.items()}
    values.update(reserved_variables(start_ms, end_ms))
    for name in sorted(values, key=len, reverse=True):
        for pattern in ("{{%s}}", "[[%s]]", "$%s"):
            sql = sql.replace(pattern % name, values[name])
    return _execute_template(sql, values)
