"""Generic panels: any SigNoz panel, as a definition states it.

One panel type per query source, each usable with every SigNoz panel kind:

    - type: query              # builder queries on traces, logs or metrics (+ formulas, trace operators)
      kind: time_series        # time_series | bar | number | pie | table | list | histogram
      title: Tool calls
      unit: none
      queries:
        - {name: A, signal: traces, aggregations: [count()], group_by: [lk.function_tool.name]}
    - type: sql                # ClickHouse SQL
      kind: table
      sql: SELECT ...
    - type: promql             # PromQL
      kind: time_series
      promql: sum(rate(http_server_duration_count[5m]))

The display options are those SigNoz's UI reads for the kind (each is checked against the kind);
their names follow the UI's, in snake_case. Every option names its place in the body (`body=`),
which is how `signoz-dac import` reads panels back.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from signoz_dac.definitions.common import OptionError, SpecModel
from signoz_dac.definitions.generic.fields import Key
from signoz_dac.definitions.generic.model import Omittable, one_of, option
from signoz_dac.definitions.generic.queries import Entry, PromQLQuery, SqlQuery, entry_tag
from signoz_dac.definitions.panels import Size
from signoz_dac.signoz.ui import REQUEST_TYPE as UI_REQUEST_TYPE
from signoz_dac.signoz.v6 import enums
from signoz_dac.signoz.v6.base import PRECISIONS

Kind = Literal["time_series", "bar", "number", "pie", "table", "list", "histogram"]
KINDS: tuple[str, ...] = ("time_series", "bar", "number", "pie", "table", "list", "histogram")

# SigNoz's plugin kind for each panel kind.
PLUGINS: dict[str, str] = {
    "time_series": "signoz/TimeSeriesPanel", "bar": "signoz/BarChartPanel", "number": "signoz/NumberPanel",
    "pie": "signoz/PieChartPanel", "table": "signoz/TablePanel", "list": "signoz/ListPanel",
    "histogram": "signoz/HistogramPanel",
}
# SigNoz's UI runs a panel's query with the request type its kind implies, whatever the query's
# `kind` says; a panel's query `kind` defaults to it.
REQUEST_TYPE: dict[str, str] = {kind: UI_REQUEST_TYPE[plugin] for kind, plugin in PLUGINS.items()}

# The display options each kind has (what SigNoz's UI reads for it).
KIND_OPTIONS: dict[str, frozenset[str]] = {
    "time_series": frozenset({"time_preference", "fill_spans", "unit", "decimals", "chart_appearance", "axes", "legend", "thresholds"}),
    "bar": frozenset({"time_preference", "fill_spans", "stacked", "unit", "decimals", "axes", "legend", "thresholds"}),
    "number": frozenset({"time_preference", "unit", "decimals", "thresholds"}),
    "pie": frozenset({"time_preference", "unit", "decimals", "legend"}),
    "table": frozenset({"time_preference", "column_units", "decimals", "thresholds"}),
    "histogram": frozenset({"buckets", "legend"}),
    "list": frozenset({"select_fields"}),
}
DISPLAY_OPTIONS = frozenset().union(*KIND_OPTIONS.values())
# The threshold options each kind reads (a line with a label on charts; a comparison on tiles and tables).
THRESHOLD_OPTIONS: dict[str, frozenset[str]] = {
    "time_series": frozenset({"value", "color", "unit", "label"}),
    "bar": frozenset({"value", "color", "unit", "label"}),
    "number": frozenset({"value", "color", "unit", "operator", "format"}),
    "table": frozenset({"value", "color", "unit", "operator", "format", "column"}),
}
# The query sources SigNoz accepts per kind (a list takes one builder query only; PromQL gives no
# table or pie).
NO_PROMQL = frozenset({"pie", "table"})

Number = int | float
TimePreference = Annotated[str, one_of(*enums.TIME_PREFERENCES)]
LineInterpolation = Annotated[str, one_of(*enums.LINE_INTERPOLATIONS)]
LineStyle = Annotated[str, one_of(*enums.LINE_STYLES)]
FillMode = Annotated[str, one_of(*enums.FILL_MODES)]
LegendPosition = Annotated[str, one_of(*enums.LEGEND_POSITIONS)]
LegendMode = Annotated[str, one_of(*enums.LEGEND_MODES)]
Comparison = Annotated[str, one_of(*enums.COMPARISON_OPERATORS)]
ThresholdFormat = Annotated[str, one_of(*enums.THRESHOLD_FORMATS)]
RequestType = Annotated[str, one_of(*enums.REQUEST_TYPES)]
# A panel's key: usable in a layout `$ref` (`#/spec/panels/<key>`), at most 75 characters (Perses' ID limit).
PANEL_KEY = re.compile(r"[A-Za-z0-9_-]{1,75}")


def _precision(value: Any) -> Any:
    if isinstance(value, bool) or not (
        (isinstance(value, str) and value.strip().lower() in PRECISIONS)
        or (isinstance(value, int) and str(value) in PRECISIONS)
    ):
        raise ValueError("decimals must be 0, 1, 2, 3, 4 or full")
    return value


def default_size(kind: str) -> tuple[int, int]:
    """A generic panel's size when the definition gives none: number tiles 3×3, the rest 6×6."""
    return (3, 3) if kind == "number" else (6, 6)


