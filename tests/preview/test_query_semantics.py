"""The builder-query evaluator on hand-made spans with known answers: SigNoz's query-builder rules
for filters, variables, aggregations, group by, order, limit, having, steps and formulas."""

from __future__ import annotations

from typing import Any

import pytest

from signoz_dac.preview.engine import Engine
from signoz_dac.preview.errors import QueryFailed, Unsupported
from signoz_dac.preview.evaluate import evaluate_panel, run_queries
from signoz_dac.preview.query import BuilderQuery, TimeRange, recommended_step, step_seconds
from tests.preview.spans_factory import T0, dataset

RANGE = TimeRange(T0 * 1000, (T0 + 600) * 1000)  # ten minutes: every span inside


@pytest.fixture(scope="module")
def engine():
    with Engine(dataset()) as e:
        yield e


def run(engine: Engine, request: str = "scalar", variables: dict[str, Any] | None = None, rng: TimeRange = RANGE, **spec: Any):
    full = {"name": "A", "signal": "traces", "aggregations": [{"expression": "count()"}], **spec}
    return BuilderQuery(full, request, rng, engine.catalog, variables or {}).run(engine.store)


def scalar(engine: Engine, expression: str = "count()", where: str = "", **kw: Any) -> float | None:
    outcome = run(engine, aggregations=[{"expression": expression}], filter={"expression": where}, **kw)
    points = [s.points[0] for s in outcome.series]
    assert len(points) <= 1
    return points[0] if points else None


def by_label(outcome, key: str) -> dict[Any, dict[int, float]]:
    return {s.labels[key]: s.points for s in outcome.series}


# -- filters --------------------------------------------------------------------------------------


def test_filter_basics(engine) -> None:
    assert scalar(engine) == 9
    assert scalar(engine, where="name = 'llm'") == 5
    assert scalar(engine, where="name IN ('llm', 'turn')") == 8
    assert scalar(engine, where="name NOT IN ('llm', 'turn')") == 1
    assert scalar(engine, where="name = 'llm' AND service.name = 'web'") == 2
    assert scalar(engine, where="name = 'llm' service.name = 'web'") == 2  # implicit AND
    assert scalar(engine, where="name = 'other' OR (name = 'llm' AND NOT service.name = 'api')") == 3
    assert scalar(engine, where="tokens > 15 AND tokens <= 40") == 3
    assert scalar(engine, where="tokens BETWEEN 10 AND 20") == 2
    assert scalar(engine, where="tokens NOT BETWEEN 10 AND 20") == 7  # negative: spans without tokens pass


def test_positive_conditions_need_the_key_negative_ones_do_not(engine) -> None:
    """`k != v` keeps spans without k (SigNoz adds no existence check to negative operators)."""
    assert scalar(engine, where="model = 'm1'") == 3
    assert scalar(engine, where="model != 'm1'") == 6  # 2 × m2, and 4 spans with no model
    assert scalar(engine, where="model EXISTS") == 5
    assert scalar(engine, where="model NOT EXISTS") == 4
    assert scalar(engine, where="tokens < 25") == 2  # a missing number is not 0 < 25
    assert scalar(engine, where="tokens EXISTS") == 4


def test_patterns(engine) -> None:
    assert scalar(engine, where="note CONTAINS 'hello'") == 1  # case-insensitive
    assert scalar(engine, where="note NOT CONTAINS 'hello'") == 8
    assert scalar(engine, where="note LIKE 'Hello%'") == 1
    assert scalar(engine, where="note LIKE 'hello%'") == 0
    assert scalar(engine, where="note ILIKE 'hello%'") == 1
    assert scalar(engine, where="note REGEXP '^H.*d$'") == 1
    assert scalar(engine, where="name LIKE 'l%'") == 5


