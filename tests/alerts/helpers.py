"""Reading the queries of rendered rules and panels: span names and attribute keys they use."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from signoz_dac.signoz.expressions import parse_filter

_NAME_IS = re.compile(r"\bname = '((?:[^'\\]|\\.)*)'")
_NAME_IN = re.compile(r"\bname IN \(([^)]*)\)")
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'")
_CALL_ARG = re.compile(r"^\w+\(([^)]*)\)$")
_EXISTS = re.compile(r"([\w.]+) (NOT )?EXISTS")


@dataclass
class Fields:
    """What one builder query touches."""

    spans: set[str] = field(default_factory=set)
    aggregated: set[str] = field(default_factory=set)  # attributes inside an aggregation, e.g. p95(x)
    present: set[str] = field(default_factory=set)  # `x EXISTS`
    absent: set[str] = field(default_factory=set)  # `x NOT EXISTS`
    compared: set[str] = field(default_factory=set)  # `x > 1`, `x = 'v'`, `x != true`, `x IN (...)`


def fields_of(spec: dict) -> Fields:
    """The span names and attribute keys a builder query spec uses."""
    expression = spec["filter"]["expression"]
    out = Fields()
    out.spans |= set(_NAME_IS.findall(expression))
    for group in _NAME_IN.findall(expression):
        out.spans |= set(_LITERAL.findall(group))
    for aggregation in spec.get("aggregations") or []:
        match = _CALL_ARG.match(aggregation["expression"])
        if match and match.group(1):
            out.aggregated.add(match.group(1))
    for key, negated in _EXISTS.findall(expression):
        (out.absent if negated else out.present).add(key)
    for comparison in parse_filter(expression).comparisons():
        if comparison.op != "EXISTS" and comparison.key.name != "name" and not any(v.variable for v in comparison.values):
            out.compared.add(comparison.key.name)
    return out


def conditions(spec: dict) -> set[str]:
    """The filter's AND-ed conditions, leaving out those on dashboard variables ($name)."""
    expression = spec["filter"]["expression"]
    return {part for part in expression.split(" AND ") if "$" not in part}


def rule_builders(rule: dict) -> dict[str, dict]:
    """{query name: builder spec} of a rule."""
    return {q["spec"]["name"]: q["spec"] for q in rule["condition"]["compositeQuery"]["queries"] if q["type"] == "builder_query"}