def panel_size(panel: GenericPanel) -> tuple[int, int]:
    """(width, height) of a panel on the grid: its `size`, else its kind's default."""
    return (panel.size.width, panel.size.height) if panel.size else default_size(panel.kind)


class GridSize(Size):
    """Width (1-12 columns) and height of a panel on SigNoz's grid."""

    height: int = Field(6, ge=1)


class Position(SpecModel):
    """Where a panel sits in its section: column `x` (0-11) and row `y`."""

    x: int = Field(ge=0, le=11)
    y: int = Field(ge=0)


class SpanGaps(Omittable):
    style_key = "span_gaps"
    fill_only_below: bool = option("fillOnlyBelow")
    fill_less_than: str = option("fillLessThan")  # a duration such as "5m": gaps shorter than this are bridged


class ChartAppearance(Omittable):
    style_key = "chart_appearance"
    line_interpolation: LineInterpolation = option("lineInterpolation")
    show_points: bool = option("showPoints")
    line_style: LineStyle = option("lineStyle")
    fill_mode: FillMode = option("fillMode")
    span_gaps: SpanGaps = option("spanGaps")


class Axes(Omittable):
    style_key = "axes"
    soft_min: Number | None = option("softMin")
    soft_max: Number | None = option("softMax")
    log_scale: bool = option("isLogScale")


class Legend(Omittable):
    """Legend placement, and colours per series (keyed by the series label SigNoz shows)."""

    style_key = "legend"
    position: LegendPosition = option("position")
    mode: LegendMode = option("mode")
    colors: dict[str, str] | None = option("customColors")


class Buckets(Omittable):
    """Histogram buckets."""

    style_key = "buckets"
    count: Number | None = option("bucketCount")
    width: Number | None = option("bucketWidth")
    merge_all_queries: bool = option("mergeAllActiveQueries")


class Threshold(Omittable):
    """A threshold: a labelled line on time series and bar charts; a coloured comparison on number
    tiles and tables (`column` names the table column: the query name, `A.<expression>` for one of
    several aggregations, or a ClickHouse column alias)."""

    style_key = "threshold"
    value: Number = option("value", ...)
    color: str = option("color", ...)
    unit: str = option("unit")
    label: str = option("label")
    operator: Comparison = option("operator")
    format: ThresholdFormat = option("format")
    column: str = option("columnName")


class Link(Omittable):
    """A link in the panel's click menu; `{{variable}}`, `{{_field}}` and `$variable` are filled in."""

    style_key = "link"
    name: str = option("name")
    url: str = option("url")
    tooltip: str = option("tooltip")
    render_variables: bool = option("renderVariables")
    target_blank: bool = option("targetBlank")


