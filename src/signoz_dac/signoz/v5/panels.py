"""Widgets -> panels, as SigNoz converts them (`pkg/types/dashboardtypes/perses_v1_to_v2_panels.go`).

- The panel key is the widget `id` with every character outside `[A-Za-z0-9_-]` turned into `-`;
  the first widget with a key wins; widgets without an id, rows and unknown `panelTypes` are
  skipped silently.
- Field map: `timePreferance` (sic) lower-cased; `yAxisUnit` -> unit; `decimalPrecision` (invalid
  -> "2"); `softMin`/`softMax`/`isLogScale` -> axes; `legendPosition`/`customLegendColors` ->
  legend; chart appearance enums (invalid -> default); `spanGaps` true/false -> span every gap, a
  number of seconds -> fill only below that duration; thresholds (without a colour, or on a
  table without a column, dropped); `columnUnits`; histogram buckets; the List's fields picked
  by its query's signal.
- Dropped: `contextLinks` (v6 `links` is `[]`), `opacity`, `nullZeroValues`, `stepSize`,
  `columnWidths`, `customColTitles`, `hiddenColumns`, `isStacked`.
"""

from __future__ import annotations

import re
from typing import Any

from .durations import go_duration
from .queries import LIST, convert_widget_query, field_key
from .read import as_dict, as_list, as_number, as_text
from .vocabulary import (
    DEFAULT_OPERATOR,
    DEFAULT_PRECISION,
    DEFAULT_THRESHOLD_FORMAT,
    DEFAULT_TIME_PREFERENCE,
    FILL_MODES,
    LEGEND_POSITIONS,
    LINE_INTERPOLATIONS,
    LINE_STYLES,
    MAX_TITLE,
    OPERATORS,
    PANEL_KINDS,
    PRECISIONS,
    THRESHOLD_SHAPE,
    TIME_PREFERENCES,
    clip,
)

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


def panel_key(widget_id: str) -> str:
    """The v6 panel key of a widget id (also what layout `$ref`s point at)."""
    return _UNSAFE.sub("-", widget_id)


def _one_of(value: Any, allowed: tuple[str, ...], default: str) -> str:
    return value if isinstance(value, str) and value in allowed else default


# --- single fields ------------------------------------------------------------------------------


def map_comparison_operator(value: Any) -> str:
    return OPERATORS.get(value.strip().lower(), DEFAULT_OPERATOR) if isinstance(value, str) else DEFAULT_OPERATOR


def map_threshold_format(value: Any) -> str:
    return "background" if isinstance(value, str) and value.strip().lower() == "background" else DEFAULT_THRESHOLD_FORMAT


def map_span_gaps(value: Any) -> dict[str, Any]:
    """true, false or absent span every gap; a number of seconds fills only gaps shorter than it."""
    seconds = as_number(value)
    if seconds is not None and seconds > 0:
        return {"fillOnlyBelow": True, "fillLessThan": go_duration(seconds)}
    return {"fillOnlyBelow": False, "fillLessThan": ""}


def _precision(value: Any) -> str:
    if isinstance(value, bool):
        return DEFAULT_PRECISION
    if isinstance(value, (int, float)) and float(value).is_integer():
        value = str(int(value))
    return value if isinstance(value, str) and value in PRECISIONS else DEFAULT_PRECISION


def _time_preference(widget: dict[str, Any]) -> str:
    return _one_of(as_text(widget.get("timePreferance")).lower(), TIME_PREFERENCES, DEFAULT_TIME_PREFERENCE)


# --- thresholds ---------------------------------------------------------------------------------


def _coloured(thresholds: Any) -> list[dict[str, Any]]:
    return [t for t in map(as_dict, as_list(thresholds)) if as_text(t.get("thresholdColor"))]


def _value(t: dict[str, Any]) -> int | float:
    value = as_number(t.get("thresholdValue"))
    return value if value is not None else 0


def map_thresholds_with_label(thresholds: Any) -> list[dict[str, Any]] | None:
    """Time series and bar chart lines: value, unit, colour, label."""
    out = [
        {"value": _value(t), "unit": as_text(t.get("thresholdUnit")), "color": t["thresholdColor"],
         "label": as_text(t.get("thresholdLabel"))}
        for t in _coloured(thresholds)
    ]  # fmt: skip
    return out or None


def map_comparison_thresholds(thresholds: Any) -> list[dict[str, Any]] | None:
    """Number panel thresholds: value, operator, unit, colour, format."""
    out = [
        {"value": _value(t), "operator": map_comparison_operator(t.get("thresholdOperator")),
         "unit": as_text(t.get("thresholdUnit")), "color": t["thresholdColor"],
         "format": map_threshold_format(t.get("thresholdFormat"))}
        for t in _coloured(thresholds)
    ]  # fmt: skip
    return out or None


def map_table_thresholds(thresholds: Any) -> list[dict[str, Any]] | None:
    """Table thresholds: a comparison threshold on a column (`thresholdTableOptions`)."""
    out = []
    for t in _coloured(thresholds):
        column = as_text(t.get("thresholdTableOptions"))
        if column:
            out.append({**map_comparison_thresholds([t])[0], "columnName": column})  # type: ignore[index]
    return out or None


