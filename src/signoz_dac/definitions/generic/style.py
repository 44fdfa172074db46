"""Styles: what a generic definition writes for the options it does not set.

A SigNoz body says more than its options. Two bodies that mean the same to SigNoz's UI can differ
in which empty values they spell out: `"thresholds": null` or `[]` or nothing, `"having":
{"expression": ""}` or nothing. SigNoz keeps those differences when it stores a dashboard, and the
canonical form push compares keeps them too, so a definition that is to render back to exactly the
body it came from (`signoz-dac import` and `pull`) must say which ones it writes.

It does so in three layers, from broad to narrow:

- the dashboard's `style:` gives every option it does not set a default (this module's tables);
- an option set in the definition is written as given (`thresholds: []`, `legend: ""`);
- an object's `omit: [option, ...]` leaves out options the style would write.

Styles:

- `signoz-dac` (the default): the shape signoz-dac has always rendered; the voice panels use it.
- `signoz-ui`: the shape SigNoz's own UI and exports write (every field, empty values spelled
  out). `import` and `pull` pick it for bodies exported from SigNoz, so their YAML holds only
  what someone chose in the UI.
- `minimal`: only what is set, and what SigNoz needs (the shape of hand-written JSON such as
  SigNoz's own test dashboards).

`import` picks the style that needs the fewest options and `omit`s to say the body.

Options the voice panels' models already give a default (a variable's `signal` and `allow_all`,
the dashboard's `time_range`) keep that default in every style, so a value read from a definition
is the value rendered; a style only fills in options that have no default of their own.

Each table is keyed by an object's style key (`builder`, `legend`, ...), optionally qualified by
where the object sits (`legend@pie`: a pie chart's legend; `builder@composite`: a builder query
inside a composite). The most qualified table wins whole; tables are not merged.
"""

from __future__ import annotations

from typing import Any, Literal

Style = Literal["signoz-dac", "signoz-ui", "minimal"]
STYLES: tuple[str, ...] = ("signoz-dac", "signoz-ui", "minimal")


class _Sentinel:
    def __init__(self, name: str):
        self._name = name

    def __repr__(self) -> str:
        return self._name

    def __reduce__(self) -> str:  # pickling and deep copies keep the singleton
        return self._name


OMIT = _Sentinel("OMIT")  # the field is not written
PRESENT = _Sentinel("PRESENT")  # a sub-object written even when none of its options is set
DEFAULT = _Sentinel("DEFAULT")  # the model field's own default (None means: not written)

Context = tuple[str, str | None]  # (style key, qualifier)

_TS_APPEARANCE = {"line_interpolation": "spline", "show_points": False, "line_style": "solid", "fill_mode": "none"}
_LIST_LEGEND = {"position": "bottom", "mode": "list"}
_FIELD = {"signal": "", "context": "", "type": ""}
_DAC_PANEL = {"title": DEFAULT, "description": DEFAULT, "query_name": "A"}

_DAC: dict[str, dict[str, Any]] = {
    "dashboard": {"description": DEFAULT, "image": "", "time_range": DEFAULT, "refresh": DEFAULT},
    "section": {"title": DEFAULT, "collapsed": DEFAULT},
    "section@untitled": {},
    "variable": {
        "description": DEFAULT, "default": DEFAULT, "allow_all": DEFAULT, "multiple": DEFAULT,
        "sort": "alphabetical-asc", "signal": DEFAULT,
    },
    "variable@text": {"description": DEFAULT, "constant": DEFAULT},
    "panel": _DAC_PANEL,
    "panel@time_series": {
        **_DAC_PANEL, "time_preference": "global_time", "fill_spans": False,
        "chart_appearance": PRESENT, "legend": PRESENT, "thresholds": [],
    },
    "panel@bar": {
        **_DAC_PANEL, "time_preference": "global_time", "fill_spans": False,
        "stacked": True, "legend": PRESENT,
    },
    "panel@number": {**_DAC_PANEL, "time_preference": "global_time", "thresholds": []},
    "panel@pie": {**_DAC_PANEL, "time_preference": "global_time", "legend": PRESENT},
    "panel@table": {**_DAC_PANEL, "time_preference": "global_time", "column_units": {}, "decimals": "0"},
    "panel@histogram": {**_DAC_PANEL, "legend": PRESENT},
    "panel@list": {**_DAC_PANEL, "select_fields": []},
    "chart_appearance": _TS_APPEARANCE,
    "legend": _LIST_LEGEND,
    "legend@pie": {"position": "right", "mode": "list"},
    "threshold": {"label": ""},
    "threshold@number": {"operator": "above_or_equal", "format": "text"},
    "threshold@table": {"operator": "above_or_equal", "format": "text"},
    "link": {"tooltip": "", "render_variables": True, "target_blank": True},
    "field": _FIELD,
    "field@key": {},  # an order key: its name only
    "builder": {"disabled": False, "filter": "", "group_by": [], "order": [], "legend": ""},
    "formula": {"disabled": False, "legend": ""},
    "sql": {"disabled": False, "legend": ""},
    "promql": {"disabled": False, "legend": ""},
}

