"""Hypothesis strategies: valid v6 bodies made only of what the v5 format carries back (every panel
kind, query plugin and variable kind, sections open and collapsed), and the changes that add what
it does not carry back."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from signoz_dac.signoz.expressions import aggregation_problem
from signoz_dac.signoz.expressions.filter import KEYWORDS
from signoz_dac.signoz.v5.convert import name_from_title
from signoz_dac.signoz.names import RESERVED_TAG_KEYS

IDENT = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
# An attribute key; a bare keyword of SigNoz's expression languages (`in`, `and`, `as`, ...) is not one.
ATTRIBUTE = st.from_regex(r"[a-z][a-z0-9_]{0,6}(\.[a-z][a-z0-9_]{0,6}){0,2}", fullmatch=True).filter(
    lambda key: key not in KEYWORDS and aggregation_problem(f"count({key})") is None
)
TEXT = st.text(max_size=24)
NON_EMPTY = st.text(min_size=1, max_size=24).filter(str.strip)
NUMBER = st.one_of(st.integers(-1000, 1000), st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False))
UNIT = st.sampled_from(["", "none", "ns", "ms", "s", "percentunit", "bytes", "reqps"])
COLOR = st.sampled_from(["Red", "Orange", "#00ff00", "green"])
TIME_PREFERENCE = st.sampled_from(["global_time", "last_5_min", "last_1_hr", "last_1_day", "last_1_month"])
PRECISION = st.sampled_from(["0", "1", "2", "3", "4", "full", 0, 3])
FIELD_KEY = st.fixed_dictionaries(
    {"name": ATTRIBUTE},
    optional={"fieldContext": st.sampled_from(["resource", "attribute", "span", "log", ""]),
              "fieldDataType": st.sampled_from(["string", "int64", "float64", "bool", "number", ""])},
)  # fmt: skip
FUNCTION = st.one_of(
    st.just({"name": "absolute"}),
    st.just({"name": "fillZero"}),
    st.builds(lambda v: {"name": "timeShift", "args": [{"value": v}]}, st.integers(1, 86400)),
    st.builds(lambda v: {"name": "cutOffMin", "args": [{"value": v}]}, NUMBER),
)


def _maybe(draw: Any, value: Any) -> Any:
    return value if draw(st.booleans()) else None


@st.composite
def _expression_aggregations(draw: Any) -> list[dict[str, Any]]:
    out, aliases = [], set()
    for _ in range(draw(st.integers(1, 3))):
        function = draw(st.sampled_from(["count", "sum", "avg", "min", "max", "p50", "p95", "p99", "count_distinct", "rate"]))
        argument = "" if function in ("count", "rate") and draw(st.booleans()) else draw(ATTRIBUTE)
        agg = {"expression": f"{function}({argument})"}
        alias = draw(st.one_of(st.just(""), IDENT, st.from_regex(r"[A-Z][a-z]{1,6} [a-z]{1,6}", fullmatch=True)))
        if alias and alias not in aliases:
            aliases.add(alias)
            agg["alias"] = alias
        out.append(agg)
    return out


@st.composite
def _metric_aggregation(draw: Any, scalar: bool) -> dict[str, Any]:
    agg = {
        "metricName": draw(ATTRIBUTE),
        "temporality": draw(st.sampled_from(["delta", "cumulative", "unspecified", ""])),
        "timeAggregation": draw(st.sampled_from(["latest", "sum", "avg", "rate", "increase", ""])),
        "spaceAggregation": draw(st.sampled_from(["sum", "avg", "min", "max", "count", "p50", "p95", "p99"])),
    }
    if scalar or draw(st.booleans()):
        agg["reduceTo"] = draw(st.sampled_from(["last", "sum", "avg", "max", "min"]))
    return agg


def _order_keys(spec: dict[str, Any]) -> list[str]:
    """Keys both SigNoz's conversion and our v6 models accept."""
    keys = [g["name"] for g in spec["groupBy"]] + ["0"] + (["__result"] if spec["signal"] == "metrics" else [])
    for agg in spec["aggregations"]:
        if spec["signal"] == "metrics":
            keys.append(f"{agg['spaceAggregation']}({agg['metricName']})")
            if agg["timeAggregation"]:
                keys.append(f"{agg['timeAggregation']}({agg['metricName']})")
        else:
            keys += [agg["expression"], *([agg["alias"]] if "alias" in agg else [])]
    return keys


