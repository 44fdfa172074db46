"""Every enum of the v6 dashboard schema (SigNoz v0.138), its values and its default.

The values come from SigNoz's own types (`dashboardtypes/perses_signoz_plugins.go`, the
query-builder's `querybuildertypesv5` and `telemetrytypes`). Each field's default sits on the model
field that carries it (panels.py, variables.py, queries.py): that is where the stored form and the
canonical form read it from.

Two families:
- dashboard enums (panel and variable options): SigNoz reads them trimmed and case-insensitively,
  rejects an explicit `""`, and applies the default when the field is omitted;
- query-builder and telemetry enums: SigNoz normalises them on decode (`tag` is `attribute`, an
  unknown field context is "", `float64` and `int64` are `number`) and checks the few it checks
  when it validates a query (space aggregation, reduceTo, order direction).
"""

from __future__ import annotations

from .base import PRECISIONS as PRECISIONS  # re-exported: it lives beside its validator
from .base import enum, folded

# --- dashboard enums (never "") ---------------------------------------------------------------

TIME_PREFERENCES = (
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
)
LEGEND_POSITIONS = ("bottom", "right")
LEGEND_MODES = ("list", "table")
LINE_INTERPOLATIONS = ("linear", "spline", "step_after", "step_before")
LINE_STYLES = ("solid", "dashed")
FILL_MODES = ("solid", "gradient", "none")
COMPARISON_OPERATORS = ("above", "below", "above_or_equal", "below_or_equal", "equal", "not_equal")
THRESHOLD_FORMATS = ("text", "background")
VARIABLE_SORTS = (
    "none",
    "alphabetical-asc",
    "alphabetical-desc",
    "numerical-asc",
    "numerical-desc",
    "alphabetical-ci-asc",
    "alphabetical-ci-desc",
)
DYNAMIC_SIGNALS = ("traces", "logs", "metrics", "all")

TimePreference = enum(TIME_PREFERENCES)
LegendPosition = enum(LEGEND_POSITIONS)
LegendMode = enum(LEGEND_MODES)
LineInterpolation = enum(LINE_INTERPOLATIONS)
LineStyle = enum(LINE_STYLES)
FillMode = enum(FILL_MODES)
ComparisonOperator = enum(COMPARISON_OPERATORS)
ThresholdFormat = enum(THRESHOLD_FORMATS)
ListVariableSort = enum(VARIABLE_SORTS)
DynamicVariableSignal = enum(DYNAMIC_SIGNALS)

# The defaults SigNoz materialises when a field is omitted (perses_signoz_plugins.go).
DEFAULT_TIME_PREFERENCE = "global_time"
DEFAULT_LEGEND_POSITION = "bottom"
DEFAULT_LEGEND_MODE = "list"
DEFAULT_LINE_INTERPOLATION = "spline"
DEFAULT_LINE_STYLE = "solid"
DEFAULT_FILL_MODE = "none"
DEFAULT_PRECISION = "2"
DEFAULT_COMPARISON_OPERATOR = "above"
DEFAULT_THRESHOLD_FORMAT = "text"
DEFAULT_SORT = "none"
DEFAULT_DYNAMIC_SIGNAL = "all"

# Query `kind` (querybuildertypesv5 RequestType): matched exactly.
REQUEST_TYPES = ("scalar", "time_series", "raw", "raw_stream", "trace", "distribution")
RequestType = enum(REQUEST_TYPES, fold=False)

# --- query-builder enums ----------------------------------------------------------------------

SIGNALS = ("traces", "logs", "metrics")  # builder query dispatch: required, matched exactly
TELEMETRY_SIGNALS = ("traces", "logs", "metrics", "")
SPACE_AGGREGATIONS = ("sum", "avg", "min", "max", "count", "p50", "p75", "p90", "p95", "p99")
REDUCE_TO = ("sum", "count", "avg", "min", "max", "last", "median")
ORDER_DIRECTIONS = ("asc", "desc")

# Field contexts SigNoz knows; `tag` is an old name of `attribute`; anything else decodes as "".
FIELD_CONTEXTS = ("metric", "log", "span", "trace", "resource", "attribute", "body")
_CONTEXT_SYNONYMS = {"tag": "attribute"}


def field_context(text: str) -> str:
    """How SigNoz stores a field context: a known one as is, its synonyms mapped, anything else ""."""
    text = _CONTEXT_SYNONYMS.get(text, text)
    return text if text in FIELD_CONTEXTS else ""


def field_data_type(text: str) -> str:
    """How SigNoz stores a field data type: every integer and float type is `number`."""
    if text in ("float64", "float32", "float", "int64", "int32", "int16", "int8", "int", "uint64", "uint32", "uint"):
        return "number"
    return text


TelemetrySignal = enum(TELEMETRY_SIGNALS, empty=True)
FieldContext = folded(field_context)
FieldDataType = folded(field_data_type)
# Not validated by SigNoz (any string decodes), but stored folded.
Temporality = folded()
TimeAggregation = folded()
SpaceAggregation = folded()
ReduceTo = folded()
OrderDirection = folded()

# Function names: the server lower-cases them when decoding, so `cutOffMin` and `cutoffmin` are
# the same function; it checks the name when it validates the query.
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
# The functions whose first argument must be a number.
NUMERIC_ARGUMENT_FUNCTIONS = frozenset({"cutoffmin", "cutoffmax", "clampmin", "clampmax", "timeshift"})
FunctionName = folded()
