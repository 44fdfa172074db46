"""Hypothesis strategies for SigNoz v6 dashboard bodies the server accepts, built from the shapes of
the strict models (signoz/v6): every object with its fields present, absent, null or empty where
SigNoz allows it, and values that pass the server's checks (one query per panel, the query plugins
each panel kind allows, unique query names, order keys the server accepts, grid items that do not
overlap, variable rules).

Left out on purpose, because a definition cannot say them (import reports each with its JSON path,
see test_import_errors.py): an empty `filter: {}` / `having: {}`, a grid `display: {}` or a
`collapse` without `open`, grid items without x/y, a list variable without a plugin.
"""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

ABSENT = object()  # the field is left out of the body

TEXT = st.text(alphabet=string.ascii_letters + string.digits + " _-.:'\"{}$()/\\é\n", max_size=12)
LABEL = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
KEYS = ["service.name", "http.status_code", "name", "duration_nano", "resource.service.name", "k8s.pod",
        "timestamp", "body"]
UNITS = ["", "none", "s", "ms", "ns", "percentunit", "By", "reqps"]
EXPRESSIONS = ["count()", "sum(x)", "p95(duration_nano)", "avg(duration_nano)", "countIf(has_error = true)",
               "count_distinct(trace_id)"]
TIME_PREFERENCES = ["global_time", "last_5_min", "last_1_hr", "last_1_day", "last_1_month"]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(ABSENT), strategy)


def nullable_list(item: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(ABSENT), st.none(), st.lists(item, max_size=max_size))


