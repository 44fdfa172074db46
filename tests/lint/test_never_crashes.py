"""Lint never crashes: not on generated structurally valid v6 dashboards, not on arbitrary JSON."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from signoz_dac.errors import SchemaError
from signoz_dac.lint import Catalog, lint_dashboard
from signoz_dac.signoz.v6 import parse_dashboard
from tests.lint.helpers import CATALOG_DATA

pytestmark = pytest.mark.slow

CATALOG = Catalog.from_dict("pipecat", CATALOG_DATA)

# Pieces of the languages lint parses, so generated text is often nearly right (the interesting case).
FILTER_BITS = ["name", "=", "'llm'", "IN", "(", ")", "$svc", "AND", "OR", "NOT", "EXISTS", "service.name", ",",
               "has(", "'", "\\", "[", "]", "BETWEEN", "1", "-2.5e3", "x:string", "{{.svc}}", "resource.a", "LIKE"]  # fmt: skip
AGG_FUNCTIONS = ["count", "countIf", "avg", "p95", "sum", "rate_sum", "p99_if", "COUNT_DISTINCT", "average", "p96"]
AGG_ARGS = ["duration_nano", "has_error = true", "turn.duration_seconds", "name IN ('a', 'b')", ",", "x", "=", "AND"]
# `fn(args)`: one call, the shape SigNoz accepts on save; the function and arguments may still be wrong.
AGGREGATIONS = st.tuples(st.sampled_from(AGG_FUNCTIONS), st.lists(st.sampled_from(AGG_ARGS), max_size=4)).map(
    lambda t: f"{t[0]}({' '.join(t[1])})"
)
SQL_BITS = ["SELECT", "FROM signoz_traces.distributed_signoz_index_v3", "WHERE", "timestamp >=", "$start_datetime",
            "ts_bucket_start", "{{", "}}", "{{.svc}}", "$svc", "[[svc]]", "'__all__' IN", "name = 'turn'", "IN"]  # fmt: skip
UNITS = ["", "none", "s", "ms", "ns", "percentunit", "percent", "bytes"]
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def joined(bits: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.lists(st.sampled_from(bits), max_size=8).map(" ".join), st.text(max_size=30))


def builder_spec(name: str) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "name": st.just(name),
            "signal": st.sampled_from(["traces", "logs"]),
            "aggregations": st.lists(
                st.fixed_dictionaries({"expression": AGGREGATIONS}, optional={"alias": NAMES}), min_size=1, max_size=2
            ),
            "filter": st.fixed_dictionaries({"expression": joined(FILTER_BITS)}),
            "disabled": st.booleans(),
            "legend": st.sampled_from(["", "{{service.name}}"]),
            "groupBy": st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(["service.name", "gen_ai.request.model", "host.name", "x"]),
                        "fieldContext": st.sampled_from(["", "resource", "attribute", "span"]),
                        "fieldDataType": st.sampled_from(["", "string"]),
                    }
                ),
                max_size=2,
            ),
        }
    )


def query_for(plugin: str) -> st.SearchStrategy[dict]:
    kind = "scalar" if plugin in ("signoz/NumberPanel", "signoz/TablePanel", "signoz/PieChartPanel") else "time_series"
    if plugin == "signoz/ListPanel":
        kind = "raw"
    builder = builder_spec("A").map(lambda s: {"kind": "signoz/BuilderQuery", "spec": s})
    sql = joined(SQL_BITS).map(lambda q: {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": f"SELECT {q}"}})
    composite = st.tuples(builder_spec("A"), builder_spec("B"), joined(["A", "B", "/", "+", "(", ")", "*", "100"]), st.booleans()).map(
        lambda t: {
            "kind": "signoz/CompositeQuery",
            "spec": {"queries": [
                {"type": "builder_query", "spec": t[0]},
                {"type": "builder_query", "spec": t[1]},
                {"type": "builder_formula", "spec": {"name": "F1", "expression": t[2] or "A", "legend": "" if t[3] else "x"}},
            ]},
        }
    )  # fmt: skip
    options = builder if plugin == "signoz/ListPanel" else st.one_of(builder, sql, composite)
    return options.map(lambda plugin_query: {"kind": kind, "spec": {"plugin": plugin_query}})


PLUGINS = ["signoz/TimeSeriesPanel", "signoz/BarChartPanel", "signoz/NumberPanel", "signoz/PieChartPanel",
           "signoz/TablePanel", "signoz/HistogramPanel", "signoz/ListPanel"]  # fmt: skip


@st.composite
def panels(draw) -> dict:
    plugin = draw(st.sampled_from(PLUGINS))
    spec: dict = {}
    if plugin not in ("signoz/HistogramPanel", "signoz/ListPanel", "signoz/TablePanel"):
        spec["formatting"] = {"unit": draw(st.sampled_from(UNITS))}
    if plugin == "signoz/TablePanel":
        spec["formatting"] = {"columnUnits": draw(st.dictionaries(st.sampled_from(["A", "x"]), st.sampled_from(UNITS)))}
    if plugin == "signoz/ListPanel":
        spec["selectFields"] = [{"name": draw(st.sampled_from(["service.name", "name"])), "fieldContext": "attribute"}]
    return {
        "kind": "Panel",
        "spec": {
            "display": {"name": draw(st.sampled_from(["", "Latency", "Errors", "$svc turns"])), "description": ""},
            "plugin": {"kind": plugin, "spec": spec},
            "queries": [draw(query_for(plugin))],
        },
    }


@st.composite
def variables(draw) -> list:
    out = []
    for name in draw(st.lists(st.sampled_from(["svc", "model", "t"]), unique=True, max_size=3)):
        if name == "t":
            out.append({"kind": "TextVariable", "spec": {"name": "t", "display": {"name": "t"}, "value": "3"}})
            continue
        plugin = draw(st.sampled_from([
            {"kind": "signoz/DynamicVariable", "spec": {"name": "service.name", "signal": "traces"}},
            {"kind": "signoz/QueryVariable", "spec": {"queryValue": "SELECT " + draw(joined(SQL_BITS))}},
            {"kind": "signoz/CustomVariable", "spec": {"customValue": "a,b"}},
        ]))  # fmt: skip
        out.append({"kind": "ListVariable", "spec": {"name": name, "display": {"name": name}, "allowAllValue": True,
                                                      "allowMultiple": True, "plugin": plugin}})  # fmt: skip
    return out


@st.composite
def dashboards(draw) -> dict:
    keys = draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True), unique=True, max_size=6))
    items = [
        {"x": (i % 2) * 6, "y": (i // 2) * 4, "width": 6, "height": 4, "content": {"$ref": f"#/spec/panels/{k}"}}
        for i, k in enumerate(keys)
    ]
    return {
        "schemaVersion": "v6",
        "name": "generated",
        "tags": [],
        "spec": {
            "display": {"name": "Generated", "description": ""},
            "variables": draw(variables()),
            "panels": {k: draw(panels()) for k in keys},
            "layouts": [{"kind": "Grid", "spec": {"items": items}}],
            "duration": "1h",
        },
    }


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dashboards(), st.booleans())
def test_generated_dashboards_never_crash_lint(body: dict, with_catalog: bool) -> None:
    try:
        parse_dashboard(body)  # the property is about structurally valid dashboards
    except SchemaError:
        assume(False)
    findings = lint_dashboard(body, catalog=CATALOG if with_catalog else None)
    assert not [f for f in findings if f.check == "internal-error"], findings
    for f in findings:
        assert f.severity in ("error", "warning") and f.message


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)
SHAPES = st.fixed_dictionaries(
    {"spec": st.fixed_dictionaries({}, optional={
        "panels": st.dictionaries(st.text(max_size=5), st.fixed_dictionaries({}, optional={
            "spec": st.fixed_dictionaries({}, optional={"queries": JSON, "plugin": JSON, "display": JSON})}), max_size=3),
        "variables": JSON, "layouts": JSON, "links": JSON})},
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(SHAPES)
def test_malformed_dashboards_never_crash_lint(body: dict) -> None:
    findings = lint_dashboard(body, catalog=CATALOG)
    assert not [f for f in findings if f.check == "internal-error"], findings


RULE_SHAPES = st.fixed_dictionaries(
    {"condition": st.fixed_dictionaries({}, optional={
        "compositeQuery": st.fixed_dictionaries({}, optional={"queries": st.lists(st.fixed_dictionaries({}, optional={
            "type": st.sampled_from(["builder_query", "builder_formula", "clickhouse_sql", "x"]),
            "spec": st.fixed_dictionaries({}, optional={
                "name": JSON, "filter": st.fixed_dictionaries({}, optional={"expression": joined(FILTER_BITS)}),
                "aggregations": st.lists(st.fixed_dictionaries({}, optional={"expression": AGGREGATIONS}), max_size=2),
                "expression": joined(["A", "B", "/", "(", ")"]), "groupBy": JSON, "having": JSON})}), max_size=3)}),
        "thresholds": JSON})},
    optional={"alert": JSON, "labels": JSON},
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(RULE_SHAPES)
def test_malformed_rules_never_crash_lint(body: dict) -> None:
    findings = lint_dashboard(body, catalog=CATALOG)
    assert not [f for f in findings if f.check == "internal-error"], findings
