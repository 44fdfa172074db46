"""The words of SigNoz's v5 dashboard JSON and their v6 counterparts, in one place.

Both directions use these tables: `convert` reads v5 words the way SigNoz's server converts them
(`pkg/types/dashboardtypes/perses_v1_to_v2*.go`), and `write.py` writes the v5 words
that the v0.92-v0.134 UI offers, which convert back to the same v6 values.
"""

from __future__ import annotations

import re

from signoz_dac.signoz.v6 import enums

# --- panels -------------------------------------------------------------------------------------

# v5 `panelTypes` -> v6 panel plugin kind. `row` is a section, not a panel; anything else (`trace`,
# `EMPTY_WIDGET`, unknown words) is skipped by the server without an error.
PANEL_KINDS: dict[str, str] = {
    "graph": "signoz/TimeSeriesPanel",
    "time_series": "signoz/TimeSeriesPanel",
    "bar": "signoz/BarChartPanel",
    "value": "signoz/NumberPanel",
    "pie": "signoz/PieChartPanel",
    "table": "signoz/TablePanel",
    "histogram": "signoz/HistogramPanel",
    "list": "signoz/ListPanel",
}
ROW = "row"
# The word the v5 UI itself writes for each v6 kind (`graph`, not the `time_series` alias).
PANEL_TYPES: dict[str, str] = {kind: word for word, kind in reversed(PANEL_KINDS.items())}
# Every `panelTypes` word the v0.134 UI knows (constants/queryBuilder.ts), plus `row`.
UI_PANEL_TYPES = frozenset({"graph", "value", "table", "list", "trace", "bar", "pie", "histogram", "EMPTY_WIDGET", ROW})

# Thresholds: which v6 threshold shape each panel kind has (panels without one drop them).
THRESHOLD_SHAPE: dict[str, str] = {
    "signoz/TimeSeriesPanel": "label",
    "signoz/BarChartPanel": "label",
    "signoz/NumberPanel": "comparison",
    "signoz/TablePanel": "table",
}

# --- widget options -----------------------------------------------------------------------------

# v5 `timePreferance` (sic) is the v6 value in upper case: GLOBAL_TIME <-> global_time.
TIME_PREFERENCES: tuple[str, ...] = enums.TIME_PREFERENCES
DEFAULT_TIME_PREFERENCE = "global_time"

# `thresholdOperator`: the server reads symbols and short words; the v5 UI offers only five symbols.
OPERATORS: dict[str, str] = {
    ">": "above",
    "gt": "above",
    ">=": "above_or_equal",
    "gte": "above_or_equal",
    "<": "below",
    "lt": "below",
    "<=": "below_or_equal",
    "lte": "below_or_equal",
    "=": "equal",
    "==": "equal",
    "eq": "equal",
    "!=": "not_equal",
    "neq": "not_equal",
}
DEFAULT_OPERATOR = "above"
UI_OPERATORS: dict[str, str] = {"above": ">", "above_or_equal": ">=", "below": "<", "below_or_equal": "<=", "equal": "="}
# `thresholdFormat`: the v5 UI writes "Text" or "Background".
UI_THRESHOLD_FORMATS: dict[str, str] = {"text": "Text", "background": "Background"}
DEFAULT_THRESHOLD_FORMAT = "text"

LEGEND_POSITIONS: tuple[str, ...] = enums.LEGEND_POSITIONS
LINE_INTERPOLATIONS: tuple[str, ...] = enums.LINE_INTERPOLATIONS
LINE_STYLES: tuple[str, ...] = enums.LINE_STYLES
FILL_MODES: tuple[str, ...] = enums.FILL_MODES
PRECISIONS: tuple[str, ...] = enums.PRECISIONS
DEFAULT_PRECISION = "2"

# --- queries ------------------------------------------------------------------------------------

QUERY_TYPES = ("builder", "clickhouse_sql", "promql")
SIGNALS = ("metrics", "logs", "traces")
# A metric aggregation's reduceTo: what v6 accepts, and the subset the v5 UI offers.
REDUCE_TO = ("sum", "count", "avg", "min", "max", "last", "median")
UI_REDUCE_TO = ("last", "sum", "avg", "max", "min")
SPACE_AGGREGATIONS = ("sum", "avg", "min", "max", "count", "p50", "p75", "p90", "p95", "p99")

# How the v5 UI reads a logs/traces aggregation (prepareQueryRangePayloadV5.ts): every
# `name(...)` call, with an optional `as alias`. A nested call does not parse as written, and
# anything after the calls (a stray `)`) is ignored. The official v6 dashboards show the server's
# conversion reads expressions the same way (`sum(x) ) ) )` became `sum(x)`).
AGGREGATION_CALL = re.compile(
    r"([a-zA-Z0-9_]+\([^)]*\))(?:\s+as\s+('[^']*'|\"[^\"]*\"|[^\s'\",()]+))?", re.IGNORECASE
)

# --- variables ----------------------------------------------------------------------------------

VARIABLE_TYPES = ("QUERY", "CUSTOM", "DYNAMIC", "TEXTBOX")
SORTS: dict[str, str] = {"ASC": "alphabetical-asc", "DESC": "alphabetical-desc"}  # anything else: none
UI_SORTS: dict[str, str] = {"none": "DISABLED", "alphabetical-asc": "ASC", "alphabetical-desc": "DESC"}
DYNAMIC_SOURCES: dict[str, str] = {"traces": "traces", "logs": "logs", "metrics": "metrics"}  # else: all
UI_DYNAMIC_SOURCES: dict[str, str] = {"traces": "Traces", "logs": "Logs", "metrics": "Metrics", "all": "All telemetry"}

# --- layout -------------------------------------------------------------------------------------

GRID_COLUMNS = 12
MAX_TITLE = 128  # dashboard, panel and variable display names
MAX_SECTION_TITLE = 256


def clip(text: str, limit: int) -> str:
    """At most `limit` characters (code points, as Go counts runes)."""
    return text[:limit]
