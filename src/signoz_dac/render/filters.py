"""Building SigNoz filter expressions from profile facts and definition values.

Values are quoted with the filter language's own escaping (contract §4.1), never pasted raw.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_OR = re.compile(r"\bor\b", re.IGNORECASE)


def literal(value: str) -> str:
    """A quoted filter-language string: backslash and quote escaped, then wrapped in '…'."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def span_is(name: str) -> str:
    return f"name = {literal(name)}"


def span_in(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) == 1:
        return span_is(names[0])
    return f"name IN ({', '.join(literal(n) for n in names)})"


def key_in(key: str, values: Iterable[str], *, negate: bool = False) -> str:
    """`key IN ('a', 'b')` (or NOT IN) for literal values; "" when there are none."""
    values = list(values)
    if not values:
        return ""
    return f"{key} {'NOT IN' if negate else 'IN'} ({', '.join(literal(v) for v in values)})"


def all_of(*parts: str) -> str:
    """AND the non-empty parts; any part with an OR (a user's own filter, say) is parenthesised so
    its ORs cannot escape the panel's conditions, whatever its spacing or line breaks."""
    kept = [p.strip() for p in parts if p and p.strip()]
    return " AND ".join(f"({p})" if _OR.search(p) else p for p in kept)
