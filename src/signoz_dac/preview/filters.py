"""A parsed filter expression → a ClickHouse condition, with SigNoz's query-time rules.

- `k IN $v` / `k NOT IN $v` with a dynamic variable set to ALL (`"__all__"`) drops the condition
  (it leaves its AND/OR/NOT as if it were not written); a list expands to `IN (...)`; an empty
  list is an error. Other operators take a list variable's first element, and `__all__` is then
  a plain string.
- Positive conditions on attributes (`=`, `<`, `>`, `LIKE`, `ILIKE`, `BETWEEN`, `IN`, `REGEXP`,
  `CONTAINS`) also require the key to exist; negative ones (`!=`, `NOT ...`) do not, so a span
  without the key passes `k != 'x'`.
- A key found in several places (see fields.py) matches when any of them does.
- `CONTAINS` is case-insensitive; `REGEXP` is ClickHouse's `match` (re2).
- `isRoot = true` is `parent_span_id = ''`.
- Full-text terms fail on traces, as in SigNoz ("full text search is not supported").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from signoz_dac.preview.errors import QueryFailed, Unsupported
from signoz_dac.preview.fields import BOOL, NUMBER, STRING, TIME, Field, FieldCatalog
from signoz_dac.preview.substitution import format_value
from signoz_dac.signoz.expressions.filter import And, Comparison, Filter, FullText, Function, Not, Or, Value

ALL = "__all__"
_POSITIVE = {"=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "BETWEEN", "IN", "REGEXP", "CONTAINS"}
_COMPARE = {"=", "!=", "<", "<=", ">", ">="}


class FilterCompiler:
    """Compiles filters against one field catalog and one set of variable values.

    `variables` maps a variable name to what SigNoz receives: a string, a number, a list, or
    "__all__" for a dynamic variable set to ALL. `warnings` collects what SigNoz would warn about.
    """

    def __init__(self, catalog: FieldCatalog, variables: Mapping[str, Any]):
        self.catalog = catalog
        self.variables = variables
        self.warnings: list[str] = []

    def compile(self, flt: Filter) -> str | None:
        """The condition, or None when nothing is left to filter on."""
        return self._node(flt.root) if flt.root is not None else None

    # -- tree ------------------------------------------------------------------------------------

    def _node(self, node: Any) -> str | None:
        if isinstance(node, (And, Or)):
            parts = [p for p in (self._node(n) for n in node.operands) if p is not None]
            if not parts:
                return None
            joiner = " AND " if isinstance(node, And) else " OR "
            return parts[0] if len(parts) == 1 else "(" + joiner.join(parts) + ")"
        if isinstance(node, Not):
            inner = self._node(node.operand)
            return None if inner is None else f"NOT ({inner})"
        if isinstance(node, Comparison):
            return self._comparison(node)
        if isinstance(node, FullText):
            raise QueryFailed(f"full text search is not supported on traces ({node.value.text!r} is not a condition)")
        if isinstance(node, Function):
            raise Unsupported(f"the filter function {node.name}() is not evaluated locally")
        raise Unsupported(f"unexpected filter node {type(node).__name__}")

    # -- one condition ---------------------------------------------------------------------------

    def _comparison(self, c: Comparison) -> str | None:
        if c.key.context is None and c.key.name in ("isRoot", "isEntryPoint"):
            return self._pseudo(c)
        values = self._values(c)
        if values is None:
            return None  # `IN $v` with ALL: SigNoz drops the condition
        resolved = self.catalog.resolve(c.key)
        if resolved.warning and resolved.warning not in self.warnings:
            self.warnings.append(resolved.warning)
        conditions, problems = [], []
        for f in resolved.fields:
            try:
                conditions.append(self._on_field(c, f, values))
            except QueryFailed as exc:  # e.g. 'x' against the number candidate of an ambiguous key
                problems.append(exc)
        if not conditions:
            raise problems[0]
        return conditions[0] if len(conditions) == 1 else "(" + " OR ".join(conditions) + ")"

    def _pseudo(self, c: Comparison) -> str:
        if c.op != "=" or c.negated or len(c.values) != 1 or c.values[0].text.lower() != "true":
            raise QueryFailed(f"{c.key.name} only supports `{c.key.name} = true`")
        if c.key.name == "isEntryPoint":
            raise Unsupported("isEntryPoint (spans whose parent is in another service) is not evaluated locally")
        return "parent_span_id = ''"

    def _values(self, c: Comparison) -> list[Any] | None:
        """The comparison's values with variables substituted; None when the condition is dropped."""
        out: list[Any] = []
        for v in c.values:
            if v.kind != "variable":
                out.append(v)
                continue
            name = v.variable or ""
            if name in self.variables:
                value = self.variables[name]
            elif f"${name}" in self.variables:
                value = self.variables[f"${name}"]
            else:
                raise QueryFailed(f"variable ${name} has no value")
            if c.op == "IN":
                if value == ALL:
                    return None
                items = list(value) if isinstance(value, (list, tuple)) else [value]
                if not items:
                    raise QueryFailed(f"variable `{name}` has an empty list value")
                out.extend(items)
            else:
                if isinstance(value, (list, tuple)):
                    if not value:
                        raise QueryFailed(f"variable `{name}` has an empty list value")
                    value = value[0]
                out.append(value)
        return out

    def _on_field(self, c: Comparison, field: Field, values: list[Any]) -> str:
        op = c.op
        if field.type == TIME:
            raise Unsupported(f"filtering on {c.key.text} is not evaluated locally")
        if op == "EXISTS":
            present = field.exists or _column_present(field)
            return f"NOT {present}" if c.negated else present
        lits = [literal(v, field, c.key.text) for v in values]
        v = field.value
        if op in _COMPARE:
            if op in ("<", "<=", ">", ">=") and field.type == BOOL:
                raise QueryFailed(f"{c.key.text} is a bool: {op} does not apply")
            cond = f"{v} {op} {lits[0]}"
        elif op in ("LIKE", "ILIKE", "REGEXP", "CONTAINS"):
            if field.type != STRING:
                raise Unsupported(f"{op} on the {field.type} field {c.key.text} is not evaluated locally")
            cond = {
                "LIKE": f"{v} LIKE {lits[0]}",
                "ILIKE": f"{v} ILIKE {lits[0]}",
                "REGEXP": f"match({v}, {lits[0]})",
                "CONTAINS": f"positionCaseInsensitiveUTF8({v}, {lits[0]}) > 0",
            }[op]
            if c.negated:
                cond = f"NOT ({cond})"
        elif op == "BETWEEN":
            cond = f"{v} {'NOT ' if c.negated else ''}BETWEEN {lits[0]} AND {lits[1]}"
        elif op == "IN":
            cond = f"{v} {'NOT ' if c.negated else ''}IN ({', '.join(lits)})"
        else:
            raise Unsupported(f"operator {op} is not evaluated locally")
        if op in _POSITIVE and not c.negated and field.exists is not None:
            cond = f"({cond} AND {field.exists})"
        return cond


def _column_present(field: Field) -> str:
    """EXISTS on a span column: a non-empty string, a non-zero number; a bool column always exists."""
    if field.type == STRING:
        return f"({field.value} != '')"
    if field.type == NUMBER:
        return f"({field.value} != 0)"
    return "true"


def literal(value: Any, field: Field, key: str) -> str:
    """A filter value (a parsed Value or a variable's value) as a literal of the field's type."""
    if isinstance(value, Value):
        text = value.text
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (int, float)):
        text = repr(value)
    else:
        text = str(value)
    if field.type == STRING:
        return format_value(text)
    if field.type == NUMBER:
        try:
            number = float(text)
        except ValueError:
            raise QueryFailed(f"{key} is a number; {text!r} is not") from None
        return repr(int(number)) if number.is_integer() and abs(number) < 2**53 else repr(number)
    if field.type == BOOL:
        if text.lower() in ("true", "false"):
            return text.lower()
        raise QueryFailed(f"{key} is a bool; {text!r} is not true or false")
    raise Unsupported(f"cannot compare {key} with {text!r}")