def test_span_fields_bools_and_roots(engine) -> None:
    assert scalar(engine, where="has_error = true") == 1
    assert scalar(engine, where="has_error = 'true'") == 1
    assert scalar(engine, where="hasError = false") == 8  # the deprecated alias
    assert scalar(engine, where="flag = true") == 1
    assert scalar(engine, where="isRoot = true") == 1
    assert scalar(engine, where="duration_nano > 10000000000") == 1  # the 30 s root
    assert scalar(engine, where="serviceName = 'web'") == 4
    assert scalar(engine, where="resource.service.name = 'web'") == 4
    assert scalar(engine, where="attribute.model = 'm2'") == 2


def test_a_key_with_two_types_matches_either(engine) -> None:
    """`n` is a number on one turn and a string on another: SigNoz ORs the candidates and warns."""
    outcome = run(engine, filter={"expression": "n EXISTS"})
    assert outcome.series[0].points[0] == 2
    assert any("ambiguous" in w for w in outcome.warnings)
    assert scalar(engine, where="n = 'x'") == 1


def test_a_key_with_two_types_counts_and_groups_the_spans_that_carry_it(engine) -> None:
    """Two turns carry `n` (1 as a number, "x" as a string): count(n) and countDistinct(n) are 2, and
    the seven spans without `n` are the group of the missing value, as they are for a key of one type."""
    assert scalar(engine, "count(n)") == 2
    assert scalar(engine, "countDistinct(n)") == 2
    assert scalar(engine, "countDistinctIf(n, name = 'turn')") == 2
    outcome = run(engine, groupBy=[{"name": "n"}])
    assert {s.labels["n"]: s.points[0] for s in outcome.series} == {None: 7, "1": 1, "x": 1}


def test_unknown_key_matches_nothing_with_a_warning(engine) -> None:
    outcome = run(engine, filter={"expression": "nope = 'x'"})
    assert outcome.series[0].points[0] == 0
    assert any("nope is not in the spans" in w for w in outcome.warnings)


def test_variables(engine) -> None:
    where = "name = 'llm' AND service.name IN $svc"
    assert scalar(engine, where=where, variables={"svc": "__all__"}) == 5
    assert scalar(engine, where=where, variables={"svc": ["web"]}) == 2
    assert scalar(engine, where=where, variables={"svc": ["web", "api"]}) == 5
    assert scalar(engine, where="name = 'llm' AND service.name NOT IN $svc", variables={"svc": "__all__"}) == 5
    # `=` takes a list's first element, and ALL is then a plain string
    assert scalar(engine, where="name = 'llm' AND service.name = $svc", variables={"svc": ["web", "api"]}) == 2
    assert scalar(engine, where="name = 'llm' AND service.name = $svc", variables={"svc": "__all__"}) == 0


def test_all_drops_the_condition_not_the_disjunction(engine) -> None:
    """A dropped `IN $v` leaves its OR: `name = 'other' OR service.name IN $v` is `name = 'other'`."""
    assert scalar(engine, where="name = 'other' OR service.name IN $svc", variables={"svc": "__all__"}) == 1
    assert scalar(engine, where="NOT service.name IN $svc", variables={"svc": "__all__"}) == 9


def test_variable_errors(engine) -> None:
    with pytest.raises(QueryFailed, match="empty list"):
        scalar(engine, where="service.name IN $svc", variables={"svc": []})
    with pytest.raises(QueryFailed, match=r"\$svc has no value"):
        scalar(engine, where="service.name IN $svc")


def test_filters_signoz_rejects_or_we_do_not_evaluate(engine) -> None:
    with pytest.raises(QueryFailed, match="full text search is not supported"):
        scalar(engine, where="'timeout'")
    with pytest.raises(QueryFailed, match=r"filter: .*column"):
        scalar(engine, where="name = ")
    with pytest.raises(Unsupported, match="hastoken"):
        scalar(engine, where="hasToken(note, 'x')")
    with pytest.raises(QueryFailed, match="is a number"):
        scalar(engine, where="tokens = 'ten'")