_UI_BUILDER = {
    "source": "", "disabled": False, "filter": "", "group_by": [], "order": [], "having": "", "functions": [],
    "legend": "",
}
_UI_PANEL = {"title": DEFAULT, "description": DEFAULT, "query_name": "A", "links": []}
_UI_CHART = {**_UI_PANEL, "time_preference": "global_time"}

_UI: dict[str, dict[str, Any]] = {
    "dashboard": {"description": DEFAULT, "image": "", "time_range": DEFAULT, "refresh": DEFAULT, "links": []},
    "section": {},
    "variable": {
        "description": DEFAULT, "default": DEFAULT, "allow_all": DEFAULT, "multiple": DEFAULT,
        "custom_all_value": "", "capturing_regexp": "", "sort": "none", "signal": DEFAULT,
    },
    "variable@text": {"description": DEFAULT, "constant": DEFAULT},
    "panel": _UI_PANEL,
    "panel@time_series": {
        **_UI_CHART, "fill_spans": False, "unit": "", "decimals": "2", "chart_appearance": PRESENT,
        "axes": PRESENT, "legend": PRESENT, "thresholds": None,
    },
    "panel@bar": {
        **_UI_CHART, "fill_spans": False, "stacked": False, "unit": "", "decimals": "2", "axes": PRESENT,
        "legend": PRESENT, "thresholds": None,
    },
    "panel@number": {**_UI_CHART, "unit": "", "decimals": "2", "thresholds": None},
    "panel@pie": {**_UI_CHART, "unit": "", "decimals": "2", "legend": PRESENT},
    "panel@table": {**_UI_CHART, "column_units": {}, "decimals": "2", "thresholds": None},
    "panel@histogram": {**_UI_PANEL, "buckets": PRESENT, "legend": PRESENT},
    "panel@list": _UI_PANEL,
    "chart_appearance": {**_TS_APPEARANCE, "span_gaps": PRESENT},
    "span_gaps": {"fill_only_below": False, "fill_less_than": ""},
    "axes": {"soft_min": 0, "soft_max": 0, "log_scale": False},
    "legend": {**_LIST_LEGEND, "colors": None},
    "buckets": {"count": None, "width": None, "merge_all_queries": False},
    "threshold": {"unit": "", "label": ""},
    "threshold@number": {"operator": "above", "unit": "", "format": "text"},
    "threshold@table": {"operator": "above", "unit": "", "format": "text"},
    "link": {"name": "", "url": "", "tooltip": "", "render_variables": False, "target_blank": False},
    "field": _FIELD,
    "field@key": {},
    "metric_aggregation": {"temporality": ""},
    "builder": _UI_BUILDER,
    "builder@composite": {
        **_UI_BUILDER, "step": 0, "select_fields": None, "secondary_aggregations": None,
    },
    "formula": {"disabled": False, "order": None, "having": "", "functions": None, "legend": ""},
    "sql": {"disabled": False, "legend": ""},
    "promql": {"disabled": False, "legend": ""},
}

# Fields the voice panels' models always wrote, left out where SigNoz's default is the same value.
_MINIMAL: dict[str, dict[str, Any]] = {
    "dashboard": {"description": OMIT, "refresh": OMIT},
    "variable": {"description": OMIT},
    "variable@text": {"description": OMIT, "constant": OMIT},
}

TABLES: dict[str, dict[str, dict[str, Any]]] = {"signoz-dac": _DAC, "signoz-ui": _UI, "minimal": _MINIMAL}


def table(style: str, context: Context) -> dict[str, Any]:
    """The defaults an object gets in `style` where it sits (`context`): the qualified table if the
    style has one, else the object's plain table, else none."""
    tables = TABLES[style]
    key, qualifier = context
    if qualifier is not None and f"{key}@{qualifier}" in tables:
        return tables[f"{key}@{qualifier}"]
    return tables.get(key, {})