@st.composite
def builder_query(draw: Any, name: str, request: str) -> dict[str, Any]:
    raw = request == "raw"
    signal = draw(st.sampled_from(["traces", "logs"] if raw else ["traces", "logs", "metrics"]))
    if raw:
        aggregations: list[dict[str, Any]] = []
    elif signal == "metrics":
        aggregations = [draw(_metric_aggregation(request == "scalar"))]
    else:
        aggregations = draw(_expression_aggregations())
    spec: dict[str, Any] = {"name": name, "signal": signal, "aggregations": aggregations,
                            "filter": {"expression": draw(TEXT)}, "disabled": draw(st.booleans()), "legend": draw(TEXT)}  # fmt: skip
    spec["groupBy"] = [] if raw else draw(st.lists(FIELD_KEY, max_size=2, unique_by=lambda k: k["name"]))
    keys = _order_keys(spec)
    spec["order"] = [] if raw else [
        {"key": {"name": k}, "direction": draw(st.sampled_from(["asc", "desc"]))} for k in draw(st.lists(st.sampled_from(keys), max_size=2))
    ]  # fmt: skip
    if raw:
        spec["selectFields"] = draw(st.lists(FIELD_KEY, max_size=3))
    for field, values in (("limit", st.integers(0, 500)), ("offset", st.integers(0, 50)), ("stepInterval", st.integers(0, 3600))):
        if draw(st.booleans()):
            spec[field] = draw(values)
    if not raw:
        spec["having"] = {"expression": draw(TEXT)}
        spec["functions"] = draw(st.lists(FUNCTION, max_size=2))
    return spec


@st.composite
def panel_query(draw: Any, kind: str) -> dict[str, Any]:
    request = {"signoz/ListPanel": "raw", "signoz/NumberPanel": "scalar", "signoz/PieChartPanel": "scalar",
               "signoz/TablePanel": "scalar"}.get(kind, "time_series")  # fmt: skip
    if request == "raw":
        shape = "builder"
    else:
        shapes = ["builder", "composite", "clickhouse", "clickhouse2"] + (["promql", "promql2"] if request == "time_series" or kind == "signoz/NumberPanel" else [])
        shape = draw(st.sampled_from(shapes))

    def single(plugin: str, spec: dict[str, Any]) -> dict[str, Any]:
        return {"kind": request, "spec": {"name": spec["name"], "plugin": {"kind": plugin, "spec": spec}}}

    def composite(envelopes: list[dict[str, Any]]) -> dict[str, Any]:
        return {"kind": request, "spec": {"plugin": {"kind": "signoz/CompositeQuery", "spec": {"queries": envelopes}}}}

    def text_query(name: str) -> dict[str, Any]:
        return {"name": name, "query": draw(NON_EMPTY), "legend": draw(TEXT), "disabled": draw(st.booleans())}

    if shape == "builder":
        return single("signoz/BuilderQuery", draw(builder_query("A", request)))
    if shape in ("promql", "clickhouse"):
        return single("signoz/PromQLQuery" if shape == "promql" else "signoz/ClickHouseSQL", text_query("A"))
    if shape in ("promql2", "clickhouse2"):
        kind_name = "promql" if shape == "promql2" else "clickhouse_sql"
        return composite([{"type": kind_name, "spec": text_query(n)} for n in "AB"])
    names = "ABC"[: draw(st.integers(2, 3))]
    envelopes = [{"type": "builder_query", "spec": draw(builder_query(n, request))} for n in names]
    for i in range(draw(st.integers(0, 2))):
        formula = {"name": f"F{i + 1}", "expression": draw(st.sampled_from(["A / B", "A + B", "(A - B) * 100", "A / (A + B)"])),
                   "legend": draw(TEXT), "disabled": draw(st.booleans())}  # fmt: skip
        if draw(st.booleans()):
            formula["limit"] = draw(st.integers(1, 100))
        envelopes.append({"type": "builder_formula", "spec": formula})
    return composite(envelopes)


