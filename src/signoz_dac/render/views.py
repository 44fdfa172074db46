"""What the templates receive: SigNoz panels, queries and variables as plain data.

`expand` builds these from the definition and the profile; the Jinja templates only give them
SigNoz's JSON shape. Every field is a value the template passes through `tojson`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from signoz_dac.errors import Location

PanelKind = Literal["number", "time_series", "bar", "pie", "table", "list"]
Signal = Literal["traces", "logs", "metrics"]

# SigNoz's UI derives the request type from the panel type; the query `kind` must agree.
REQUEST_TYPE: dict[str, str] = {
    "number": "scalar", "pie": "scalar", "table": "scalar",
    "time_series": "time_series", "bar": "time_series",
    "list": "raw",
}


@dataclass(frozen=True)
class Field:
    """A TelemetryFieldKey: a key with its context (resource, attribute, span, log) and type."""

    name: str
    context: str
    data_type: str = ""
    signal: str = ""


@dataclass(frozen=True)
class Aggregation:
    expression: str
    alias: str = ""


@dataclass(frozen=True)
class MetricAggregation:
    metric: str
    space: str  # p95, avg, ...
    time: str = ""


@dataclass(frozen=True)
class Builder:
    """One SigNoz builder query."""

    name: str
    signal: Signal
    filter: str
    aggregations: tuple[Aggregation | MetricAggregation, ...] = ()
    group_by: tuple[Field, ...] = ()
    order: tuple[tuple[str, str], ...] = ()  # (key, asc|desc)
    select_fields: tuple[Field, ...] = ()
    limit: int | None = None
    legend: str = ""
    disabled: bool = False
    step: int | None = None  # stepInterval in seconds; alert rules set it, panels let SigNoz choose


@dataclass(frozen=True)
class Formula:
    name: str
    expression: str
    legend: str


@dataclass(frozen=True)
class Query:
    """Exactly one per panel: a builder query, a composite (builders + formulas), or ClickHouse SQL."""

    builders: tuple[Builder, ...] = ()
    formulas: tuple[Formula, ...] = ()
    sql: str | None = None
    legend: str = ""

    @property
    def plugin(self) -> str:
        if self.sql is not None:
            return "clickhouse_sql"
        return "builder" if len(self.builders) == 1 and not self.formulas else "composite"


@dataclass(frozen=True)
class Threshold:
    value: float
    color: str
    label: str


@dataclass(frozen=True)
class Link:
    name: str
    url: str
    tooltip: str = ""


@dataclass
class PanelView:
    key: str
    kind: PanelKind
    title: str
    description: str
    query: Query
    width: int
    height: int
    unit: str | None = None
    decimals: str | None = None
    thresholds: tuple[Threshold, ...] = ()
    column_units: dict[str, str] = field(default_factory=dict)
    select_fields: tuple[Field, ...] = ()
    links: tuple[Link, ...] = ()
    origin: Location | None = None  # the definition line this panel came from

    @property
    def request_type(self) -> str:
        return REQUEST_TYPE[self.kind]


@dataclass(frozen=True)
class VariableView:
    kind: Literal["dynamic", "query", "text"]
    name: str
    title: str
    description: str
    attribute: str = ""
    signal: str = "all"
    allow_all: bool = False
    multiple: bool = False
    default: str | list[str] | None = None
    sql: str = ""
    constant: bool = False


@dataclass(frozen=True)
class Item:
    key: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class SectionView:
    title: str
    collapsed: bool
    items: tuple[Item, ...]


@dataclass(frozen=True)
class DashboardView:
    name: str
    title: str
    description: str
    tags: tuple[tuple[str, str], ...]
    duration: str
    refresh: str
    variables: tuple[VariableView, ...]
    panels: tuple[PanelView, ...]
    sections: tuple[SectionView, ...]