# -- aggregations ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("expression", "where", "expected"), [
    ("count()", "name = 'llm'", 5),
    ("count(tokens)", "name = 'llm'", 4),
    ("countIf(has_error = true)", "name = 'llm'", 1),
    ("count_if(model = 'm1')", "", 3),
    ("countDistinct(model)", "", 2),
    ("count_distinct(service.name)", "name = 'llm'", 2),
    ("countDistinctIf(model, service.name = 'web')", "", 2),
    ("sum(tokens)", "", 100),
    ("avg(tokens)", "", 25),  # spans without tokens do not count as 0
    ("min(latency)", "", 0.1),
    ("max(latency)", "", 0.4),
    ("sumIf(tokens, service.name = 'api')", "", 60),
    ("avgIf(tokens, model = 'm2')", "", 35),
    ("p50(tokens)", "", 25),  # linear interpolation between 20 and 30
    ("p95(latency)", "", 0.385),  # 0.3 + 0.95·3 − 2 = 0.85 of the way to 0.4
    ("p99(tokens)", "", 39.7),
    ("p95If(latency, service.name = 'api')", "", 0.29),
    ("sum(tokens) + sum(latency)", "", 101),
    ("countIf(has_error = true) / count()", "name = 'llm'", 0.2),
    ("(sum(tokens) - 10) * 2", "", 180),
    ("rate()", "name = 'llm'", 5 / 600),  # a scalar rate is per second of the whole range
    ("rate_sum(tokens)", "", 100 / 600),
    ("rateIf(has_error = true)", "", 1 / 600),
    ("duration_nano", "name = 'turn'", None),
])
def test_aggregations(engine, expression: str, where: str, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(QueryFailed):
            scalar(engine, expression, where)
        return
    assert scalar(engine, expression, where) == pytest.approx(expected)


def test_aggregation_errors(engine) -> None:
    with pytest.raises(QueryFailed, match="unknown aggregation function"):
        scalar(engine, "median(tokens)")
    with pytest.raises(Unsupported, match="string"):
        scalar(engine, "sum(note)")
    with pytest.raises(Unsupported, match="only field names"):
        scalar(engine, "sum(tokens * 2)")


def test_aggregating_a_key_no_span_has_is_empty(engine) -> None:
    assert scalar(engine, "sum(nope)") is None
    assert scalar(engine, "count(nope)") == 0


def test_several_aggregations_and_aliases(engine) -> None:
    outcome = run(engine, aggregations=[{"expression": "count()"}, {"expression": "sum(tokens)", "alias": "tokens"}],
                  filter={"expression": "name = 'llm'"})
    assert {(s.aggregation, s.alias): s.points[0] for s in outcome.series} == {(0, ""): 5, (1, "tokens"): 100}
    assert outcome.zero_default == [True, True]


# -- group by, order, limit, having ---------------------------------------------------------------

SERVICE = {"name": "service.name", "fieldContext": "resource", "fieldDataType": "string"}
MODEL = {"name": "model", "fieldContext": "attribute", "fieldDataType": "string"}


def test_group_by_and_default_order(engine) -> None:
    outcome = run(engine, groupBy=[SERVICE], filter={"expression": "name = 'llm'"})
    assert [(s.labels["service.name"], s.points[0]) for s in outcome.series] == [("api", 3), ("web", 2)]  # by count, desc


def test_group_by_a_key_some_spans_lack(engine) -> None:
    outcome = run(engine, groupBy=[MODEL])
    assert {s.labels["model"]: s.points[0] for s in outcome.series} == {None: 4, "m1": 3, "m2": 2}


def test_order_limit_having(engine) -> None:
    def rows(**spec):
        return [(s.labels.get("model"), s.points[0]) for s in run(engine, groupBy=[MODEL], filter={"expression": "model EXISTS"},
                                                                   **spec).series]

    assert rows(order=[{"key": {"name": "model"}, "direction": "desc"}]) == [("m2", 2), ("m1", 3)]
    assert rows(order=[{"key": {"name": "count()"}, "direction": "asc"}]) == [("m2", 2), ("m1", 3)]
    assert rows(order=[{"key": {"name": "0"}, "direction": "desc"}], limit=1) == [("m1", 3)]
    assert rows(having={"expression": "count() > 2"}) == [("m1", 3)]
    assert rows(having={"expression": "A >= 2 AND __result < 3"}) == [("m2", 2)]
    with pytest.raises(QueryFailed, match="order key 'nope'"):
        rows(order=[{"key": {"name": "nope"}, "direction": "asc"}])
    with pytest.raises(Unsupported, match="having"):
        rows(having={"expression": "count() > avg(x)"})


def test_having_with_an_alias(engine) -> None:
    outcome = run(engine, groupBy=[SERVICE], aggregations=[{"expression": "sum(tokens)", "alias": "t"}],
                  having={"expression": "t > 50"})
    assert [(s.labels["service.name"], s.points[0]) for s in outcome.series] == [("api", 60)]


# -- time series ----------------------------------------------------------------------------------


def test_default_and_explicit_steps() -> None:
    assert recommended_step(TimeRange(0, 60_000)) == 5  # at least 5 s
    assert recommended_step(TimeRange(0, 3_600_000)) == 10  # an hour: 3600 / 300 = 12 → 10
    assert recommended_step(TimeRange(0, 6 * 3_600_000)) == 70  # 72 → a multiple of 5
    assert step_seconds({"stepInterval": 60}, TimeRange(0, 3_600_000)) == 60
    assert step_seconds({"stepInterval": "2m"}, TimeRange(0, 3_600_000)) == 120
    assert step_seconds({"stepInterval": 1}, TimeRange(0, 7 * 86_400_000)) == 405  # ≤ 1500 points: 403 → 405


def test_buckets_are_aligned_to_the_step(engine) -> None:
    outcome = run(engine, "time_series", stepInterval=60, filter={"expression": "name = 'llm'"},
                  aggregations=[{"expression": "sum(tokens)"}])
    [series] = outcome.series
    assert series.points == {T0: 30, T0 + 60: 70}  # the t=130 call has no tokens: no point
    assert outcome.step == 60


def test_rate_is_per_second_of_the_step(engine) -> None:
    outcome = run(engine, "time_series", stepInterval=60, filter={"expression": "name = 'llm'"},
                  aggregations=[{"expression": "rate()"}])
    assert outcome.series[0].points == {T0: 2 / 60, T0 + 60: 2 / 60, T0 + 120: 1 / 60}


def test_time_series_limit_keeps_the_top_groups_over_the_range(engine) -> None:
    """With a limit, the groups are ranked over the whole range, then every bucket of those is kept."""
    outcome = run(engine, "time_series", stepInterval=60, groupBy=[MODEL], limit=1,
                  filter={"expression": "model EXISTS"})
    assert by_label(outcome, "model") == {"m1": {T0: 2, T0 + 120: 1}}


def test_time_series_having_applies_per_bucket(engine) -> None:
    outcome = run(engine, "time_series", stepInterval=60, filter={"expression": "name = 'llm'"},
                  having={"expression": "count() > 1"})
    assert outcome.series[0].points == {T0: 2, T0 + 60: 2}


def test_the_range_is_start_inclusive_end_exclusive(engine) -> None:
    rng = TimeRange((T0 + 10) * 1000, (T0 + 65) * 1000)
    assert run(engine, rng=rng, filter={"expression": "name = 'llm'"}).series[0].points[0] == 1  # t=10 in, t=65 out


# -- formulas -------------------------------------------------------------------------------------


def composite(*queries: dict) -> list[dict]:
    return [{"type": "builder_formula" if "expression" in q else "builder_query",
             "spec": q if "expression" in q else {"signal": "traces", **q}} for q in queries]


def test_formula_zero_defaults_and_division_by_zero(engine) -> None:
    """errors / calls per minute: no error in a minute is 0, not a gap; a minute without calls has no point."""
    queries = composite(
        {"name": "A", "aggregations": [{"expression": "count()"}], "filter": {"expression": "name = 'llm' AND has_error = true"}, "disabled": True},
        {"name": "B", "aggregations": [{"expression": "count()"}], "filter": {"expression": "name = 'llm'"}, "disabled": True},
        {"name": "F1", "expression": "A / B"},
        {"name": "F2", "expression": "A / (B - 2)"},
    )
    for q in queries[:2]:
        q["spec"]["stepInterval"] = 60
    series, _, step, _ = run_queries(queries, "time_series", engine, {}, RANGE)
    points = {s.query: s.points for s in series}
    assert points["F1"] == {T0: 0.5, T0 + 60: 0.0, T0 + 120: 0.0}
    assert points["F2"] == {T0 + 120: 0.0}  # x / 0 is dropped; 0 / −1 = 0 (−0.0) is kept
    assert step == 60


def test_formula_skips_missing_averages(engine) -> None:
    """An average has no zero default: where one side has no value, the formula has none."""
    queries = composite(
        {"name": "A", "aggregations": [{"expression": "avg(tokens)"}], "stepInterval": 60, "filter": {"expression": "service.name = 'web'"}},
        {"name": "B", "aggregations": [{"expression": "count()"}], "stepInterval": 60, "filter": {"expression": "name = 'llm'"}},
        {"name": "F1", "expression": "A * B"},
    )
    series, _, _, _ = run_queries(queries, "time_series", engine, {}, RANGE)
    assert {s.query: s.points for s in series}["F1"] == {T0 + 60: 80.0}


def test_formula_pairs_series_by_labels(engine) -> None:
    """Per-service tokens over an ungrouped total: each service's share."""
    queries = composite(
        {"name": "A", "aggregations": [{"expression": "sum(tokens)"}], "groupBy": [SERVICE], "disabled": True},
        {"name": "B", "aggregations": [{"expression": "sum(tokens)"}], "disabled": True},
        {"name": "F1", "expression": "A / B * 100", "legend": "{{service.name}}"},
    )
    series, table, _, _ = run_queries(queries, "scalar", engine, {}, RANGE)
    assert {s.label: s.points[0] for s in series} == {"api": 60.0, "web": 40.0}
    assert table.columns == ["service.name", "F1"] and sorted(table.rows) == [["api", 60.0], ["web", 40.0]]


def test_formula_errors(engine) -> None:
    queries = composite({"name": "A", "aggregations": [{"expression": "count()"}]}, {"name": "F1", "expression": "A / C"})
    with pytest.raises(QueryFailed, match="uses C"):
        run_queries(queries, "scalar", engine, {}, RANGE)
    queries[1]["spec"]["expression"] = "A if A else 1"
    with pytest.raises(Unsupported, match="not evaluated locally"):
        run_queries(queries, "scalar", engine, {}, RANGE)


# -- panels: request types, SQL, what is not computed ---------------------------------------------


def panel(kind: str, plugin: dict, **spec: Any) -> dict:
    return {"kind": "Panel", "spec": {"display": {"name": "p"}, "plugin": {"kind": f"signoz/{kind}", "spec": spec},
                                      "queries": [{"kind": "scalar", "spec": {"plugin": plugin}}]}}


def builder(**spec: Any) -> dict:
    return {"kind": "signoz/BuilderQuery", "spec": {"name": "A", "signal": "traces",
                                                    "aggregations": [{"expression": "count()"}], **spec}}


def test_the_panel_kind_decides_the_request(engine) -> None:
    """SigNoz's UI ignores queries[].kind: a Number asks for a scalar, a TimeSeries for buckets."""
    number = evaluate_panel("n", panel("NumberPanel", builder()), engine, {}, RANGE)
    assert number.request == "scalar" and number.value == 9
    chart = evaluate_panel("t", panel("TimeSeriesPanel", builder(stepInterval=300)), engine, {}, RANGE)
    assert chart.request == "time_series" and chart.series[0].points == {T0 - 240: 3, T0 + 60: 6}  # 300 s buckets: T0 % 300 = 240
    listing = evaluate_panel("l", panel("ListPanel", builder(filter={"expression": "has_error = true"}, limit=5)), engine, {}, RANGE)
    assert listing.table.columns == ["timestamp", "service.name", "name", "duration_nano"]
    assert [row[1:] for row in listing.table.rows] == [["api", "llm", 1_000_000_000]]


def test_the_group_of_the_missing_value_is_named_empty(engine) -> None:
    """The legend names a series by its labels; the spans without `model` are `model=""`, never a
    Python None."""
    chart = evaluate_panel("t", panel("TimeSeriesPanel", builder(stepInterval=600, groupBy=[MODEL])), engine, {}, RANGE)
    assert sorted(s.label for s in chart.series) == ['{model=""}', '{model="m1"}', '{model="m2"}']


def test_clickhouse_sql_panels(engine) -> None:
    sql = ("SELECT toStartOfInterval(timestamp, INTERVAL 1 MINUTE) AS t, serviceName AS svc, count() AS value "
           "FROM signoz_traces.distributed_signoz_index_v3 WHERE timestamp >= $start_datetime "
           "AND ('__all__' IN $svc OR serviceName IN $svc) GROUP BY t, svc ORDER BY t")
    plugin = {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": sql}}
    chart = evaluate_panel("s", panel("TimeSeriesPanel", plugin), engine, {"svc": "__all__"}, RANGE)
    assert {s.labels["svc"]: s.points for s in chart.series} == {
        "api": {T0: 3, T0 + 60: 1, T0 + 180: 1}, "web": {T0 + 60: 2, T0 + 120: 1, T0 + 300: 1}}
    only_web = evaluate_panel("s", panel("TimeSeriesPanel", plugin), engine, {"svc": ["web"]}, RANGE)
    assert [s.labels["svc"] for s in only_web.series] == ["web"]
    number = {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": "SELECT count() AS value FROM signoz_traces.distributed_signoz_index_v3 WHERE name = 'llm'"}}
    assert evaluate_panel("n", panel("NumberPanel", number), engine, {}, RANGE).value == 5
    broken = {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": "SELECT nope FROM nowhere"}}
    failed = evaluate_panel("b", panel("NumberPanel", broken), engine, {}, RANGE)
    assert failed.status == "failed" and "ClickHouse" in failed.reason


@pytest.mark.parametrize("zone", ["", ", 'Asia/Kolkata'", ", 'America/St_Johns'"])
def test_a_sql_time_column_in_another_time_zone_is_the_same_instant(engine, zone: str) -> None:
    """ClickHouse writes a DateTime as wall-clock text in its column's time zone; the points are at the
    instants, whatever zone the SQL asks for (Kolkata is UTC+5:30, St. John's UTC-3:30 in November)."""
    sql = (f"SELECT toStartOfInterval(timestamp, INTERVAL 1 MINUTE{zone}) AS t, count() AS value "
           "FROM signoz_traces.distributed_signoz_index_v3 WHERE name = 'llm' GROUP BY t")
    plugin = {"kind": "signoz/ClickHouseSQL", "spec": {"name": "A", "query": sql}}
    [series] = evaluate_panel("s", panel("TimeSeriesPanel", plugin), engine, {}, RANGE).series
    assert series.points == {T0: 2, T0 + 60: 2, T0 + 120: 1}


@pytest.mark.parametrize(("plugin", "status", "reason"), [
    ({"kind": "signoz/PromQLQuery", "spec": {"name": "A", "query": "up"}}, "not-evaluated", "PromQL is not computed locally"),
    (builder(signal="logs"), "not-evaluated", "Logs are not computed locally"),
    ({"kind": "signoz/BuilderQuery", "spec": {"name": "A", "signal": "metrics", "aggregations": [{"metricName": "m", "spaceAggregation": "p95"}]}},
     "not-evaluated", "Metrics are not computed locally"),
    ({"kind": "signoz/Formula", "spec": {"name": "F1", "expression": "A"}}, "failed", "drops a top-level Formula"),
    (builder(functions=[{"name": "timeShift", "args": [{"value": 3600}]}]), "not-evaluated", "functions are not evaluated"),
])
def test_what_is_not_computed_says_why(engine, plugin: dict, status: str, reason: str) -> None:
    result = evaluate_panel("x", panel("TimeSeriesPanel", plugin), engine, {}, RANGE)
    assert (result.status, reason in result.reason) == (status, True), result.reason


def test_without_an_engine_the_panel_says_how_to_get_numbers() -> None:
    result = evaluate_panel("x", panel("NumberPanel", builder()), None, {}, RANGE)
    assert result.status == "no-engine" and "pip install 'signoz-dac[preview]'" in result.reason


def test_offset_and_what_builder_queries_leave_out(engine) -> None:
    outcome = run(engine, groupBy=[MODEL], filter={"expression": "model EXISTS"}, limit=1, offset=1)
    assert [(s.labels["model"], s.points[0]) for s in outcome.series] == [("m2", 2)]
    with pytest.raises(Unsupported, match="'meter' source"):
        run(engine, source="meter")
    queries = composite({"name": "A", "aggregations": [{"expression": "count()"}]},
                        {"name": "F1", "expression": "A", "having": {"expression": "F1 > 1"}})
    with pytest.raises(Unsupported, match="formula's having"):
        run_queries(queries, "scalar", engine, {}, RANGE)


@pytest.mark.parametrize(("buckets", "expected"), [
    ({"bucketCount": 2}, {"llm": [1, 2], "turn": [3, 0], "other": [1, 0]}),
    ({"bucketWidth": 1}, {"llm": [1, 2], "turn": [3, 0], "other": [1, 0]}),
    ({"bucketCount": 2, "mergeAllActiveQueries": True}, {"all queries": [5, 2]}),
    ({"bucketWidth": 0.25}, {"llm": [1, 0, 0, 0, 2], "turn": [3, 0, 0, 0, 0], "other": [1, 0, 0, 0, 0]}),
])
def test_a_histogram_panel_draws_the_distribution_of_its_values(engine, buckets: dict, expected: dict) -> None:
    """A Histogram asks for a time series, as SigNoz's UI does, and counts its points per bucket:
    spans a minute by name are llm 2, 2, 1; turn 1, 1, 1; other 1 (values 1 to 2)."""
    import re

    from signoz_dac.preview.page import _body

    by_name = builder(groupBy=[{"name": "name", "fieldContext": "span"}], stepInterval=60, legend="{{name}}")
    result = evaluate_panel("h", panel("HistogramPanel", by_name), engine, {}, RANGE)
    assert result.request == "time_series" and result.status == "ok"
    svg = _body("Histogram", {"histogramBuckets": buckets}, result, (400.0, 240.0))
    drawn: dict[str, list[int]] = {}
    for label, bucket, count in re.findall(r'data-series="([^"]+)" data-bucket="(\d+)" data-count="(\d+)"', svg):
        size = len(next(iter(expected.values())))
        drawn.setdefault(label, [0] * size)[int(bucket)] = int(count)
    assert drawn == expected
    assert ">1<" in svg and ">2<" in svg  # the first and last bucket edges are labelled


def test_a_histogram_of_nothing_says_so(engine) -> None:
    from signoz_dac.preview.page import _body

    result = evaluate_panel("h", panel("HistogramPanel", builder(filter={"expression": "name = 'nothing'"})), engine, {}, RANGE)
    assert "No data" in _body("Histogram", {}, result, (300.0, 200.0))


@pytest.mark.parametrize(("buckets", "message"), [
    ({"bucketWidth": 0.001}, "bucketWidth 0.001 makes 1001 buckets over the values (1 to 2)"),
    ({"bucketCount": 10**4}, "bucketCount 10000 makes 10000 buckets"),
])
def test_a_histogram_of_millions_of_buckets_says_so(engine, buckets: dict, message: str) -> None:
    """A bucket width in the wrong unit (1 over nanoseconds) would ask for a billion bars, filling
    memory and the page: beyond what a panel can show, the panel says so instead."""
    from signoz_dac.preview.page import _body

    by_name = builder(groupBy=[{"name": "name", "fieldContext": "span"}], stepInterval=60)
    result = evaluate_panel("h", panel("HistogramPanel", by_name), engine, {}, RANGE)
    body = _body("Histogram", {"histogramBuckets": buckets}, result, (400.0, 240.0))
    assert message in body and "at most 500" in body and "<svg" not in body