def _thresholds(draw: Any, shape: str) -> list[dict[str, Any]] | None:
    out = []
    for _ in range(draw(st.integers(0, 2))):
        t = {"value": draw(NUMBER), "color": draw(COLOR), "unit": draw(UNIT)}
        if shape == "label":
            t["label"] = draw(TEXT)
        else:
            t["operator"] = draw(st.sampled_from(["above", "below", "above_or_equal", "below_or_equal", "equal"]))
            t["format"] = draw(st.sampled_from(["text", "background"]))
        if shape == "table":
            t["columnName"] = draw(IDENT)
        out.append(t)
    return out or draw(st.sampled_from([None, []]))


@st.composite
def plugin_spec(draw: Any, kind: str) -> dict[str, Any]:
    visualization = {"timePreference": draw(TIME_PREFERENCE)}
    formatting = {"unit": draw(UNIT), "decimalPrecision": draw(PRECISION)}
    legend = {"position": draw(st.sampled_from(["bottom", "right"])),
              "customColors": _maybe(draw, draw(st.dictionaries(IDENT, COLOR, max_size=2)))}  # fmt: skip
    axes = {"softMin": _maybe(draw, draw(NUMBER)), "softMax": _maybe(draw, draw(NUMBER)), "isLogScale": draw(st.booleans())}
    if kind == "signoz/TimeSeriesPanel":
        gaps = draw(st.sampled_from([{"fillOnlyBelow": False, "fillLessThan": ""}, {"fillOnlyBelow": True, "fillLessThan": "30s"},
                                     {"fillOnlyBelow": True, "fillLessThan": "5m"}, {"fillOnlyBelow": True, "fillLessThan": "1h30m"}]))  # fmt: skip
        chart = {"lineInterpolation": draw(st.sampled_from(["linear", "spline", "step_after", "step_before"])),
                 "showPoints": draw(st.booleans()), "lineStyle": draw(st.sampled_from(["solid", "dashed"])),
                 "fillMode": draw(st.sampled_from(["solid", "gradient", "none"])), "spanGaps": gaps}  # fmt: skip
        spec = {"visualization": {**visualization, "fillSpans": draw(st.booleans())}, "formatting": formatting,
                "chartAppearance": chart, "axes": axes, "legend": legend, "thresholds": _thresholds(draw, "label")}  # fmt: skip
    elif kind == "signoz/BarChartPanel":
        spec = {"visualization": {**visualization, "fillSpans": draw(st.booleans()), "stackedBarChart": draw(st.booleans())},
                "formatting": formatting, "axes": axes, "legend": legend, "thresholds": _thresholds(draw, "label")}  # fmt: skip
    elif kind == "signoz/NumberPanel":
        spec = {"visualization": visualization, "formatting": formatting, "thresholds": _thresholds(draw, "comparison")}
    elif kind == "signoz/PieChartPanel":
        spec = {"visualization": visualization, "formatting": formatting, "legend": legend}
    elif kind == "signoz/TablePanel":
        units = _maybe(draw, draw(st.dictionaries(IDENT, UNIT, max_size=2)))
        spec = {"visualization": visualization, "formatting": {"columnUnits": units, "decimalPrecision": formatting["decimalPrecision"]},
                "thresholds": _thresholds(draw, "table")}  # fmt: skip
    elif kind == "signoz/HistogramPanel":
        buckets = {"bucketCount": _maybe(draw, draw(st.integers(1, 100))), "bucketWidth": _maybe(draw, draw(NUMBER)),
                   "mergeAllActiveQueries": draw(st.booleans())}  # fmt: skip
        spec = {"histogramBuckets": buckets, "legend": legend}
    else:
        fields = draw(st.lists(st.builds(lambda k, s: {**k, "signal": s}, FIELD_KEY, st.sampled_from(["traces", "logs", ""])), max_size=3))
        spec = {"selectFields": fields or None}
    # Leave some options out: SigNoz's defaults then apply on both sides.
    return {k: v for k, v in spec.items() if draw(st.integers(0, 4))}


KINDS = ["signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/PieChartPanel",
         "signoz/TablePanel", "signoz/HistogramPanel", "signoz/ListPanel"]  # fmt: skip


@st.composite
def panel(draw: Any) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": draw(TEXT), "description": draw(TEXT)},
            "plugin": {"kind": kind, "spec": draw(plugin_spec(kind))},
            "queries": [draw(panel_query(kind))],
        },
    }