_THRESHOLDS = {"label": map_thresholds_with_label, "comparison": map_comparison_thresholds, "table": map_table_thresholds}


def map_select_fields(widget: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A List's columns: the traces field list for a traces query, else the logs field list."""
    datas = as_list(as_dict(as_dict(widget.get("query")).get("builder")).get("queryData"))
    signal = as_text(as_dict(datas[0]).get("dataSource")) if datas else ""
    raw = widget.get("selectedTracesFields") if signal == "traces" else widget.get("selectedLogFields")
    fields = [field_key(as_dict(f), keep_signal=True) for f in as_list(raw)]
    return fields or None


# --- plugin specs, one per panel kind -----------------------------------------------------------


def _visualization(widget: dict[str, Any], *extra: str) -> dict[str, Any]:
    out: dict[str, Any] = {"timePreference": _time_preference(widget)}
    for field in extra:
        out[field] = widget.get(field) is True
    return out


def _formatting(widget: dict[str, Any]) -> dict[str, Any]:
    return {"unit": as_text(widget.get("yAxisUnit")), "decimalPrecision": _precision(widget.get("decimalPrecision"))}


def _axes(widget: dict[str, Any]) -> dict[str, Any]:
    return {
        "softMin": as_number(widget.get("softMin")),
        "softMax": as_number(widget.get("softMax")),
        "isLogScale": widget.get("isLogScale") is True,
    }


def _legend(widget: dict[str, Any]) -> dict[str, Any]:
    colors = as_dict(widget.get("customLegendColors"))
    return {
        "position": _one_of(widget.get("legendPosition"), LEGEND_POSITIONS, "bottom"),
        "mode": "list",
        "customColors": dict(colors) or None,
    }


def _chart_appearance(widget: dict[str, Any]) -> dict[str, Any]:
    return {
        "lineInterpolation": _one_of(widget.get("lineInterpolation"), LINE_INTERPOLATIONS, "spline"),
        "showPoints": widget.get("showPoints") is True,
        "lineStyle": _one_of(widget.get("lineStyle"), LINE_STYLES, "solid"),
        "fillMode": _one_of(widget.get("fillMode"), FILL_MODES, "none"),
        "spanGaps": map_span_gaps(widget.get("spanGaps")),
    }


def _histogram_buckets(widget: dict[str, Any]) -> dict[str, Any]:
    return {
        "bucketCount": as_number(widget.get("bucketCount")),
        "bucketWidth": as_number(widget.get("bucketWidth")),
        "mergeAllActiveQueries": widget.get("mergeAllActiveQueries") is True,
    }


def plugin_spec(widget: dict[str, Any], kind: str) -> dict[str, Any]:
    thresholds = _THRESHOLDS[THRESHOLD_SHAPE[kind]](widget.get("thresholds")) if kind in THRESHOLD_SHAPE else None
    if kind == "signoz/TimeSeriesPanel":
        return {
            "visualization": _visualization(widget, "fillSpans"),
            "formatting": _formatting(widget),
            "chartAppearance": _chart_appearance(widget),
            "axes": _axes(widget),
            "legend": _legend(widget),
            "thresholds": thresholds,
        }
    if kind == "signoz/BarChartPanel":
        return {
            "visualization": _visualization(widget, "fillSpans", "stackedBarChart"),
            "formatting": _formatting(widget),
            "axes": _axes(widget),
            "legend": _legend(widget),
            "thresholds": thresholds,
        }
    if kind == "signoz/NumberPanel":
        return {"visualization": _visualization(widget), "formatting": _formatting(widget), "thresholds": thresholds}
    if kind == "signoz/PieChartPanel":
        return {"visualization": _visualization(widget), "formatting": _formatting(widget), "legend": _legend(widget)}
    if kind == "signoz/TablePanel":
        units = as_dict(widget.get("columnUnits"))
        formatting = {"columnUnits": dict(units) or None, "decimalPrecision": _precision(widget.get("decimalPrecision"))}
        return {"visualization": _visualization(widget), "formatting": formatting, "thresholds": thresholds}
    if kind == "signoz/HistogramPanel":
        return {"histogramBuckets": _histogram_buckets(widget), "legend": _legend(widget)}
    assert kind == LIST
    return {"selectFields": map_select_fields(widget)}


def convert_widget(widget: dict[str, Any]) -> dict[str, Any] | None:
    """One widget -> one v6 panel (None for rows and unknown panel types)."""
    kind = PANEL_KINDS.get(as_text(widget.get("panelTypes")))
    if kind is None:
        return None
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": clip(as_text(widget.get("title")), MAX_TITLE), "description": as_text(widget.get("description"))},
            "plugin": {"kind": kind, "spec": plugin_spec(widget, kind)},
            "queries": convert_widget_query(widget, kind),
            "links": [],
        },
    }


def convert_panels(widgets: Any) -> dict[str, dict[str, Any]]:
    """Widgets -> the v6 `spec.panels` map, keyed by sanitised widget id (the first of a key wins)."""
    panels: dict[str, dict[str, Any]] = {}
    for widget in map(as_dict, as_list(widgets)):
        key = panel_key(as_text(widget.get("id")))
        if not key or key in panels:
            continue
        panel = convert_widget(widget)
        if panel is not None:
            panels[key] = panel
    return panels
