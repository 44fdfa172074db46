"""Telemetry field keys (group by, select fields, order keys) and their short text form.

SigNoz writes a key as `{name, fieldContext, fieldDataType, signal}`. A definition may write the
same key the way SigNoz's own filter language does: `resource.service.name:string` is the name
`service.name` in the `resource` context with data type `string`; `lk.function_tool.name` is a
bare name. The mapping form says everything else (`{name, context, type, signal}`).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import model_validator

from signoz_dac.definitions.generic.model import Omittable, compact, option

# The context prefixes SigNoz's key syntax recognises, and the data types a `:type` suffix names.
CONTEXTS = frozenset({"resource", "attribute", "tag", "span", "log", "trace", "metric", "body", "scope", "event"})
DATA_TYPES = frozenset({"string", "bool", "number", "int64", "float64"})


class FieldKey(Omittable):
    """A TelemetryFieldKey. `context` and `type` take SigNoz's values (`resource`, `attribute`, `span`,
    `log`, ...; `string`, `bool`, `number`, ...); SigNoz also reads older spellings (`tag`, `float64`)."""

    style_key = "field"
    name: str = option("name", ...)
    context: str = option("fieldContext")
    type: str = option("fieldDataType")
    signal: str = option("signal")
    description: str = option("description")
    unit: str = option("unit")


def parse_field_key(text: str) -> dict[str, Any]:
    """`[context.]name[:type]` → the mapping form."""
    out: dict[str, Any] = {}
    head, sep, tail = text.rpartition(":")
    if sep and head and tail in DATA_TYPES:
        out["type"] = tail
        text = head
    first, dot, rest = text.partition(".")
    if dot and rest and first in CONTEXTS:
        out["context"] = first
        text = rest
    out["name"] = text
    return out


def field_key_text(key: FieldKey) -> str | None:
    """The short form of a key, when it says exactly what the key says; otherwise None."""
    if key.omit or key.model_fields_set - {"name", "context", "type"}:
        return None
    text = (f"{key.context}." if "context" in key.model_fields_set else "") + key.name
    if "type" in key.model_fields_set:
        text += f":{key.type}"
    expected = {f: getattr(key, f) for f in key.model_fields_set}
    return text if parse_field_key(text) == expected else None


Key = Annotated[FieldKey, compact(parse_field_key)]


class OrderBy(Omittable):
    """`timestamp desc`, or `{key: <field key>, direction: asc|desc}`."""

    style_key = "order"
    key: Key = option("key", ...)
    direction: str = option("direction", ...)

    @model_validator(mode="after")
    def _direction(self) -> OrderBy:
        if self.direction.strip().lower() not in ("asc", "desc"):
            raise ValueError(f"direction must be asc or desc, got {self.direction!r}")
        return self


def parse_order(text: str) -> dict[str, Any]:
    head, sep, tail = text.rpartition(" ")
    if not sep or tail.strip().lower() not in ("asc", "desc"):
        raise ValueError(f"an order is '<key> asc' or '<key> desc', got {text!r}")
    return {"key": parse_field_key(head), "direction": tail}


def order_text(order: OrderBy) -> str | None:
    key = field_key_text(order.key)
    if key is None or order.omit or key.endswith(" ") or " " in order.direction:
        return None
    text = f"{key} {order.direction}"
    return text if parse_order(text) == {"key": parse_field_key(key), "direction": order.direction} else None


Order = Annotated[OrderBy, compact(parse_order)]