@st.composite
def variable(draw: Any, name: str) -> dict[str, Any]:
    display = {"name": name, "description": draw(TEXT)}
    kind = draw(st.sampled_from(["text", "dynamic", "query", "custom"]))
    if kind == "text":
        return {"kind": "TextVariable", "spec": {"display": display, "name": name, "value": draw(TEXT)}}
    plugin = {
        "dynamic": {"kind": "signoz/DynamicVariable", "spec": {"name": draw(ATTRIBUTE), "signal": draw(st.sampled_from(["traces", "logs", "metrics", "all"]))}},
        "query": {"kind": "signoz/QueryVariable", "spec": {"queryValue": draw(NON_EMPTY)}},
        "custom": {"kind": "signoz/CustomVariable", "spec": {"customValue": draw(NON_EMPTY)}},
    }[kind]  # fmt: skip
    multiple = draw(st.booleans())
    allow_all = multiple and draw(st.booleans())
    spec: dict[str, Any] = {"display": display, "name": name, "allowMultiple": multiple, "allowAllValue": allow_all,
                            "sort": draw(st.sampled_from(["none", "alphabetical-asc", "alphabetical-desc"])), "plugin": plugin}  # fmt: skip
    if allow_all and draw(st.booleans()):
        spec["customAllValue"] = draw(NON_EMPTY)
    default = draw(st.one_of(st.none(), NON_EMPTY, *([st.lists(NON_EMPTY, min_size=1, max_size=3)] if multiple else [])))
    if default is not None:
        spec["defaultValue"] = default
    return {"kind": "ListVariable", "spec": spec}


def _pack(sizes: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """Skyline packing on the 12-column grid: every item at the lowest free spot (compact)."""
    skyline = [0] * 12
    items = []
    for key, w, h in sizes:
        x = min(range(13 - w), key=lambda c: (max(skyline[c : c + w]), c))
        y = max(skyline[x : x + w])
        skyline[x : x + w] = [y + h] * w
        items.append({"x": x, "y": y, "width": w, "height": h, "content": {"$ref": f"#/spec/panels/{key}"}})
    return sorted(items, key=lambda i: (i["y"], i["x"]))


@st.composite
def v6_bodies(draw: Any) -> dict[str, Any]:
    """A valid v6 body holding only what its v5 form carries back."""
    title = draw(st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,20}", fullmatch=True))
    keys = draw(st.lists(st.from_regex(r"[a-z][a-z0-9-]{0,8}|section-[0-9]", fullmatch=True), min_size=1, max_size=8, unique=True))
    panels = {key: draw(panel()) for key in keys}
    # Sections: an optional untitled grid first, then titled ones, open or collapsed.
    cuts = sorted(draw(st.lists(st.integers(0, len(keys)), max_size=3)))
    groups = [keys[a:b] for a, b in zip([0, *cuts], [*cuts, len(keys)])]
    layouts = []
    for i, group in enumerate(groups):
        sizes = [(k, draw(st.integers(1, 12)), draw(st.integers(1, 8))) for k in group]
        grid: dict[str, Any] = {"items": _pack(sizes)}
        if i or not group or draw(st.booleans()):
            grid["display"] = {"title": draw(TEXT), "collapse": {"open": draw(st.booleans())}}
        layouts.append({"kind": "Grid", "spec": grid})
    names = draw(st.lists(IDENT, max_size=4, unique=True))
    tags = draw(st.lists(
        st.fixed_dictionaries({"key": st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,10}", fullmatch=True).filter(lambda k: k.lower() not in RESERVED_TAG_KEYS),
                               "value": st.from_regex(r"[A-Za-z0-9_.-]{1,10}", fullmatch=True)}),
        max_size=4, unique_by=lambda t: (t["key"].lower(), t["value"].lower())))  # fmt: skip
    return {
        "schemaVersion": "v6",
        "name": name_from_title(title),
        "image": draw(st.sampled_from(["", "/assets/Icons/avocado", "/assets/Logos/signoz"])),
        "tags": tags,
        "spec": {
            "display": {"name": title, "description": draw(TEXT)},
            "variables": [draw(variable(n)) for n in names],
            "panels": panels,
            "layouts": layouts,
        },
    }
