"""Panels: `{"kind":"Panel","spec":{display, plugin, queries, links}}` and the seven panel plugins.

Mirrors `DashboardtypesPanel*` and the `*PanelSpec` types. The plugin is a discriminated union on
`kind`; every plugin spec field is optional, and an omitted one takes the default on its field here,
which is the value SigNoz materialises and writes back (the stored form).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from . import checks
from .base import DisplayName, Lenient, NonEmptyStr, Number, Precision, Strict, raise_issues
from .enums import (
    DEFAULT_COMPARISON_OPERATOR,
    DEFAULT_FILL_MODE,
    DEFAULT_LEGEND_MODE,
    DEFAULT_LEGEND_POSITION,
    DEFAULT_LINE_INTERPOLATION,
    DEFAULT_LINE_STYLE,
    DEFAULT_PRECISION,
    DEFAULT_THRESHOLD_FORMAT,
    DEFAULT_TIME_PREFERENCE,
    ComparisonOperator,
    FillMode,
    LegendMode,
    LegendPosition,
    LineInterpolation,
    LineStyle,
    ThresholdFormat,
    TimePreference,
)
from .queries import Query, _FieldKeyBase


class Display(Strict):
    """Dashboard, panel and variable display: name at most 128 characters."""

    name: DisplayName = ""
    description: str = ""


class Link(Strict):
    name: str = ""
    url: str = ""
    tooltip: str = ""
    renderVariables: bool = False
    targetBlank: bool = False


# --- plugin spec parts --------------------------------------------------------------------------


class BasicVisualization(Strict):
    timePreference: TimePreference = DEFAULT_TIME_PREFERENCE


class TimeSeriesVisualization(BasicVisualization):
    fillSpans: bool = False


class BarChartVisualization(TimeSeriesVisualization):
    stackedBarChart: bool = False


class PanelFormatting(Strict):
    unit: str = ""
    decimalPrecision: Precision = DEFAULT_PRECISION


class TableFormatting(Strict):
    columnUnits: dict[str, str] | None = None
    decimalPrecision: Precision = DEFAULT_PRECISION


class SpanGaps(Lenient):  # SigNoz decodes spanGaps without refusing unknown keys
    fillOnlyBelow: bool = False
    fillLessThan: str = ""

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.span_gaps(self))
        return self


class ChartAppearance(Strict):
    lineInterpolation: LineInterpolation = DEFAULT_LINE_INTERPOLATION
    showPoints: bool = False
    lineStyle: LineStyle = DEFAULT_LINE_STYLE
    fillMode: FillMode = DEFAULT_FILL_MODE
    spanGaps: SpanGaps = Field(default_factory=SpanGaps)


class Axes(Strict):
    softMin: Number | None = None
    softMax: Number | None = None
    isLogScale: bool = False


class Legend(Strict):
    position: LegendPosition = DEFAULT_LEGEND_POSITION
    mode: LegendMode = DEFAULT_LEGEND_MODE
    customColors: dict[str, str] | None = None


class ThresholdWithLabel(Strict):
    """Time series / bar chart threshold line. `value` is required (0 is a value)."""

    value: Number
    unit: str = ""
    color: NonEmptyStr
    label: str = ""


class ComparisonThreshold(Strict):
    """Number panel threshold."""

    value: Number
    operator: ComparisonOperator = DEFAULT_COMPARISON_OPERATOR
    unit: str = ""
    color: NonEmptyStr
    format: ThresholdFormat = DEFAULT_THRESHOLD_FORMAT


class TableThreshold(ComparisonThreshold):
    columnName: NonEmptyStr


class HistogramBuckets(Strict):
    bucketCount: Number | None = None
    bucketWidth: Number | None = None
    mergeAllActiveQueries: bool = False


# --- the plugin specs ---------------------------------------------------------------------------


class TimeSeriesPanelSpec(Strict):
    visualization: TimeSeriesVisualization = Field(default_factory=TimeSeriesVisualization)
    formatting: PanelFormatting = Field(default_factory=PanelFormatting)
    chartAppearance: ChartAppearance = Field(default_factory=ChartAppearance)
    axes: Axes = Field(default_factory=Axes)
    legend: Legend = Field(default_factory=Legend)
    thresholds: list[ThresholdWithLabel] | None = None


class BarChartPanelSpec(Strict):
    visualization: BarChartVisualization = Field(default_factory=BarChartVisualization)
    formatting: PanelFormatting = Field(default_factory=PanelFormatting)
    axes: Axes = Field(default_factory=Axes)
    legend: Legend = Field(default_factory=Legend)
    thresholds: list[ThresholdWithLabel] | None = None


class NumberPanelSpec(Strict):
    visualization: BasicVisualization = Field(default_factory=BasicVisualization)
    formatting: PanelFormatting = Field(default_factory=PanelFormatting)
    thresholds: list[ComparisonThreshold] | None = None


class PieChartPanelSpec(Strict):
    visualization: BasicVisualization = Field(default_factory=BasicVisualization)
    formatting: PanelFormatting = Field(default_factory=PanelFormatting)
    legend: Legend = Field(default_factory=Legend)


class TablePanelSpec(Strict):
    visualization: BasicVisualization = Field(default_factory=BasicVisualization)
    formatting: TableFormatting = Field(default_factory=TableFormatting)
    thresholds: list[TableThreshold] | None = None


class HistogramPanelSpec(Strict):
    histogramBuckets: HistogramBuckets = Field(default_factory=HistogramBuckets)
    legend: Legend = Field(default_factory=Legend)


class SelectField(_FieldKeyBase):
    """A column of a list panel; SigNoz requires its name."""

    name: NonEmptyStr


class ListPanelSpec(Strict):
    selectFields: list[SelectField] | None = None


class TimeSeriesPanelPlugin(Lenient):
    kind: Literal["signoz/TimeSeriesPanel"]
    spec: TimeSeriesPanelSpec


class BarChartPanelPlugin(Lenient):
    kind: Literal["signoz/BarChartPanel"]
    spec: BarChartPanelSpec


class NumberPanelPlugin(Lenient):
    kind: Literal["signoz/NumberPanel"]
    spec: NumberPanelSpec


class PieChartPanelPlugin(Lenient):
    kind: Literal["signoz/PieChartPanel"]
    spec: PieChartPanelSpec


class TablePanelPlugin(Lenient):
    kind: Literal["signoz/TablePanel"]
    spec: TablePanelSpec


class HistogramPanelPlugin(Lenient):
    kind: Literal["signoz/HistogramPanel"]
    spec: HistogramPanelSpec


class ListPanelPlugin(Lenient):
    kind: Literal["signoz/ListPanel"]
    spec: ListPanelSpec


PanelPlugin = Annotated[
    Union[
        TimeSeriesPanelPlugin,
        BarChartPanelPlugin,
        NumberPanelPlugin,
        PieChartPanelPlugin,
        TablePanelPlugin,
        HistogramPanelPlugin,
        ListPanelPlugin,
    ],
    Field(discriminator="kind"),
]


class PanelSpec(Strict):
    OMIT_EMPTY = frozenset({"display", "links"})  # links: Go's omitzero

    display: Display | None = None
    plugin: PanelPlugin
    queries: list[Query] | None = None  # exactly one (a check on Panel)
    links: list[Link] | None = None


class Panel(Strict):
    kind: Literal["Panel"]
    spec: PanelSpec

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.panel(self))
        return self
