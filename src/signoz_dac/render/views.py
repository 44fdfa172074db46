"""The panels, queries and variables the voice panels expand into, as plain data.

`expand` builds these from a semantic panel and the profile; `adapt` turns them into the generic
models the templates render (`render/generic.py`), so a voice panel renders exactly like the
generic panel it stands for. A generic panel from a definition travels as a `GenericPanelView`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from signoz_dac.errors import Location

from signoz_dac.definitions.generic.panels import default_size

if TYPE_CHECKING:
    from signoz_dac.definitions.generic.panels import GenericPanel

PanelKind = Literal["number", "time_series", "bar", "pie", "table", "list"]
Signal = Literal["traces", "logs", "metrics"]


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
    def entries(self) -> list[Any]:
        """The builders and formulas as the query templates read them (an alert rule's composite)."""
        from signoz_dac.render import adapt
        from signoz_dac.render.generic import View

        return [View(e, "signoz-dac", (e.style_key, "composite")) for e in adapt.entries(self)]


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


@dataclass
class GenericPanelView:
    """A definition's generic panel on its way to the templates, with its key and origin."""

    key: str
    panel: GenericPanel
    origin: Location | None = None

    @property
    def kind(self) -> str:
        return self.panel.kind

    @property
    def width(self) -> int:
        return self.panel.size.width if self.panel.size else default_size(self.panel.kind)[0]

    @property
    def height(self) -> int:
        return self.panel.size.height if self.panel.size else default_size(self.panel.kind)[1]


@dataclass(frozen=True)
class VariableView:
    """A model variable: the models of one component, as a query variable."""

    kind: Literal["query"]
    name: str
    title: str
    description: str
    allow_all: bool = False
    multiple: bool = False
    sql: str = ""


@dataclass(frozen=True)
class Item:
    key: str
    x: int
    y: int
    width: int
    height: int
