"""Every check SigNoz v0.138 makes of a dashboard, table-driven: the minimal valid body with exactly one
check broken must raise SchemaError naming the exact JSON path; and what SigNoz accepts although a
stricter reading would not stays accepted. (SigNoz's own test vectors: test_signoz_vectors.py; what we
demand of our own output on top: tests/render/test_output_checks.py.)"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from signoz_dac.errors import SchemaError
from signoz_dac.signoz.v6 import given_body, parse_dashboard

from .bodies import DELETE, builder, get_path, item, query, set_path

Mutation = Callable[[dict[str, Any]], Any]


@dataclass
class Case:
    id: str
    mutate: Mutation
    path: str  # the Issue.path that must be reported
    says: str  # a fragment of that issue's message
    kwargs: dict[str, Any] = field(default_factory=dict)
    only: bool = True  # the break yields exactly this one issue


def put(path: str, value: Any) -> Mutation:
    return lambda b: set_path(b, path, value)


def drop(path: str) -> Mutation:
    return put(path, DELETE)


def both(*mutations: Mutation) -> Mutation:
    def run(b: dict[str, Any]) -> None:
        for m in mutations:
            m(b)

    return run


def append(path: str, value: Any) -> Mutation:
    return lambda b: get_path(b, path).append(value)


# Short names for the spots of the minimal body (bodies.make_body).
P = "spec.panels"
TS = f"{P}.latency.spec"  # TimeSeriesPanel, BuilderQuery traces, time_series
BAR = f"{P}.bars.spec"  # BarChartPanel, PromQL
NUM = f"{P}.errors.spec"  # NumberPanel, CompositeQuery (A, B, F1 = A / (A + B))
PIE = f"{P}.models.spec"  # PieChartPanel, BuilderQuery logs
TBL = f"{P}.table.spec"  # TablePanel, ClickHouseSQL
HIST = f"{P}.hist.spec"  # HistogramPanel, BuilderQuery metrics
LIST = f"{P}.logs.spec"  # ListPanel, BuilderQuery logs raw
TSQ = f"{TS}.queries[0]"
TSB = f"{TSQ}.spec.plugin.spec"  # the time series builder query
CMP = f"{NUM}.queries[0].spec.plugin.spec.queries"  # the composite's envelopes
HISTB = f"{HIST}.queries[0].spec.plugin.spec"
V = "spec.variables"
L0 = "spec.layouts[0].spec.items"
L1 = "spec.layouts[1].spec.items"
LONG = "x" * 129

TOP_LEVEL = [
    Case("schemaVersion wrong", put("schemaVersion", "v5"), "schemaVersion", 'must be "v6"'),
    Case("schemaVersion empty", put("schemaVersion", ""), "schemaVersion", 'schemaVersion must be "v6", got \'\''),
    Case("schemaVersion missing", drop("schemaVersion"), "schemaVersion", "missing required field"),
    Case("unknown top-level field", put("id", "0190"), "id", "unknown field 'id'"),
    Case("name not DNS-1123", put("name", "Voice Agents"), "name", "DNS-1123"),
    Case("name over 63", put("name", "a" * 64), "name", "at most 63"),
    Case("name missing", drop("name"), "name", "name is required"),
    Case("name empty", put("name", ""), "name", "name is required"),
    Case(
        "generateName refused for push input",
        both(put("generateName", True), drop("name")),
        "generateName",
        "signoz-dac needs a stable name",
        {"allow_generate_name": False},
    ),
    Case(
        "generateName without a display name",
        both(put("generateName", True), drop("name"), put("spec.display.name", "")),
        "spec.display.name",
        "is required when generateName is true",
    ),
    Case(
        "generateName with a name",
        put("generateName", True),
        "name",
        "must be empty when generateName is true",
        {"allow_generate_name": True},
    ),
    Case("image not an asset", put("image", "https://example.com/x.png"), "image", "/assets/Icons/"),
    Case("image bad data uri", put("image", "data:image/bmp;base64,AAAA"), "image", "data:image"),
    Case("more than 10 tags", put("tags", [{"key": f"k{i}", "value": "v"} for i in range(11)]), "tags", "at most 10"),
    Case("tag key regex", put("tags[0].key", "1team"), "tags[0].key", "must match"),
    Case("tag key too long", put("tags[0].key", "k" * 33), "tags[0].key", "at most 32"),
    Case("tag key reserved", put("tags[0].key", "Locked"), "tags[0].key", "reserved"),
    Case("tag value regex", put("tags[0].value", "two words"), "tags[0].value", "must match"),
    Case("tag value too long", put("tags[0].value", "v" * 33), "tags[0].value", "at most 32"),
    Case("tag value missing", drop("tags[0].value"), "tags[0].value", "missing required field 'value'"),
    Case("tag value blank", put("tags[0].value", "  "), "tags[0].value", "must not be empty"),
]

SPEC = [
    Case("display name over 128", put("spec.display.name", LONG), "spec.display.name", "at most 128"),
    Case("variables null", put("spec.variables", None), "spec.variables", "must be a list"),
    Case("variables missing", drop("spec.variables"), "spec.variables", "missing required field"),
    Case("panels null", put("spec.panels", None), "spec.panels", "must be an object"),
    Case("layouts null", put("spec.layouts", None), "spec.layouts", "must be a list"),
    Case("unknown spec field", put("spec.datasources", {}), "spec.datasources", "unknown field 'datasources'"),
    Case("duration junk", put("spec.duration", "an hour"), "spec.duration", "a duration such as"),
    Case("duration units out of order", put("spec.duration", "30m1h"), "spec.duration", "a duration such as"),
    Case("duration with a space", put("spec.duration", "1 h"), "spec.duration", "a duration such as"),
    Case("refreshInterval junk", put("spec.refreshInterval", "soon"), "spec.refreshInterval", "a duration such as"),
    Case("link unknown field", put("spec.links", [{"href": "x"}]), "spec.links[0].href", "unknown field"),
]

PANELS = [
    Case("panel key with a space", lambda b: set_path(b, f"{P}.has space", get_path(b, f"{P}.logs")), f"{P}.has space", "not a correct name"),
    Case("panel key with ..", lambda b: set_path(b, f'{P}."a..b"', get_path(b, f"{P}.logs")), f'{P}."a..b"', "not a correct name"),
    Case("panel key too long", lambda b: set_path(b, f"{P}.{'k' * 76}", get_path(b, f"{P}.logs")), f"{P}.{'k' * 76}", "panel key"),
    Case("panel kind", put(f"{P}.latency.kind", "Widget"), f"{P}.latency.kind", "must be one of: Panel"),
    Case("panel unknown field", put(f"{TS}.foo", 1), f"{TS}.foo", "unknown field 'foo'"),
    Case("panel display name over 128", put(f"{TS}.display.name", LONG), f"{TS}.display.name", "at most 128"),
    Case("panel queries missing", drop(f"{TS}.queries"), f"{TS}.queries", "panel must have one query, found 0"),
    Case("panel queries null", put(f"{TS}.queries", None), f"{TS}.queries", "panel must have one query, found 0"),
    Case("panel no query", put(f"{TS}.queries", []), f"{TS}.queries", "panel must have one query, found 0"),
    Case(
        "panel two queries",
        lambda b: get_path(b, f"{TS}.queries").append(get_path(b, TSQ)),
        f"{TS}.queries",
        "panel must have one query, found 2",
    ),
    Case("panel plugin kind unknown", put(f"{TS}.plugin.kind", "signoz/TextPanel"), f"{TS}.plugin.kind", "must be one of"),
    Case("panel plugin kind missing", drop(f"{TS}.plugin.kind"), f"{TS}.plugin.kind", "missing required field 'kind'"),
    Case("plugin spec unknown field", put(f"{TS}.plugin.spec.formatting.foo", 1), f"{TS}.plugin.spec.formatting.foo", "unknown field"),
    Case("field of another panel kind", put(f"{NUM}.plugin.spec.legend", {}), f"{NUM}.plugin.spec.legend", "unknown field"),
    Case("unit not a string", put(f"{TS}.plugin.spec.formatting.unit", 5), f"{TS}.plugin.spec.formatting.unit", "must be a string"),
]

ENUMS = [
    Case("timePreference empty", put(f"{TS}.plugin.spec.visualization.timePreference", ""), f"{TS}.plugin.spec.visualization.timePreference", "must not be empty"),
    Case("timePreference unknown", put(f"{TS}.plugin.spec.visualization.timePreference", "last_2_hr"), f"{TS}.plugin.spec.visualization.timePreference", "must be one of: global_time, last_5_min"),
    Case("legend position empty", put(f"{TS}.plugin.spec.legend.position", ""), f"{TS}.plugin.spec.legend.position", "must not be empty"),
    Case("legend mode unknown", put(f"{TS}.plugin.spec.legend.mode", "grid"), f"{TS}.plugin.spec.legend.mode", "must be one of: list, table"),
    Case("lineInterpolation unknown", put(f"{TS}.plugin.spec.chartAppearance.lineInterpolation", "curvy"), f"{TS}.plugin.spec.chartAppearance.lineInterpolation", "must be one of"),
    Case("lineStyle empty", put(f"{TS}.plugin.spec.chartAppearance.lineStyle", ""), f"{TS}.plugin.spec.chartAppearance.lineStyle", "must not be empty"),
    Case("fillMode empty", put(f"{TS}.plugin.spec.chartAppearance.fillMode", ""), f"{TS}.plugin.spec.chartAppearance.fillMode", "must not be empty"),
    Case("decimalPrecision empty", put(f"{TS}.plugin.spec.formatting.decimalPrecision", ""), f"{TS}.plugin.spec.formatting.decimalPrecision", "must not be empty"),
    Case("decimalPrecision 5", put(f"{TS}.plugin.spec.formatting.decimalPrecision", 5), f"{TS}.plugin.spec.formatting.decimalPrecision", "one of: 0, 1, 2, 3, 4, full"),
    Case("decimalPrecision bool", put(f"{TBL}.plugin.spec.formatting.decimalPrecision", True), f"{TBL}.plugin.spec.formatting.decimalPrecision", "one of"),
    Case("threshold operator empty", put(f"{NUM}.plugin.spec.thresholds[0].operator", ""), f"{NUM}.plugin.spec.thresholds[0].operator", "must not be empty"),
    Case("threshold format unknown", put(f"{NUM}.plugin.spec.thresholds[0].format", "bold"), f"{NUM}.plugin.spec.thresholds[0].format", "must be one of: text, background"),
    Case("variable sort empty", put(f"{V}[1].spec.sort", ""), f"{V}[1].spec.sort", "must not be empty"),
    Case("dynamic signal empty", put(f"{V}[0].spec.plugin.spec.signal", ""), f"{V}[0].spec.plugin.spec.signal", "must not be empty"),
    Case("groupBy fieldContext not a string", put(f"{TSB}.groupBy[0].fieldContext", 1), f"{TSB}.groupBy[0].fieldContext", "must be a string"),
    Case("order direction unknown", put(f"{TSB}.order[0].direction", "up"), f"{TSB}.order[0].direction", "must be one of: asc, desc"),
]

THRESHOLDS_AND_GAPS = [
    Case("spanGaps without duration", put(f"{TS}.plugin.spec.chartAppearance.spanGaps.fillLessThan", ""), f"{TS}.plugin.spec.chartAppearance.spanGaps.fillLessThan", "positive duration"),
    Case("spanGaps zero duration", put(f"{TS}.plugin.spec.chartAppearance.spanGaps.fillLessThan", "0s"), f"{TS}.plugin.spec.chartAppearance.spanGaps.fillLessThan", "positive duration"),
    Case("label threshold no color", drop(f"{TS}.plugin.spec.thresholds[0].color"), f"{TS}.plugin.spec.thresholds[0].color", "missing required field 'color'"),
    Case("label threshold no value", drop(f"{TS}.plugin.spec.thresholds[0].value"), f"{TS}.plugin.spec.thresholds[0].value", "missing required field 'value'"),
    Case("label threshold value string", put(f"{TS}.plugin.spec.thresholds[0].value", "1"), f"{TS}.plugin.spec.thresholds[0].value", "must be a number"),
    Case("comparison threshold no color", drop(f"{NUM}.plugin.spec.thresholds[0].color"), f"{NUM}.plugin.spec.thresholds[0].color", "missing required field"),
    Case("comparison threshold empty color", put(f"{NUM}.plugin.spec.thresholds[0].color", ""), f"{NUM}.plugin.spec.thresholds[0].color", "must not be empty"),
    Case("comparison threshold label", put(f"{NUM}.plugin.spec.thresholds[0].label", "x"), f"{NUM}.plugin.spec.thresholds[0].label", "unknown field"),
    Case("table threshold no columnName", drop(f"{TBL}.plugin.spec.thresholds[0].columnName"), f"{TBL}.plugin.spec.thresholds[0].columnName", "missing required field 'columnName'"),
]

QUERY_KINDS = [
    Case("query kind empty", put(f"{TSQ}.kind", ""), f"{TSQ}.kind", "must not be empty"),
    Case("query kind unknown", put(f"{TSQ}.kind", "graph"), f"{TSQ}.kind", "must be one of: scalar, time_series"),
    Case("query kind missing", drop(f"{TSQ}.kind"), f"{TSQ}.kind", "missing required field"),
    Case("query kind is case-sensitive", put(f"{TSQ}.kind", "Time_Series"), f"{TSQ}.kind", "must be one of"),
    Case(
        "list panel with time_series needs aggregations",
        put(f"{LIST}.queries[0].kind", "time_series"),
        f"{LIST}.queries[0].spec.plugin.spec.aggregations",
        "a time_series query needs at least one aggregation",
    ),
    Case("query plugin kind unknown", put(f"{TSQ}.spec.plugin.kind", "signoz/SQL"), f"{TSQ}.spec.plugin.kind", "must be one of: signoz/BuilderQuery"),
    Case("query plugin missing", drop(f"{TSQ}.spec.plugin"), f"{TSQ}.spec.plugin", "missing required field"),
    Case("query spec unknown field", put(f"{TSQ}.spec.foo", 1), f"{TSQ}.spec.foo", "unknown field"),
]

MATRIX = [
    Case(
        "PromQL in a pie chart",
        put(f"{PIE}.queries[0]", query("scalar", "signoz/PromQLQuery", {"name": "A", "query": "up"})),
        f"{PIE}.queries[0].spec.plugin.kind",
        "signoz/PromQLQuery is not allowed in a signoz/PieChartPanel",
    ),
    Case(
        "PromQL in a table",
        put(f"{TBL}.queries[0]", query("scalar", "signoz/PromQLQuery", {"name": "A", "query": "up"})),
        f"{TBL}.queries[0].spec.plugin.kind",
        "not allowed",
    ),
    Case(
        "ClickHouse in a list",
        put(f"{LIST}.queries[0]", query("raw", "signoz/ClickHouseSQL", {"name": "A", "query": "SELECT 1"})),
        f"{LIST}.queries[0].spec.plugin.kind",
        "allowed: signoz/BuilderQuery",
    ),
    Case(
        "composite in a list",
        lambda b: set_path(b, f"{LIST}.queries[0]", {**get_path(b, f"{NUM}.queries[0]"), "kind": "raw"}),
        f"{LIST}.queries[0].spec.plugin.kind",
        "not allowed in a signoz/ListPanel",
    ),
    Case(
        "top-level formula without expression",
        put(f"{TSQ}.spec.plugin", {"kind": "signoz/Formula", "spec": {"name": "F1"}}),
        f"{TSQ}.spec.plugin.spec.expression",
        "cannot be blank",
    ),
    Case(
        "formula in a list",
        put(f"{LIST}.queries[0].spec.plugin", {"kind": "signoz/Formula", "spec": {"name": "F1", "expression": "A"}}),
        f"{LIST}.queries[0].spec.plugin.kind",
        "signoz/Formula is not allowed in a signoz/ListPanel",
    ),
    Case(
        "composite promql in a pie",
        both(
            put(f"{NUM}.plugin", {"kind": "signoz/PieChartPanel", "spec": {}}),
            append(CMP, {"type": "promql", "spec": {"name": "P", "query": "up"}}),
        ),
        f"{CMP}[3].type",
        "promql is not allowed in a signoz/PieChartPanel",
    ),
    Case("composite sub-query type unknown", put(f"{CMP}[0].type", "builder_sql"), f"{CMP}[0].type", "must be one of: builder_query"),
    Case(
        "composite join in a panel",
        put(f"{CMP}[0]", {"type": "builder_join", "spec": {"name": "J"}}),
        f"{CMP}[0].type",
        "builder_join is not allowed in a signoz/NumberPanel",
    ),
    Case("composite sub-query type missing", drop(f"{CMP}[0].type"), f"{CMP}[0].type", "missing required field 'type'"),
    Case("composite empty", put(CMP, []), CMP, "at least one query"),
]

BUILDER = [
    Case("signal empty", put(f"{TSB}.signal", ""), f"{TSB}.signal", "must not be empty; one of: traces, logs, metrics"),
    Case("signal unknown", put(f"{TSB}.signal", "events"), f"{TSB}.signal", "must be one of: traces, logs, metrics"),
    Case("signal missing", drop(f"{TSB}.signal"), f"{TSB}.signal", "missing required field 'signal'"),
    Case("builder unknown field", put(f"{TSB}.foo", 1), f"{TSB}.foo", "unknown field 'foo'"),
    Case("limit too big", put(f"{TSB}.limit", 10_001), f"{TSB}.limit", "between 0 and 10000"),
    Case("limit negative", put(f"{TSB}.limit", -1), f"{TSB}.limit", "between 0 and 10000"),
    Case("limit as string", put(f"{TSB}.limit", "10"), f"{TSB}.limit", "must be an integer"),
    Case("function unknown", put(f"{TSB}.functions", [{"name": "smooth"}]), f"{TSB}.functions[0].name", "unknown function"),
    Case("aggregation empty", put(f"{TSB}.aggregations[0].expression", ""), f"{TSB}.aggregations[0].expression", "must not be empty"),
    Case("aggregation with as", put(f"{TSB}.aggregations[0].expression", "p95(duration_nano) as p95"), f"{TSB}.aggregations[0].expression", "' as '"),
    Case("aggregation comma-packed", put(f"{TSB}.aggregations[0].expression", "count(), sum(x)"), f"{TSB}.aggregations[0].expression", "one aggregation entry per function call", only=False),
    Case("aggregation does not parse", put(f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].expression", "count("), f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].expression", "unclosed bracket"),
    Case(
        "aggregation aliases repeat",
        append(f"{TSB}.aggregations", {"expression": "p99(duration_nano)", "alias": "p95"}),
        f"{TSB}.aggregations[1].alias",
        "duplicate alias 'p95'",
    ),
    Case("aggregations empty on time_series", put(f"{TSB}.aggregations", []), f"{TSB}.aggregations", "at least one aggregation", only=False),
    Case("metric without metricName", drop(f"{HISTB}.aggregations[0].metricName"), f"{HISTB}.aggregations[0].metricName", "needs a metricName"),
    Case("metric without spaceAggregation", drop(f"{HISTB}.aggregations[0].spaceAggregation"), f"{HISTB}.aggregations[0].spaceAggregation", "is required"),
    Case("metric reduceTo null", put(f"{HISTB}.aggregations[0].reduceTo", None), f"{HISTB}.aggregations[0].reduceTo", "must not be null"),
    Case("metric spaceAggregation unknown", put(f"{HISTB}.aggregations[0].spaceAggregation", "median"), f"{HISTB}.aggregations[0].spaceAggregation", "must be one of: sum, avg"),
    Case(
        "scalar metric without reduceTo",
        put(f"{PIE}.queries[0].spec.plugin.spec", builder(signal="metrics")),
        f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].reduceTo",
        "is required for a scalar metrics query",
    ),
    Case("group by timestamp on time_series", put(f"{TSB}.groupBy[0].name", "timestamp"), f"{TSB}.groupBy[0].name", "cannot group by timestamp"),
    Case("order key unknown", put(f"{TSB}.order[0].key.name", "duration_nano"), f"{TSB}.order[0].key.name", "invalid order by key 'duration_nano'"),
    Case("order key __result on traces", put(f"{TSB}.order[0].key.name", "__result"), f"{TSB}.order[0].key.name", "invalid order by key"),
    Case("group-by key without name", put(f"{TSB}.groupBy[0].name", ""), f"{TSB}.groupBy[0].name", "needs a name", only=False),
    Case("function needs a number", put(f"{TSB}.functions", [{"name": "timeShift", "args": [{"value": "soon"}]}]), f"{TSB}.functions[0].args", "numeric argument"),
    Case("isRoot selected in a raw query", put(f"{LIST}.queries[0].spec.plugin.spec.selectFields", [{"name": "isRoot"}]), f"{LIST}.queries[0].spec.plugin.spec.selectFields[0].name", "cannot be selected"),
    Case("step interval not a duration", put(f"{TSB}.stepInterval", "every minute"), f"{TSB}.stepInterval", "duration"),
    Case("offset negative", put(f"{TSB}.offset", -1), f"{TSB}.offset", "must not be negative"),
    Case("reduceTo unknown on scalar", put(f"{PIE}.queries[0].spec.plugin.spec", builder(signal="metrics", aggregations=[{"metricName": "m", "spaceAggregation": "sum", "reduceTo": "p99"}])), f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].reduceTo", "invalid reduceTo"),
    Case("order without key", drop(f"{TSB}.order[0].key"), f"{TSB}.order[0].key", "missing required field 'key'"),
    Case("step interval bool", put(f"{TSB}.stepInterval", True), f"{TSB}.stepInterval", "must be a number or a string"),
    Case("clickhouse query empty", put(f"{TBL}.queries[0].spec.plugin.spec.query", "  "), f"{TBL}.queries[0].spec.plugin.spec.query", "must not be empty"),
    Case("promql query empty", put(f"{BAR}.queries[0].spec.plugin.spec.query", ""), f"{BAR}.queries[0].spec.plugin.spec.query", "must not be empty"),
    Case("promql unknown field", put(f"{BAR}.queries[0].spec.plugin.spec.expr", "up"), f"{BAR}.queries[0].spec.plugin.spec.expr", "unknown field"),
]

COMPOSITE = [
    Case("composite duplicate names", put(f"{CMP}[1].spec.name", "A"), f"{CMP}[1].spec.name", "duplicate query name 'A'", only=False),
    Case("formula without name", drop(f"{CMP}[2].spec.name"), f"{CMP}[2].spec.name", "a formula needs a name", only=False),
    Case("formula without expression", drop(f"{CMP}[2].spec.expression"), f"{CMP}[2].spec.expression", "cannot be blank"),
    Case("formula does not parse", put(f"{CMP}[2].spec.expression", "A / (A +"), f"{CMP}[2].spec.expression", "does not parse"),
    Case("formula unknown operator", put(f"{CMP}[2].spec.expression", "A $ B"), f"{CMP}[2].spec.expression", "does not parse"),
    Case("formula unknown field", put(f"{CMP}[2].spec.signal", "traces"), f"{CMP}[2].spec.signal", "unknown field"),
    Case("composite builder signal empty", put(f"{CMP}[0].spec.signal", ""), f"{CMP}[0].spec.signal", "must not be empty"),
    Case(
        "trace operator without expression",
        put(f"{CMP}[2]", {"type": "builder_trace_operator", "spec": {"name": "T1"}}),
        f"{CMP}[2].spec.expression",
        "expression is required",
    ),
]

VARIABLES = [
    Case("variable name with space", put(f"{V}[0].spec.name", "service name"), f"{V}[0].spec.name", "must match"),
    Case("variable name all digits", put(f"{V}[0].spec.name", "123"), f"{V}[0].spec.name", "cannot contain only digits"),
    Case("variable name empty", put(f"{V}[2].spec.name", ""), f"{V}[2].spec.name", "name cannot be empty"),
    Case("variable name missing", drop(f"{V}[2].spec.name"), f"{V}[2].spec.name", "name cannot be empty"),
    Case("variable names repeat", put(f"{V}[1].spec.name", "service_name"), f"{V}[1].spec.name", "duplicate variable name"),
    Case("variable display over 128", put(f"{V}[0].spec.display.name", LONG), f"{V}[0].spec.display.name", "at most 128"),
    Case("variable kind unknown", put(f"{V}[0].kind", "QueryVariable"), f"{V}[0].kind", "must be one of: ListVariable, TextVariable"),
    Case("variable plugin kind unknown", put(f"{V}[0].spec.plugin.kind", "signoz/Static"), f"{V}[0].spec.plugin.kind", "must be one of"),
    Case("variable plugin null", put(f"{V}[0].spec.plugin", None), f"{V}[0].spec.plugin", "must not be null"),
    Case("customAllValue without allowAllValue", put(f"{V}[1].spec.customAllValue", "*"), f"{V}[1].spec.customAllValue", "requires allowAllValue"),
    Case("allowAllValue without allowMultiple", put(f"{V}[0].spec.allowMultiple", False), f"{V}[0].spec.allowAllValue", "requires allowMultiple", only=False),
    Case("list default without allowMultiple", put(f"{V}[1].spec.defaultValue", ["prod"]), f"{V}[1].spec.defaultValue", "requires allowMultiple"),
    Case("defaultValue not strings", put(f"{V}[1].spec.defaultValue", [1]), f"{V}[1].spec.defaultValue", "string or a list of strings"),
    Case("constant text variable empty", put(f"{V}[2].spec.value", ""), f"{V}[2].spec.value", "non-empty value"),
    Case("constant text variable without value", drop(f"{V}[2].spec.value"), f"{V}[2].spec.value", "non-empty value"),
    Case("dynamic variable without attribute", put(f"{V}[0].spec.plugin.spec.name", ""), f"{V}[0].spec.plugin.spec.name", "must not be empty"),
    Case("custom variable without values", put(f"{V}[1].spec.plugin.spec.customValue", ""), f"{V}[1].spec.plugin.spec.customValue", "must not be empty"),
    Case("text variable with list field", put(f"{V}[2].spec.allowMultiple", True), f"{V}[2].spec.allowMultiple", "unknown field"),
]

LAYOUTS = [
    Case("layout kind Tabs", put("spec.layouts[0].kind", "Tabs"), "spec.layouts[0].kind", "must be one of: Grid"),
    Case("layout unknown field", put("spec.layouts[0].spec.columns", 24), "spec.layouts[0].spec.columns", "unknown field"),
    Case("layout display null", put("spec.layouts[1].spec.display", None), "spec.layouts[1].spec.display", "must not be null"),
    Case("layout title over 256", put("spec.layouts[1].spec.display.title", "t" * 257), "spec.layouts[1].spec.display.title", "at most 256"),
    Case("width 0", put(f"{L0}[0].width", 0), f"{L0}[0].width", "between 1 and 12"),
    Case("width 13", put(f"{L1}[0].width", 13), f"{L1}[0].width", "between 1 and 12"),
    Case("height 0", put(f"{L0}[0].height", 0), f"{L0}[0].height", "at least 1"),
    Case("x negative", put(f"{L0}[0].x", -1), f"{L0}[0].x", "must not be negative"),
    Case("x 12", put(f"{L1}[0].x", 12), f"{L1}[0].x", "less than 12", only=False),
    Case("y negative", put(f"{L0}[0].y", -1), f"{L0}[0].y", "must not be negative"),
    Case("x + width over 12", put(f"{L0}[1].x", 7), f"{L0}[1].width", "x + width must be at most 12"),
    Case("width missing", drop(f"{L0}[0].width"), f"{L0}[0].width", "missing required field 'width'"),
    Case("x a float", put(f"{L0}[0].x", 0.0), f"{L0}[0].x", "must be an integer"),
    Case("items overlap", put(f"{L0}[1].x", 3), f"{L0}[1]", "overlaps items[0]"),
    Case("$ref malformed", put(f"{L0}[0].content.$ref", "#/spec/panel/latency"), f"{L0}[0].content.$ref", "#/spec/panels/<key>"),
    Case("$ref missing", drop(f"{L0}[0].content.$ref"), f"{L0}[0].content.$ref", "missing required field"),
    Case("$ref to nothing", put(f"{L0}[0].content.$ref", "#/spec/panels/nope"), f"{L0}[0].content.$ref", "references unknown panel 'nope'"),
    Case(
        "panel placed twice",
        append(L1, item("latency", 0, 12)),
        "spec.layouts[1].spec.items[3].content.$ref",
        "already placed",
    ),
    Case(
        "more than 100 items",
        put(L1, [item("logs", i % 12, i // 12, 1, 1) for i in range(101)]),
        L1,
        "at most 100 items",
        only=False,
    ),
    Case(
        "more than 500 layouts",
        lambda b: get_path(b, "spec.layouts").extend({"kind": "Grid", "spec": {"items": []}} for _ in range(499)),
        "spec.layouts",
        "at most 500 layouts",
    ),
]

UPDATABLE = [
    Case("PUT with generateName", put("generateName", False), "generateName", "unknown field", {"updatable": True}),
    Case("PUT without name", drop("name"), "name", "name is required", {"updatable": True}),
    Case("PUT with empty name", put("name", ""), "name", "name is required", {"updatable": True}),
    Case("PUT with id", put("id", "x"), "id", "unknown field", {"updatable": True}),
]

ALL = TOP_LEVEL + SPEC + PANELS + ENUMS + THRESHOLDS_AND_GAPS + QUERY_KINDS + MATRIX + BUILDER + COMPOSITE + VARIABLES + LAYOUTS + UPDATABLE


def test_case_ids_are_unique():
    ids = [c.id for c in ALL]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_breaking_one_rule_names_its_path(body, case: Case):
    case.mutate(body)
    with pytest.raises(SchemaError) as caught:
        parse_dashboard(body, source="test.json", **case.kwargs)
    err = caught.value
    found = {i.path: i.message for i in err.issues}
    assert case.path in found, f"expected an issue at {case.path}, got:\n" + "\n".join(map(str, err.issues))
    assert case.says in found[case.path]
    if case.only:
        assert len(err.issues) == 1, "expected exactly one issue, got:\n" + "\n".join(map(str, err.issues))
        assert str(err).startswith(f"test.json: {case.path}: ")


def test_minimal_body_is_valid_and_round_trips(body):
    dash = parse_dashboard(body)
    assert given_body(dash) == body


def test_minimal_body_is_a_valid_put_body(body):
    assert given_body(parse_dashboard(body, updatable=True)) == body


def test_all_issues_are_collected(body):
    # Problems in different panels, a variable, a layout and the envelope come back together,
    # including the name rule, which lives in a validator Pydantic skips when a field failed.
    set_path(body, f"{TS}.plugin.spec.visualization.timePreference", "")
    set_path(body, f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].expression", "count(), sum(x)")
    set_path(body, f"{V}[0].spec.allowMultiple", False)
    set_path(body, f"{L0}[1].x", 3)
    set_path(body, "tags[0].key", "source")
    set_path(body, "name", DELETE)
    with pytest.raises(SchemaError) as caught:
        parse_dashboard(body)
    paths = {i.path for i in caught.value.issues}
    assert {
        f"{TS}.plugin.spec.visualization.timePreference",
        f"{PIE}.queries[0].spec.plugin.spec.aggregations[0].expression",
        f"{V}[0].spec.allowAllValue",
        f"{L0}[1]",
        "tags[0].key",
        "name",
    } <= paths


def test_a_body_that_is_not_an_object():
    with pytest.raises(SchemaError) as caught:
        parse_dashboard([], source="x.json")  # type: ignore[arg-type]
    assert "JSON object" in str(caught.value)


@pytest.mark.parametrize(
    "path, value",
    [
        (f"{TS}.plugin.spec.formatting.decimalPrecision", 3),  # ints 0-4 are accepted
        (f"{TS}.plugin.spec.formatting.decimalPrecision", "full"),
        (f"{TS}.plugin.spec.thresholds", None),  # SigNoz exports send null
        (f"{TSB}.selectFields", None),
        (f"{TSB}.functions", [{"name": "cutOffMin", "args": [{"value": 0.5}]}]),  # any case
        (f"{TSB}.order[0].key.name", "0"),  # an aggregation index
        (f"{HISTB}.order", [{"key": {"name": "__result"}, "direction": "desc"}]),  # metrics only
        (f"{HISTB}.order", [{"key": {"name": "p95(avg(http.client.duration))"}, "direction": "desc"}]),
        (f"{TSB}.order[0].key.name", "span.p95"),  # a context prefix is split off: the alias p95
        (f"{TSB}.groupBy[0].fieldContext", "tag"),  # SigNoz reads it as attribute
        (f"{TSB}.groupBy[0].fieldContext", "planet"),  # an unknown context is read as ""
        (f"{TSB}.groupBy[0].fieldDataType", "float64"),
        (f"{TSB}.source", "audit-log"),  # not checked on decode
        (f"{TSB}.stepInterval", "1m"),
        (f"{TSQ}.kind", "scalar"),  # SigNoz does not tie a query's kind to the panel (the UI does: lint)
        (f"{NUM}.queries[0].kind", "time_series"),
        (f"{TSQ}.spec.plugin", {"kind": "signoz/Formula", "spec": {"name": "F1", "expression": "A"}}),
        (f"{TSQ}.spec.plugin", {"kind": "signoz/TraceOperator", "spec": {"name": "T", "expression": "A => B"}}),
        (f"{CMP}[2].spec.expression", "A / C"),  # formula references are not checked on save
        (f"{CMP}[2].spec.limit", 20_000),
        (f"{CMP}[1].spec.name", ""),
        (f"{TS}.plugin.spec.chartAppearance.lineStyle", " Dashed"),  # enums are trimmed and case-insensitive
        (f"{TS}.plugin.spec.legend.mode", "table"),
        ("spec.duration", "1h30m"),
        ("spec.duration", "15s"),
        ("spec.display", {}),
        (f"{TS}.display", {}),
        (f"{V}[0].spec.display", {}),
        (f"{V}[0].spec.plugin.spec", {"name": "service.name"}),  # signal defaults to all
        ("tags[0].key", " team "),  # tags are trimmed
        (f"{TSB}.order[0].key.name", "service.name"),  # a group-by key
        (f"{TSB}.order[0].key.name", "p95(duration_nano)"),  # the expression itself
        (f"{CMP}[2].spec.expression", "(A - B) * 100 / sqrt(A + 1)"),
        (f"{CMP}[2].spec.order", None),
        (f"{LIST}.queries[0].spec.plugin.spec.aggregations", []),  # raw: no aggregation needed
        ("spec.duration", ""),
        ("spec.duration", "7d"),
        ("spec.refreshInterval", ""),
        ("image", ""),
        ("image", "data:image/svg+xml;base64,PHN2Zz4="),
        ("tags", None),  # tolerated by the server
        (f"{P}.latency.spec.plugin.foo", 1),  # the plugin envelope ignores other keys
        (f"{TS}.plugin.spec.chartAppearance.spanGaps.extra", 1),
        ("spec.layouts[1].spec.items", None),
        (f"{TS}.plugin.spec.axes", {"softMin": None, "softMax": 0, "isLogScale": False}),
    ],
)
def test_accepted_variants(body, path, value):
    set_path(body, path, value)
    assert given_body(parse_dashboard(body)) == body


@pytest.mark.parametrize(
    "path",
    ["tags", "spec.display", f"{TS}.display", f"{V}[0].spec.display", f"{V}[2].spec.display", f"{P}.errors.spec.display"],
)
def test_optional_fields_may_be_omitted(body, path):
    set_path(body, path, DELETE)
    assert given_body(parse_dashboard(body)) == body
