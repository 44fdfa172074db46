"""Where dashboard variables are referenced in query text (ClickHouse SQL, PromQL, having, links).

SigNoz substitutes `{{name}}`, `[[name]]` and `$name` by plain text replacement, longest variable
name first, then runs Go's text/template, so `{{.name}}` works too (querier/clickhouse_query.go).
Variable names may contain `.` and `-` (`$k8s.cluster.name` is one variable). Builder filters only
know `$name`; those come from the filter parser instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signoz_dac.signoz.v6.variables import (
    SQL_TIME_VARIABLES as RESERVED,  # filled in by SigNoz; never dashboard variables
)

_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_PATTERNS = (
    re.compile(rf"\{{\{{\s*\.?({_NAME})\s*\}}\}}"),  # {{name}} / {{.name}}
    re.compile(rf"\[\[({_NAME})\]\]"),  # [[name]]
    re.compile(rf"\$\{{?({_NAME})\}}?"),  # $name (and ${name} in links)
)
_OPEN_BRACES = re.compile(r"\{\{")


@dataclass(frozen=True)
class Reference:
    name: str
    start: int  # 0-based offset of the reference in the text
    text: str  # as written, e.g. `{{.service_name}}`


def references(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[Reference]:
    """The variable references in a text. A `$name` is read the way SigNoz replaces it: as the
    longest of the `known` names it starts with (`$service_name_x` is `$service_name` then `_x`),
    else as everything up to the first character a name cannot hold."""
    found = [Reference(m.group(1), m.start(), m.group(0)) for p in _PATTERNS[:2] for m in p.finditer(text)]
    longest_first = sorted(known | RESERVED, key=len, reverse=True)
    for m in _PATTERNS[2].finditer(text):
        written = m.group(1)
        name = next((k for k in longest_first if written.startswith(k)), written.rstrip(".-"))
        if not name.isdigit():  # `$1` is no variable: a name is never all digits
            found.append(Reference(name, m.start(), m.group(0)))
    return sorted(found, key=lambda r: r.start)


_SQL_LITERAL_OR_COMMENT = re.compile(r"'(?:[^'\\]|\\.)*'|--[^\n]*|/\*.*?\*/", re.DOTALL)


def in_sql_code(sql: str, ref: Reference) -> bool:
    """Whether a reference sits in SQL code rather than in a string literal or a comment, where a
    `$word` (a price in '$USD', say) is text that SigNoz leaves alone unless it names a variable."""
    return not any(m.start() <= ref.start < m.end() for m in _SQL_LITERAL_OR_COMMENT.finditer(sql))


def without_comments(sql: str) -> str:
    """The SQL with its comments blanked out (same length, so offsets still hold) and its string
    literals kept: a predicate or a table that is commented out does not run."""
    def blank(m: re.Match[str]) -> str:
        text = m.group(0)
        return text if text.startswith("'") else re.sub(r"[^\n]", " ", text)

    return _SQL_LITERAL_OR_COMMENT.sub(blank, sql)


# A Go template action: `{{.name}}`, `{{ if .x }}`, `{{end}}`, `{{- $v -}}`.
_ACTION = re.compile(r"\{\{-?\s*[.$A-Za-z_][^{}]*\}\}")


def stray_braces(text: str) -> list[int]:
    """Offsets of `{{` that do not open a Go template action (a `{{name}}` variable, `{{if …}}`):
    Go's template parser fails on them, and SigNoz answers the whole panel with a 500."""
    ok = {m.start() for m in _ACTION.finditer(text)}
    return [m.start() for m in _OPEN_BRACES.finditer(text) if m.start() not in ok]


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset, for messages about multi-line SQL."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
