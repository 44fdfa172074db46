"""Panels: `{"kind":"Panel","spec":{display, plugin, queries, links}}` and the seven panel plugins.

Mirrors `DashboardtypesPanel*` and the `*PanelSpec` types. The plugin is a discriminated union on
`kind`; every plugin spec field is optional and omitted enums take the defaults in enums.py.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from . import rules
from .base import DisplayName, NonEmptyStr, Number, Precision, Strict, raise_issues
from .enums import (
    ENUM_DEFAULTS,
    ComparisonOperator,
    FillMode,
    LegendMode,
    LegendPosition,
    LineInterpolation,
    LineStyle,
    ThresholdFormat,
    TimePreference,
)
from .queries import FieldKey, Query


class Display(Strict):
    """Dashboard, panel and variable display: name at most 128 characters."""

    name: DisplayName
    description: str = ""


class Link(Strict):
    name: str = ""
    url: str = ""
    tooltip: str = ""
    renderVariables: bool = False
    targetBlank: bool = False


# --- plugin spec parts --------------------------------------------------------------------------


class BasicVisualization(Strict):
    timePreference: TimePreference = ENUM_DEFAULTS["visualization.timePreference"]  # type: ignore[assignment]


class TimeSeriesVisualization(BasicVisualization):
    fillSpans: bool = False


class BarChartVisualization(TimeSeriesVisualization):
    stackedBarChart: bool = False


class PanelFormatting(Strict):
    unit: str = ""
    decimalPrecision: Precision = ENUM_DEFAULTS["formatting.decimalPrecision"]


class TableFormatting(Strict):
    columnUnits: dict[str, str] | None = None
    decimalPrecision: Precision = ENUM_DEFAULTS["formatting.decimalPrecision"]


class SpanGaps(Strict):
    fillOnlyBelow: bool = False
    fillLessThan: str = ""

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.span_gaps(self))
        return self


class ChartAppearance(Strict):
    lineInterpolation: LineInterpolation = ENUM_DEFAULTS["chartAppearance.lineInterpolation"]  # type: ignore[assignment]
    showPoints: bool = False
    lineStyle: LineStyle = ENUM_DEFAULTS["chartAppearance.lineStyle"]  # type: ignore[assignment]
    fillMode: FillMode = ENUM_DEFAULTS["chartAppearance.fillMode"]  # type: ignore[assignment]
    spanGaps: SpanGaps = Field(default_factory=SpanGaps)


class Axes(Strict):
    softMin: Number | None = None
    softMax: Number | None = None
    isLogScale: bool = False


class Legend(Strict):
    position: LegendPosition = ENUM_DEFAULTS["legend.position"]  # type: ignore[assignment]
    mode: LegendMode = ENUM_DEFAULTS["legend.mode"]  # type: ignore[assignment]
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
    operator: ComparisonOperator = ENUM_DEFAULTS["thresholds[].operator"]  # type: ignore[assignment]
    unit: str = ""
    color: NonEmptyStr
    format: ThresholdFormat = ENUM_DEFAULTS["thresholds[].format"]  # type: ignore[assignment]


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


class ListPanelSpec(Strict):
    selectFields: list[FieldKey] | None = None


class TimeSeriesPanelPlugin(Strict):
    kind: Literal["signoz/TimeSeriesPanel"]
    spec: TimeSeriesPanelSpec


class BarChartPanelPlugin(Strict):
    kind: Literal["signoz/BarChartPanel"]
    spec: BarChartPanelSpec


class NumberPanelPlugin(Strict):
    kind: Literal["signoz/NumberPanel"]
    spec: NumberPanelSpec


class PieChartPanelPlugin(Strict):
    kind: Literal["signoz/PieChartPanel"]
    spec: PieChartPanelSpec


class TablePanelPlugin(Strict):
    kind: Literal["signoz/TablePanel"]
    spec: TablePanelSpec


class HistogramPanelPlugin(Strict):
    kind: Literal["signoz/HistogramPanel"]
    spec: HistogramPanelSpec


class ListPanelPlugin(Strict):
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
    display: Display
    plugin: PanelPlugin
    queries: list[Query]  # required and non-null; exactly one (a rule on Panel)
    links: list[Link] | None = None


class Panel(Strict):
    kind: Literal["Panel"]
    spec: PanelSpec

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.panel(self))
        return self