def obj(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A JSON object whose fields may each be ABSENT (left out)."""
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not ABSENT})


def field_key(names: list[str] = KEYS) -> st.SearchStrategy[dict[str, Any]]:
    return obj(
        name=st.sampled_from(names),
        description=maybe(TEXT),
        unit=maybe(st.sampled_from(UNITS)),
        signal=maybe(st.sampled_from(["", "traces", "logs", "metrics"])),
        fieldContext=maybe(st.sampled_from(["", "resource", "attribute", "span", "log"])),
        fieldDataType=maybe(st.sampled_from(["", "string", "int64", "float64", "bool", "number"])),
    )


FUNCTION = st.one_of(
    obj(name=st.sampled_from(["fillZero", "absolute", "ewma3", "runningDiff"]),
        args=st.one_of(st.just(ABSENT), st.none(), st.just([]))),
    obj(name=st.sampled_from(["timeShift", "cutOffMin", "clampMax"]),
        args=st.lists(obj(name=maybe(LABEL), value=st.one_of(st.integers(0, 10_000), st.floats(0, 100, allow_nan=False))),
                      min_size=1, max_size=1)),
)
LIMIT_BY = obj(keys=nullable_list(LABEL), value=maybe(st.sampled_from(["", "10"])))
STEP = maybe(st.sampled_from([0, 60, "60s", "1m"]))
FILTER = st.builds(lambda e: {"expression": e}, TEXT)  # never {}: a definition cannot say an empty filter


@st.composite
def order(draw: st.DrawFn, keys: list[str]) -> dict[str, Any]:
    key = draw(field_key(keys)) if keys else draw(field_key())
    return {"key": key, "direction": draw(st.sampled_from(["asc", "desc"]))}


@st.composite
def builder(draw: st.DrawFn, name: str, request: str, signal: str | None = None) -> dict[str, Any]:
    signal = signal or draw(st.sampled_from(["traces", "logs", "metrics"]))
    aggregate = request in ("time_series", "scalar")
    if signal == "metrics":
        aggregation = obj(
            metricName=st.sampled_from(["signoz_calls_total", "http.server.duration.bucket"]),
            temporality=maybe(st.sampled_from(["", "delta", "cumulative"])),
            timeAggregation=maybe(st.sampled_from(["", "rate", "sum", "avg"])),
            spaceAggregation=st.sampled_from(["sum", "avg", "max", "p95"]),
            reduceTo=st.sampled_from(["sum", "avg", "last"]) if request == "scalar" else maybe(st.sampled_from(["sum", "last"])),
            comparisonSpaceAggregationParam=maybe(obj(operator=st.sampled_from([">", "<"]), threshold=st.integers(0, 9))),
        )
        aggregations = draw(st.lists(aggregation, min_size=1, max_size=2) if aggregate else nullable_list(aggregation, 2))
    else:
        drawn = draw(st.lists(st.sampled_from(EXPRESSIONS), min_size=1 if aggregate else 0, max_size=3, unique=True))
        aggregations = [
            {"expression": e, **({"alias": f"a{i}"} if draw(st.booleans()) else {})} for i, e in enumerate(drawn)
        ]
        if not aggregate and not aggregations:
            aggregations = draw(st.sampled_from([ABSENT, None, []]))
    group_by = draw(nullable_list(field_key()))
    allowed = [g["name"] for g in group_by] if isinstance(group_by, list) else []
    for i, a in enumerate(aggregations if isinstance(aggregations, list) else []):
        allowed += [str(i), a.get("expression") or "", a.get("alias") or ""]
    allowed = [k for k in allowed if k] or ["0"]
    spec = draw(obj(
        stepInterval=STEP,
        source=maybe(st.just("")),
        disabled=maybe(st.booleans()),
        filter=maybe(FILTER),
        groupBy=st.just(group_by),
        order=nullable_list(order(allowed if aggregate else KEYS), 2),
        selectFields=nullable_list(field_key(), 2),
        limit=maybe(st.integers(0, 10_000)),
        limitBy=maybe(LIMIT_BY),
        offset=maybe(st.integers(0, 50)),
        cursor=maybe(LABEL),
        having=maybe(FILTER),
        secondaryAggregations=nullable_list(obj(
            expression=maybe(st.just("count()")), alias=maybe(LABEL), stepInterval=STEP, groupBy=nullable_list(field_key(), 1),
            order=nullable_list(order(KEYS), 1), limit=maybe(st.integers(0, 9)), limitBy=maybe(LIMIT_BY),
        ), 1),
        functions=nullable_list(FUNCTION, 2),
        legend=maybe(TEXT),
    ))
    named = {} if draw(st.booleans()) and request == "raw" else {"name": name}
    return {**named, "signal": signal, **({} if aggregations is ABSENT else {"aggregations": aggregations}), **spec}


def formula(name: str, names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    expressions = [f"{a} / {b}" for a in names for b in names] + [f"{names[0]} * 2"]
    return obj(
        expression=st.sampled_from(expressions), disabled=maybe(st.booleans()), order=nullable_list(order(KEYS), 1),
        limit=maybe(st.integers(0, 100)), having=maybe(FILTER),
        functions=nullable_list(FUNCTION, 1), legend=maybe(TEXT),
    ).map(lambda f: {"name": name, **f})


def trace_operator(name: str, traces: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return obj(
        disabled=maybe(st.booleans()), expression=st.just(" => ".join(traces[:2]) if len(traces) > 1 else traces[0]),
        filter=maybe(FILTER), returnSpansFrom=maybe(st.sampled_from(traces)),
        order=nullable_list(order(KEYS), 1), aggregations=nullable_list(obj(expression=st.just("count()")), 1),
        stepInterval=STEP, groupBy=nullable_list(field_key(), 1), having=maybe(FILTER),
        selectFields=nullable_list(field_key(), 1), functions=nullable_list(FUNCTION, 1), limit=maybe(st.integers(0, 9)),
        offset=maybe(st.integers(0, 9)), cursor=maybe(LABEL), legend=maybe(TEXT),
    ).map(lambda t: {"name": name, **t})


def promql(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return obj(query=st.sampled_from(["sum(rate(x[5m]))", "up"]), disabled=maybe(st.booleans()),
               step=STEP, stats=maybe(st.booleans()), legend=maybe(TEXT)).map(lambda p: {"name": name, **p})


def clickhouse(name: str) -> st.SearchStrategy[dict[str, Any]]:
    return obj(query=st.sampled_from(["SELECT 1 AS a", "SELECT count() AS n\nFROM t"]), disabled=maybe(st.booleans()),
               legend=maybe(TEXT)).map(lambda c: {"name": name, **c})


REQUEST = {"time_series": "time_series", "bar": "time_series", "histogram": "time_series",
           "number": "scalar", "pie": "scalar", "table": "scalar", "list": "raw"}
PLUGINS = {"time_series": "signoz/TimeSeriesPanel", "bar": "signoz/BarChartPanel", "number": "signoz/NumberPanel",
           "pie": "signoz/PieChartPanel", "table": "signoz/TablePanel", "histogram": "signoz/HistogramPanel",
           "list": "signoz/ListPanel"}


@st.composite
def query_plugin(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    request = REQUEST[kind]
    if kind == "list":
        return {"kind": "signoz/BuilderQuery", "spec": draw(builder("A", request, draw(st.sampled_from(["traces", "logs"]))))}
    promql_ok = kind not in ("pie", "table")
    shape = draw(st.sampled_from(["builder", "composite", "clickhouse", *(["promql"] if promql_ok else [])]))
    if shape == "builder":
        return {"kind": "signoz/BuilderQuery", "spec": draw(builder("A", request))}
    if shape == "clickhouse":
        return {"kind": "signoz/ClickHouseSQL", "spec": draw(clickhouse("A"))}
    if shape == "promql":
        return {"kind": "signoz/PromQLQuery", "spec": draw(promql("A"))}
    source = draw(st.sampled_from(["builder", "clickhouse", *(["promql"] if promql_ok else [])]))
    count = draw(st.integers(1, 3))
    names = list("ABC")[:count]
    if source == "builder":
        signal = draw(st.sampled_from(["traces", "logs", "metrics"]))
        envelopes = [{"type": "builder_query", "spec": draw(builder(n, request, signal))} for n in names]
        if draw(st.booleans()):
            envelopes.append({"type": "builder_formula", "spec": draw(formula("F1", names))})
        if signal == "traces" and draw(st.booleans()):
            envelopes.append({"type": "builder_trace_operator", "spec": draw(trace_operator("T1", names))})
    elif source == "clickhouse":
        envelopes = [{"type": "clickhouse_sql", "spec": draw(clickhouse(n))} for n in names]
    else:
        envelopes = [{"type": "promql", "spec": draw(promql(n))} for n in names]
    return {"kind": "signoz/CompositeQuery", "spec": {"queries": draw(st.permutations(envelopes))}}


def threshold(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(st.integers(-5, 1000), st.floats(-1, 1, allow_nan=False))
    color = st.sampled_from(["Red", "Orange", "#00ff00"])
    if kind in ("time_series", "bar"):
        return obj(value=value, unit=maybe(st.sampled_from(UNITS)), color=color, label=maybe(TEXT))
    operator = maybe(st.sampled_from(["above", "below", "equal", "below_or_equal"]))
    common = {"value": value, "operator": operator, "unit": maybe(st.sampled_from(UNITS)), "color": color,
              "format": maybe(st.sampled_from(["text", "background"]))}
    if kind == "table":
        return obj(**common, columnName=st.sampled_from(["A", "A.count()", "n"]))
    return obj(**common)


def _legend() -> st.SearchStrategy[Any]:
    return maybe(obj(position=maybe(st.sampled_from(["bottom", "right"])), mode=maybe(st.just("list")),
                     customColors=st.one_of(st.just(ABSENT), st.none(), st.dictionaries(LABEL, st.just("#aabbcc"), max_size=2))))


def plugin_spec(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    visualization = maybe(obj(
        timePreference=maybe(st.sampled_from(TIME_PREFERENCES)),
        **({"fillSpans": maybe(st.booleans())} if kind in ("time_series", "bar") else {}),
        **({"stackedBarChart": maybe(st.booleans())} if kind == "bar" else {}),
    ))
    precision = maybe(st.one_of(st.sampled_from(["0", "1", "2", "4", "full"]), st.integers(0, 4)))
    formatting = maybe(obj(unit=maybe(st.sampled_from(UNITS)), decimalPrecision=precision))
    axes = maybe(obj(softMin=st.one_of(st.just(ABSENT), st.none(), st.integers(0, 9)),
                     softMax=st.one_of(st.just(ABSENT), st.none(), st.integers(10, 99)), isLogScale=maybe(st.booleans())))
    thresholds = nullable_list(threshold(kind), 2)
    if kind == "time_series":
        gaps = maybe(st.one_of(obj(fillOnlyBelow=maybe(st.just(False)), fillLessThan=maybe(st.sampled_from(["", "5m"]))),
                               st.just({"fillOnlyBelow": True, "fillLessThan": "5m"})))
        appearance = maybe(obj(lineInterpolation=maybe(st.sampled_from(["linear", "spline", "step_after"])),
                               showPoints=maybe(st.booleans()), lineStyle=maybe(st.sampled_from(["solid", "dashed"])),
                               fillMode=maybe(st.sampled_from(["solid", "gradient", "none"])), spanGaps=gaps))
        return obj(visualization=visualization, formatting=formatting, chartAppearance=appearance, axes=axes,
                   legend=_legend(), thresholds=thresholds)
    if kind == "bar":
        return obj(visualization=visualization, formatting=formatting, axes=axes, legend=_legend(), thresholds=thresholds)
    if kind == "number":
        return obj(visualization=visualization, formatting=formatting, thresholds=thresholds)
    if kind == "pie":
        return obj(visualization=visualization, formatting=formatting, legend=_legend())
    if kind == "table":
        table_formatting = maybe(obj(
            columnUnits=st.one_of(st.just(ABSENT), st.none(), st.dictionaries(st.sampled_from(["A", "n", "A.count()"]),
                                                                              st.sampled_from(UNITS), max_size=2)),
            decimalPrecision=precision,
        ))
        return obj(visualization=visualization, formatting=table_formatting, thresholds=thresholds)
    if kind == "histogram":
        buckets = maybe(obj(bucketCount=st.one_of(st.just(ABSENT), st.none(), st.integers(1, 60)),
                            bucketWidth=st.one_of(st.just(ABSENT), st.none(), st.floats(0.5, 10, allow_nan=False)),
                            mergeAllActiveQueries=maybe(st.booleans())))
        return obj(histogramBuckets=buckets, legend=_legend())
    return obj(selectFields=nullable_list(field_key(), 3))


@st.composite
def panel(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(list(PLUGINS)))
    display = draw(maybe(DISPLAY))
    query_name = draw(maybe(st.sampled_from(["A", "Q"])))
    spec = {
        **({} if display is ABSENT else {"display": display}),
        "plugin": {"kind": PLUGINS[kind], "spec": draw(plugin_spec(kind))},
        "queries": [{"kind": REQUEST[kind], "spec": {**({} if query_name is ABSENT else {"name": query_name}),
                                                       "plugin": draw(query_plugin(kind))}}],
    }
    links = draw(nullable_list(obj(name=maybe(TEXT), url=maybe(st.just("/trace/{{trace_id}}")), tooltip=maybe(TEXT),
                                   renderVariables=maybe(st.booleans()), targetBlank=maybe(st.booleans())), 2))
    if links is not ABSENT:
        spec["links"] = links
    return {"kind": "Panel", "spec": spec}


# A panel's or variable's display: never empty (a definition cannot say `display: {}`).
DISPLAY = st.one_of(obj(name=TEXT, description=maybe(TEXT)), obj(description=TEXT))
VARIABLE_NAME = st.text(alphabet=string.ascii_letters + "_", min_size=1, max_size=8)


@st.composite
def variable(draw: st.DrawFn, name: str) -> dict[str, Any]:
    display = draw(maybe(DISPLAY))
    shown = {} if display is ABSENT else {"display": display}
    if draw(st.booleans()):
        value = draw(TEXT)
        constant = draw(maybe(st.booleans())) if value else draw(maybe(st.just(False)))
        return {"kind": "TextVariable", "spec": {**shown, "name": name, "value": value,
                                                  **({} if constant is ABSENT else {"constant": constant})}}
    multiple = draw(maybe(st.booleans()))
    allow_all = draw(maybe(st.booleans())) if multiple is True else draw(maybe(st.just(False)))
    plugin = draw(st.sampled_from([
        {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": draw(st.sampled_from(["traces", "all"]))}},
        {"kind": "signoz/QueryVariable", "spec": {"queryValue": "SELECT 1"}},
        {"kind": "signoz/CustomVariable", "spec": {"customValue": "1,10,20"}},
    ]))
    spec = draw(obj(
        defaultValue=maybe(st.one_of(LABEL, st.lists(LABEL, max_size=2)) if multiple is True else LABEL),
        customAllValue=maybe(LABEL) if allow_all is True else maybe(st.just("")),
        capturingRegexp=maybe(st.just("")),
        sort=maybe(st.sampled_from(["none", "alphabetical-asc", "numerical-desc"])),
    ))
    flags = {k: v for k, v in (("allowAllValue", allow_all), ("allowMultiple", multiple)) if v is not ABSENT}
    return {"kind": "ListVariable", "spec": {**shown, "name": name, **spec, **flags, "plugin": plugin}}


@st.composite
def layouts(draw: st.DrawFn, keys: list[str]) -> list[dict[str, Any]]:
    """Grids holding some of the panels (each at most once), items stacked so they never overlap."""
    remaining = draw(st.permutations(keys))
    grids = []
    for _ in range(draw(st.integers(0, 2))):
        take = draw(st.integers(0, len(remaining)))
        chosen, remaining = remaining[:take], remaining[take:]
        items, y = [], 0
        for key in chosen:
            width = draw(st.integers(1, 12))
            height = draw(st.integers(1, 8))
            items.append({"x": draw(st.integers(0, 12 - width)), "y": y, "width": width, "height": height,
                          "content": {"$ref": f"#/spec/panels/{key}"}})
            y += height
        display = draw(maybe(st.one_of(
            obj(title=TEXT, collapse=maybe(st.builds(lambda o: {"open": o}, st.booleans()))),
            st.builds(lambda o: {"collapse": {"open": o}}, st.booleans()),
        )))
        spec = {**({} if display is ABSENT else {"display": display}), "items": items}
        repeat = draw(maybe(LABEL))
        if repeat is not ABSENT:
            spec["repeatVariable"] = repeat
        grids.append({"kind": "Grid", "spec": spec})
    return grids


@st.composite
def dashboard(draw: st.DrawFn) -> dict[str, Any]:
    keys = draw(st.lists(st.text(alphabet=string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=8),
                         max_size=3, unique=True))
    names = draw(st.lists(VARIABLE_NAME, max_size=3, unique=True))
    spec: dict[str, Any] = {
        "variables": [draw(variable(n)) for n in names],
        "panels": {k: draw(panel()) for k in keys},
        "layouts": draw(layouts(keys)),
    }
    spec.update(draw(obj(
        display=obj(name=maybe(TEXT), description=maybe(TEXT)),
        duration=maybe(st.sampled_from(["", "1h", "7d"])),
        refreshInterval=maybe(st.sampled_from(["", "30s", "5m"])),
        links=nullable_list(obj(name=maybe(TEXT), url=maybe(st.just("https://x.example")), tooltip=maybe(TEXT),
                                renderVariables=maybe(st.booleans()), targetBlank=maybe(st.booleans())), 1),
    )))
    body: dict[str, Any] = {"schemaVersion": "v6"}
    if draw(st.booleans()):
        body["name"] = draw(st.from_regex(r"[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?", fullmatch=True))
    else:
        body["generateName"] = True
        spec["display"] = {**spec.get("display", {}), "name": draw(st.sampled_from(["Pipecat", "My Board 2"]))}
    image = draw(maybe(st.sampled_from(["", "/assets/Icons/eight-ball"])))
    if image is not ABSENT:
        body["image"] = image
    body["tags"] = draw(st.lists(st.fixed_dictionaries({"key": st.sampled_from(["team", "tag", "env"]),
                                                        "value": st.sampled_from(["voice", "prod", "a-b"])}), max_size=4))
    body["spec"] = spec
    return body
