"""Field keys → ClickHouse expressions over SigNoz's trace table, the way SigNoz resolves them.

A key in a filter, an aggregation, a group-by or a list column names either a span column
(`name`, `duration_nano`, `has_error`, the deprecated camelCase aliases), or a resource or span
attribute. With a context prefix (`resource.`, `attribute.`, `span.`) or a `fieldContext`, the
context is fixed; with a `:type` hint or a `fieldDataType`, the type. Otherwise SigNoz looks the key
up in its metadata of the keys seen in the data; here the catalog is read from the loaded spans.
A key found in several places matches in any of them (SigNoz ORs the candidates and warns); a key
seen nowhere is read as a string attribute, with a warning, as SigNoz does.

Attribute values live in typed maps (`attributes_string`, `attributes_number`, `attributes_bool`,
`resources_string`); a missing key reads as the map's default ('' / 0 / false), which is why
SigNoz pairs positive conditions with a `mapContains` existence check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from signoz_dac.preview.errors import Unsupported
from signoz_dac.preview.schema import MATERIALIZED
from signoz_dac.preview.substitution import format_value
from signoz_dac.signoz.expressions.filter import Key, make_key

STRING, NUMBER, BOOL, TIME = "string", "number", "bool", "time"

# Span columns (intrinsic and calculated fields, and their deprecated camelCase aliases): key → (column, type).
SPAN_COLUMNS: dict[str, tuple[str, str]] = {
    "trace_id": ("trace_id", STRING), "span_id": ("span_id", STRING), "trace_state": ("trace_state", STRING),
    "parent_span_id": ("parent_span_id", STRING), "flags": ("flags", NUMBER), "name": ("name", STRING),
    "kind_string": ("kind_string", STRING), "duration_nano": ("duration_nano", NUMBER),
    "status_code": ("status_code", NUMBER), "status_message": ("status_message", STRING),
    "status_code_string": ("status_code_string", STRING), "timestamp": ("timestamp", TIME),
    "response_status_code": ("response_status_code", STRING), "external_http_url": ("external_http_url", STRING),
    "http_url": ("http_url", STRING), "external_http_method": ("external_http_method", STRING),
    "http_method": ("http_method", STRING), "http_host": ("http_host", STRING), "db_name": ("db_name", STRING),
    "db_operation": ("db_operation", STRING), "has_error": ("has_error", BOOL), "is_remote": ("is_remote", STRING),
    # deprecated aliases, still accepted by SigNoz
    "traceID": ("trace_id", STRING), "spanID": ("span_id", STRING), "parentSpanID": ("parent_span_id", STRING),
    "spanKind": ("kind_string", STRING), "kind": ("kind", NUMBER), "durationNano": ("duration_nano", NUMBER),
    "statusCode": ("status_code", NUMBER), "statusMessage": ("status_message", STRING),
    "statusCodeString": ("status_code_string", STRING), "responseStatusCode": ("response_status_code", STRING),
    "externalHttpUrl": ("external_http_url", STRING), "httpUrl": ("http_url", STRING),
    "externalHttpMethod": ("external_http_method", STRING), "httpMethod": ("http_method", STRING),
    "httpHost": ("http_host", STRING), "dbName": ("db_name", STRING), "dbOperation": ("db_operation", STRING),
    "hasError": ("has_error", BOOL), "isRemote": ("is_remote", STRING),
}  # fmt: skip
# Deprecated aliases of attributes SigNoz materializes: they read the attribute.
ATTRIBUTE_ALIASES: dict[str, tuple[str, str]] = {
    "serviceName": ("resource", "service.name"), "httpRoute": ("attribute", "http.route"),
    "msgSystem": ("attribute", "messaging.system"), "msgOperation": ("attribute", "messaging.operation"),
    "dbSystem": ("attribute", "db.system"), "rpcSystem": ("attribute", "rpc.system"),
    "rpcService": ("attribute", "rpc.service"), "rpcMethod": ("attribute", "rpc.method"),
    "peerService": ("attribute", "peer.service"),
}  # fmt: skip
# `isRoot = true` / `isEntryPoint = true`: span-scope pseudo fields.
PSEUDO_FIELDS = frozenset({"isRoot", "isEntryPoint"})

_TYPE_NAMES = {
    "string": STRING, "str": STRING, "bool": BOOL, "boolean": BOOL,
    **{t: NUMBER for t in ("number", "numeric", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
                           "uint16", "uint32", "uint64", "integer", "float", "float32", "float64", "double")},
}  # fmt: skip
_MAPS = {STRING: "attributes_string", NUMBER: "attributes_number", BOOL: "attributes_bool"}
_MATERIALIZED = {(table, key): column for column, table, key in MATERIALIZED}


@dataclass(frozen=True)
class Field:
    """One place a key's value can come from."""

    value: str  # SQL expression of the value
    exists: str | None  # SQL condition "the span has it"; None for span columns (every span has them)
    type: str  # STRING, NUMBER, BOOL or TIME
    describe: str  # for messages: "attribute metrics.ttfb (number)"

    def nullable(self) -> str:
        """The value, or NULL where the span lacks it: what SigNoz aggregates and groups by."""
        return self.value if self.exists is None else f"if({self.exists}, {self.value}, NULL)"


