"""Every enum of the v6 dashboard schema, and the default SigNoz applies when one is omitted.

One place, so the models, `with_defaults` and the lint rules agree. Values come from SigNoz
v0.138's OpenAPI (`Dashboardtypes*`, `Querybuildertypesv5*`, `Telemetrytypes*`, `Metrictypes*`).

Two families:
- dashboard enums (panel and variable options): the server rejects an explicit `""`; omitting
  the field applies the default in `ENUM_DEFAULTS`.
- query-builder/telemetry enums (field context, data type, temporality...): `""` is one of the
  server's own values and SigNoz's exports send it, so it is accepted there.
"""

from __future__ import annotations

from typing import Literal, get_args

# --- dashboard enums (never "") ---------------------------------------------------------------

TimePreference = Literal[
    "global_time",
    "last_5_min",
    "last_15_min",
    "last_30_min",
    "last_1_hr",
    "last_6_hr",
    "last_1_day",
    "last_3_days",
    "last_1_week",
    "last_1_month",
]
LegendPosition = Literal["bottom", "right"]
# v0.138's OpenAPI lists only "list"; the contract notes mention "table" but the server's enum
# (and so the oracle) does not have it, so we stay with what the server declares.
LegendMode = Literal["list"]
LineInterpolation = Literal["linear", "spline", "step_after", "step_before"]
LineStyle = Literal["solid", "dashed"]
FillMode = Literal["solid", "gradient", "none"]
PrecisionOption = Literal["0", "1", "2", "3", "4", "full"]  # ints 0-4 also accepted, see types.py
ComparisonOperator = Literal["above", "below", "above_or_equal", "below_or_equal", "equal", "not_equal"]
ThresholdFormat = Literal["text", "background"]
ListVariableSort = Literal[
    "none",
    "alphabetical-asc",
    "alphabetical-desc",
    "numerical-asc",
    "numerical-desc",
    "alphabetical-ci-asc",
    "alphabetical-ci-desc",
]
DynamicVariableSignal = Literal["traces", "logs", "metrics", "all"]

# --- kinds (discriminators) -------------------------------------------------------------------

PanelPluginKind = Literal[
    "signoz/TimeSeriesPanel",
    "signoz/BarChartPanel",
    "signoz/NumberPanel",
    "signoz/PieChartPanel",
    "signoz/TablePanel",
    "signoz/HistogramPanel",
    "signoz/ListPanel",
]
QueryPluginKind = Literal[
    "signoz/BuilderQuery",
    "signoz/CompositeQuery",
    "signoz/Formula",
    "signoz/PromQLQuery",
    "signoz/ClickHouseSQL",
    "signoz/TraceOperator",
]
# The composite envelope `type`. SigNoz also knows builder_sub_query, builder_join and
# builder_ai_query, but dashboards do not allow them, so they are not part of our union.
CompositeQueryType = Literal[
    "builder_query", "builder_formula", "builder_trace_operator", "clickhouse_sql", "promql"
]
# Query `kind` (querybuildertypesv5 RequestType).
RequestType = Literal["scalar", "time_series", "raw", "raw_stream", "trace", "distribution"]

# --- query-builder enums ----------------------------------------------------------------------

Signal = Literal["traces", "logs", "metrics"]  # builder query dispatch: required, never ""
TelemetrySignal = Literal["traces", "logs", "metrics", ""]
FieldContext = Literal["metric", "log", "span", "trace", "resource", "attribute", "body", ""]
FieldDataType = Literal["string", "bool", "float64", "int64", "number", ""]
Source = Literal["meter", ""]
Temporality = Literal["delta", "cumulative", "unspecified", ""]
TimeAggregation = Literal[
    "latest", "sum", "avg", "min", "max", "count", "count_distinct", "rate", "increase", ""
]
SpaceAggregation = Literal["sum", "avg", "min", "max", "count", "p50", "p75", "p90", "p95", "p99"]
ReduceTo = Literal["sum", "count", "avg", "min", "max", "last", "median"]
OrderDirection = Literal["asc", "desc"]

# Function names: the server lower-cases them when decoding, so `cutOffMin` and `cutoffmin` are
# the same function; we compare case-insensitively and keep the spelling we were given.
FUNCTION_NAMES: frozenset[str] = frozenset(
    {
        "cutoffmin",
        "cutoffmax",
        "clampmin",
        "clampmax",
        "absolute",
        "runningdiff",
        "log2",
        "log10",
        "cumulativesum",
        "ewma3",
        "ewma5",
        "ewma7",
        "median3",
        "median5",
        "median7",
        "timeshift",
        "anomaly",
        "fillzero",
    }
)

# --- defaults ---------------------------------------------------------------------------------

# Where each defaulted enum lives (relative to a panel plugin `spec`, a threshold, or a variable
# spec) and the value SigNoz applies when it is omitted. `with_defaults` fills exactly these.
ENUM_DEFAULTS: dict[str, str] = {
    "visualization.timePreference": "global_time",
    "legend.position": "bottom",
    "legend.mode": "list",
    "chartAppearance.lineInterpolation": "spline",
    "chartAppearance.lineStyle": "solid",
    "chartAppearance.fillMode": "none",
    "formatting.decimalPrecision": "2",
    "thresholds[].operator": "above",
    "thresholds[].format": "text",
    "ListVariable.sort": "none",
    "DynamicVariable.signal": "all",
}

# The allowed values for the same keys, for messages, docs and lint rules.
ENUM_VALUES: dict[str, tuple[str, ...]] = {
    "visualization.timePreference": get_args(TimePreference),
    "legend.position": get_args(LegendPosition),
    "legend.mode": get_args(LegendMode),
    "chartAppearance.lineInterpolation": get_args(LineInterpolation),
    "chartAppearance.lineStyle": get_args(LineStyle),
    "chartAppearance.fillMode": get_args(FillMode),
    "formatting.decimalPrecision": get_args(PrecisionOption),
    "thresholds[].operator": get_args(ComparisonOperator),
    "thresholds[].format": get_args(ThresholdFormat),
    "ListVariable.sort": get_args(ListVariableSort),
    "DynamicVariable.signal": get_args(DynamicVariableSignal),
}

assert all(ENUM_DEFAULTS[k] in ENUM_VALUES[k] for k in ENUM_DEFAULTS)