class GenericPanel(Omittable):
    """What the three generic panel types share: identity, placement, display options, links."""

    style_key = "panel"
    kind: Kind
    id: str | None = None  # the panel's key in SigNoz; default: from the title
    title: str = option("display.name", "", max_length=128)
    description: str = option("display.description", "")
    size: GridSize | None = None
    position: Position | None = None  # fixed place in the section; default: laid out automatically
    time_preference: TimePreference = option("plugin.spec.visualization.timePreference")
    fill_spans: bool = option("plugin.spec.visualization.fillSpans")
    stacked: bool = option("plugin.spec.visualization.stackedBarChart")
    unit: str = option("plugin.spec.formatting.unit")
    decimals: str | int = option("plugin.spec.formatting.decimalPrecision")
    column_units: dict[str, str] | None = option("plugin.spec.formatting.columnUnits")
    chart_appearance: ChartAppearance = option("plugin.spec.chartAppearance")
    axes: Axes = option("plugin.spec.axes")
    legend: Legend = option("plugin.spec.legend")
    thresholds: list[Threshold] | None = option("plugin.spec.thresholds")
    buckets: Buckets = option("plugin.spec.histogramBuckets")
    select_fields: list[Key] | None = option("plugin.spec.selectFields")
    links: list[Link] | None = option("links")
    request_type: RequestType | None = None  # the query's `kind`; default: from the panel kind
    query_name: str = option()  # the name on the query envelope (SigNoz's UI writes "A")
    composite: bool | None = None  # render a lone query inside a composite

    @field_validator("id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        if value is not None and not PANEL_KEY.fullmatch(value):
            raise ValueError("must be 1-75 characters of A-Z, a-z, 0-9, '-' and '_' (the panel's key in SigNoz)")
        return value

    @field_validator("decimals")
    @classmethod
    def _decimals(cls, value: Any) -> Any:
        return _precision(value)

    @model_validator(mode="after")
    def _kind_options(self) -> GenericPanel:
        allowed = KIND_OPTIONS[self.kind]
        for name in sorted((self.model_fields_set | set(self.omit)) & DISPLAY_OPTIONS - allowed):
            at = (name,) if name in self.model_fields_set else ("omit", self.omit.index(name))
            raise OptionError(f"{name!r} is not an option of a {self.kind} panel (it has: {', '.join(sorted(allowed))})", *at)
        threshold_options = THRESHOLD_OPTIONS.get(self.kind, frozenset())
        for index, threshold in enumerate(self.thresholds or []):
            extra = sorted((threshold.model_fields_set | set(threshold.omit)) - threshold_options - {"omit"})
            if extra:
                at = (extra[0],) if extra[0] in threshold.model_fields_set else ("omit",)
                raise OptionError(f"{extra[0]!r} is not a threshold option of a {self.kind} panel", "thresholds", index, *at)
        if self.kind == "table":
            for index, threshold in enumerate(self.thresholds or []):
                if threshold.column is None:
                    raise OptionError("a table threshold needs `column` (the column it colours)", "thresholds", index)
        entries = self.entries
        if not entries:
            return self  # the panel type says what is missing
        if self.kind == "list" and (len(entries) != 1 or entry_tag(entries[0]) not in ("builder", "metrics") or self.composite):
            raise ValueError("a list panel takes exactly one builder query (SigNoz allows nothing else there)")
        if self.kind in NO_PROMQL and any(isinstance(e, PromQLQuery) for e in entries):
            raise ValueError(f"a {self.kind} panel cannot run PromQL (SigNoz accepts it only on charts and numbers)")
        if self.composite is False and len(entries) > 1:
            raise OptionError("composite: false needs a single query (several always travel in a composite)", "composite")
        return self

    @property
    def entries(self) -> list[Any]:
        raise NotImplementedError


class QueryPanel(GenericPanel):
    """A panel of builder queries (traces, logs, metrics), formulas and trace operators."""

    type: Literal["query"]
    queries: list[Entry] = Field(min_length=1)

    @property
    def entries(self) -> list[Any]:
        return list(self.queries)


class _OneSourcePanel(GenericPanel):
    """A panel of one text query language: `<language>: text` for one query named A, or `queries:`."""

    language: ClassVar[str]  # the option holding the text, and the entry key: sql, promql
    entry_type: ClassVar[type[SqlQuery] | type[PromQLQuery]]

    @model_validator(mode="after")
    def _one_form(self) -> _OneSourcePanel:
        if (getattr(self, self.language) is None) == (getattr(self, "queries") is None):  # noqa: B009  (each subclass declares queries)
            raise ValueError(f"give either {self.language}: (one query) or queries: [{{{self.language}: ...}}, ...]")
        return self

    @property
    def entries(self) -> list[Any]:
        queries, text = getattr(self, "queries"), getattr(self, self.language)  # noqa: B009  (as above)
        if queries is not None:
            return list(queries)
        return [self.entry_type.model_validate({"name": "A", self.language: text})] if text is not None else []


class SqlPanel(_OneSourcePanel):
    """A ClickHouse SQL panel: `sql:` for one query, or `queries: [{name, sql, legend}, ...]`."""

    language = "sql"
    entry_type = SqlQuery
    type: Literal["sql"]
    sql: str | None = None
    queries: list[SqlQuery] | None = None


class PromqlPanel(_OneSourcePanel):
    """A PromQL panel: `promql:` for one query, or `queries: [{name, promql, legend}, ...]`."""

    language = "promql"
    entry_type = PromQLQuery
    type: Literal["promql"]
    promql: str | None = None
    queries: list[PromQLQuery] | None = None


AnyGeneric = Annotated[QueryPanel | SqlPanel | PromqlPanel, Field(discriminator="type")]
GENERIC_PANEL_TYPES: tuple[str, ...] = ("query", "sql", "promql")
