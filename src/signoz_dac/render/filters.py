"""Building SigNoz filter expressions from profile facts and definition values.

Values are quoted with the filter language's own escaping, never pasted raw. A user's own filter
(a panel's or an alert's `filter:`) is parsed first and embedded as the parsed tree, written back
as one parenthesised unit, so it can only narrow the query it joins: `x = 1) OR (name = 'llm'`
does not parse and is refused, and `a = 1 OR b = 2` stays `(a = 1 OR b = 2)`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from signoz_dac.errors import DefinitionError, Location
from signoz_dac.signoz.expressions import AggregationError, FilterSyntaxError, as_unit, literal, parse_aggregation
from signoz_dac.signoz.expressions.filter import is_unit

_OR = re.compile(r"\bor\b", re.IGNORECASE)

__all__ = ["all_of", "checked_aggregation", "key_in", "literal", "span_in", "span_is", "user_filter"]


def user_filter(text: str, location: Location | None) -> str:
    """A definition's `filter:` as one parsed, parenthesised unit ("" when empty); a filter that
    SigNoz could not parse is a DefinitionError at the line of the `filter:` option."""
    try:
        return as_unit(text)
    except FilterSyntaxError as err:
        raise DefinitionError(f"filter does not parse: {err.explain()}", location) from None


def checked_aggregation(text: str, location: Location | None) -> str:
    """A definition's `aggregation:`, unchanged once it reads as SigNoz reads it when the query runs;
    otherwise a DefinitionError at the line of the `aggregation:` option."""
    try:
        parse_aggregation(text)
    except AggregationError as err:
        raise DefinitionError(f"aggregation does not parse: {err.explain()}", location) from None
    return text


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
    """AND the non-empty parts; a part with an OR is parenthesised so its ORs cannot escape the
    other conditions. (A user's filter arrives parenthesised already, from `user_filter`.)"""
    kept = [p.strip() for p in parts if p and p.strip()]
    return " AND ".join(f"({p})" if _OR.search(p) and not is_unit(p) else p for p in kept)