def value_of(fields: tuple[Field, ...] | list[Field]) -> str:
    """One value from a key's places: the first place the span has it, NULL where it has none. Places
    of different types (`n` a string on some spans, a number on others) are read as text, as SigNoz
    reads colliding keys; ClickHouse would otherwise mix them into a Variant, whose NULL is neither
    skipped by count() nor grouped apart from the empty string."""
    if len(fields) == 1:
        return fields[0].nullable()
    if len({f.type for f in fields}) == 1:
        return "coalesce(" + ", ".join(f.nullable() for f in fields) + ")"
    return "coalesce(" + ", ".join(f"toString({f.nullable()})" for f in fields) + ")"


@dataclass(frozen=True)
class Resolved:
    fields: tuple[Field, ...]
    warning: str | None = None
    known: bool = True  # False: the key is in none of the spans (SigNoz reads it as a string attribute)


def data_type(name: str | None) -> str | None:
    """SigNoz's data-type names (`float64`, `string`, `bool`, ...) as ours; None when unspecified."""
    if not name:
        return None
    kind = _TYPE_NAMES.get(name.lower().removeprefix("[]"))
    if kind is None:
        raise Unsupported(f"unknown data type {name!r}")
    return kind


@dataclass
class FieldCatalog:
    """Which attribute keys the loaded spans carry, per map: SigNoz's key metadata, read from the data."""

    attributes: Mapping[str, frozenset[str]]  # type → keys
    resources: frozenset[str]

    @classmethod
    def from_store(cls, store: Any) -> FieldCatalog:
        [row] = store.query(
            "SELECT groupUniqArrayArray(mapKeys(attributes_string)) AS s, "
            "groupUniqArrayArray(mapKeys(attributes_number)) AS n, "
            "groupUniqArrayArray(mapKeys(attributes_bool)) AS b, "
            "groupUniqArrayArray(mapKeys(resources_string)) AS r "
            "FROM signoz_traces.distributed_signoz_index_v3"
        )
        return cls(
            attributes={STRING: frozenset(row["s"]), NUMBER: frozenset(row["n"]), BOOL: frozenset(row["b"])},
            resources=frozenset(row["r"]),
        )

    # -- resolution ------------------------------------------------------------------------------

    def resolve(self, key: Key) -> Resolved:
        """Where a filter/aggregation key's value lives; raises Unsupported for contexts traces lack."""
        kind = data_type(key.type_hint)
        context = key.context
        name = key.name
        if context is None and name in PSEUDO_FIELDS:
            raise Unsupported(f"{name} is only allowed as `{name} = true`")
        if context is None and name in ATTRIBUTE_ALIASES:
            context, name = ATTRIBUTE_ALIASES[name]
        if context in (None, "span", "trace") and name in SPAN_COLUMNS:
            column, col_type = SPAN_COLUMNS[name]
            return Resolved((Field(column, None, col_type, f"span field {name}"),))
        if context in ("span", "trace"):
            raise Unsupported(f"{key.text}: {name!r} is not a span field SigNoz knows")
        if context in ("log", "body", "metric", "event", "scope"):
            raise Unsupported(f"{key.text}: the {context} context is not evaluated on traces locally")
        found: list[Field] = []
        in_resources = name in self.resources or context == "resource"
        if context in (None, "resource") and in_resources and (kind in (None, STRING) or context == "resource"):
            found.append(_resource(name))
        if context in (None, "attribute"):
            for t in (STRING, NUMBER, BOOL):
                if (kind is None or kind == t) and name in self.attributes[t]:
                    found.append(_attribute(name, t))
        if context == "attribute" and not found:
            found.append(_attribute(name, kind or STRING))
        if found:
            warning = None
            if len(found) > 1:
                where = ", ".join(f.describe for f in found)
                warning = f"{key.text} is ambiguous ({where}); matched in any of them, as SigNoz does"
            return Resolved(tuple(found), warning)
        return Resolved(
            (_attribute(name, kind or STRING),),
            f"{key.text} is not in the spans; read as a {kind or STRING} attribute, as SigNoz reads unknown keys",
            known=False,
        )

    def resolve_field_key(self, spec: Mapping[str, Any]) -> Resolved:
        """A TelemetryFieldKey (`{name, fieldContext, fieldDataType}`) of a group-by, order or column."""
        name = str(spec.get("name") or "")
        if not name:
            raise Unsupported("a field key without a name")
        context = (spec.get("fieldContext") or "").lower() or None
        if context == "tag":
            context = "attribute"
        if context == "span" and name not in SPAN_COLUMNS:
            context = None  # e.g. a UI-built key with span context for an attribute
        key = make_key(name, 0)
        if context is not None:
            key = Key(text=name, name=name, context=context, type_hint=spec.get("fieldDataType") or None, column=0)
        elif spec.get("fieldDataType"):
            key = Key(text=key.text, name=key.name, context=key.context, type_hint=spec["fieldDataType"], column=0)
        return self.resolve(key)


def _from_map(table: str, name: str, kind: str, describe: str) -> Field:
    """A key's value in a typed map, or in the materialized column SigNoz keeps for it (the same
    value and presence, without reading the map: `service.name` is in nearly every query)."""
    column = _MATERIALIZED.get((table, name))
    if column is not None:
        return Field(f"`{column}`", f"`{column}_exists`", kind, describe)
    lit = format_value(name)
    return Field(f"{table}[{lit}]", f"mapContains({table}, {lit})", kind, describe)


def _resource(name: str) -> Field:
    return _from_map("resources_string", name, STRING, f"resource {name}")


def _attribute(name: str, kind: str) -> Field:
    return _from_map(_MAPS[kind], name, kind, f"attribute {name} ({kind})")
