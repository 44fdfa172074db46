"""SigNoz's trace tables in chDB, loaded from captured spans; and SigNoz's ClickHouse variable substitution."""

from __future__ import annotations

import pytest

from signoz_dac.testing.traces_store import (
    BUCKET_SECONDS,
    GoTemplateError,
    TraceStore,
    format_value,
    render_query,
    span_row,
)
from tests.telemetry.conftest import committed

T = "signoz_traces.distributed_signoz_index_v3"


@pytest.fixture(scope="module")
def store():
    with TraceStore() as s:
        s.load(committed("pipecat")["spans"])
        s.load(committed("livekit")["spans"])
        yield s


def test_every_span_is_loaded(store) -> None:
    expected = len(committed("pipecat")["spans"]) + len(committed("livekit")["spans"])
    assert store.query(f"SELECT count() AS n FROM {T}") == [{"n": expected}]
    assert store.query("SELECT count() AS n FROM signoz_traces.signoz_index_v3") == [{"n": expected}]


def test_schema_keys_and_partition(store) -> None:
    [table] = store.query(
        "SELECT sorting_key, partition_key, engine FROM system.tables "
        "WHERE database = 'signoz_traces' AND name = 'signoz_index_v3'"
    )
    assert table == {
        "sorting_key": "ts_bucket_start, resource_fingerprint, has_error, name, timestamp",
        "partition_key": "toDate(timestamp)",
        "engine": "MergeTree",
    }
    [dist] = store.query("SELECT engine FROM system.tables WHERE database = 'signoz_traces' AND name = 'distributed_signoz_index_v3'")
    assert dist["engine"] == "Merge"


def test_alias_columns_and_service_name(store) -> None:
    rows = store.query(
        f"SELECT traceID = trace_id AS t, spanID = span_id AS s, durationNano = duration_nano AS d, "
        f"hasError = has_error AS e, serviceName, `resource_string_service$$name` AS col, "
        f"resources_string['service.name'] AS map, resource.service.name::String AS json "
        f"FROM {T} WHERE name = 'conversation'"
    )
    assert len(rows) == len(committed("pipecat")["scenarios"])  # one conversation span per call
    for r in rows:
        assert r["t"] and r["s"] and r["d"] and r["e"]
        assert r["serviceName"] == r["col"] == r["map"] == r["json"]
    assert {r["serviceName"] for r in rows} == {"voice-agent", "voice-agent-eu"}


def test_typed_attribute_maps(store) -> None:
    [turn] = store.query(
        f"SELECT attributes_number['turn.number'] AS n, attributes_bool['turn.was_interrupted'] AS i, "
        f"attributes_string['conversation.id'] AS c, mapContains(attributes_string, 'turn.number') AS wrong "
        f"FROM {T} WHERE name = 'turn' AND attributes_number['turn.number'] = 1 LIMIT 1"
    )
    assert turn["n"] == 1 and isinstance(turn["i"], bool) and turn["c"] and turn["wrong"] == 0
    [llm] = store.query(
        f"SELECT sum(attributes_number['gen_ai.usage.input_tokens']) AS tokens FROM {T} WHERE name = 'llm'"
    )
    spans = [s for s in committed("pipecat")["spans"] if s["name"] == "llm"]
    assert llm["tokens"] == sum(s["attributes"].get("gen_ai.usage.input_tokens", 0) for s in spans)


def test_has_error_and_status(store) -> None:
    rows = store.query(
        f"SELECT name, status_code, status_code_string, kind, kind_string FROM {T} WHERE has_error ORDER BY name"
    )
    assert {r["name"] for r in rows} == {"llm", "agent_turn", "llm_node", "llm_request", "llm_request_run"}
    assert {(r["status_code"], r["status_code_string"], r["kind"], r["kind_string"]) for r in rows} == {(2, "Error", 1, "Internal")}


def test_ts_bucket_start_and_timestamp(store) -> None:
    rows = store.query(
        f"SELECT ts_bucket_start AS b, toUnixTimestamp64Nano(timestamp) AS ns, span_id FROM {T}"
    )
    starts = {s["span_id"]: s["start_ns"] for c in ("pipecat", "livekit") for s in committed(c)["spans"]}
    for r in rows:
        assert int(r["ns"]) == starts[r["span_id"]]
        assert r["b"] % BUCKET_SECONDS == 0 and r["b"] <= int(r["ns"]) // 10**9 < r["b"] + BUCKET_SECONDS


def test_resource_table_and_global_in(store) -> None:
    rows = store.query(
        f"WITH __resource_filter AS (SELECT fingerprint FROM signoz_traces.distributed_traces_v3_resource "
        f"WHERE simpleJSONExtractString(labels, 'service.name') = 'voice-agent-eu') "
        f"SELECT count() AS n FROM {T} WHERE resource_fingerprint GLOBAL IN __resource_filter"
    )
    expected = sum(s["resource"]["service.name"] == "voice-agent-eu"
                   for c in ("pipecat", "livekit") for s in committed(c)["spans"])
    assert rows == [{"n": expected}]


def test_load_shifts_time() -> None:
    span = committed("pipecat")["spans"][0]
    day = 86_400 * 10**9
    row, moved = span_row(span), span_row(span, shift_ns=-day)
    assert moved["timestamp_ns"] == row["timestamp_ns"] - day
    assert moved["ts_bucket_start"] == row["ts_bucket_start"] - 86_400
    assert moved["duration_nano"] == row["duration_nano"]


def test_one_store_at_a_time(store) -> None:
    with pytest.raises(RuntimeError, match="one TraceStore at a time"):
        TraceStore()


# ---------------------------------------------------------------- render_query (variables in ClickHouse SQL)

START_MS, END_MS = 1_700_000_000_123, 1_700_003_600_456


def test_reserved_time_variables() -> None:
    sql = ("$start_timestamp $end_timestamp $start_timestamp_ms $end_timestamp_ms $SIGNOZ_START_TIME "
           "$SIGNOZ_END_TIME $start_timestamp_nano $end_timestamp_nano $start_datetime $end_datetime")
    assert render_query(sql, {}, START_MS, END_MS).split() == [
        "1700000000", "1700003600", "1700000000123", "1700003600456", "1700000000123", "1700003600456",
        "1700000000123000000", "1700003600456000000", "toDateTime(1700000000)", "toDateTime(1700003600)",
    ]


def test_three_spellings_and_go_template_field() -> None:
    sql = "{{service}} [[service]] $service {{.service}} {{ .service }} {{.start_datetime}}"
    assert render_query(sql, {"service": "a"}, START_MS, END_MS) == "'a' 'a' 'a' 'a' 'a' toDateTime(1700000000)"


def test_longest_name_first() -> None:
    # $start_timestamp must not eat the prefix of $start_timestamp_ms; $svc not of $svc_name
    sql = "$start_timestamp_ms $svc_name $svc"
    assert render_query(sql, {"svc": "x", "svc_name": "y"}, START_MS, END_MS) == "1700000000123 'y' 'x'"


def test_value_formatting() -> None:
    assert format_value("it's") == "'it\\'s'"
    assert format_value("a\\b") == "'a\\\\b'"
    assert format_value(3) == "3" and format_value(2.5) == "2.5" and format_value(True) == "true"
    assert format_value(["a", "b'c"]) == "['a','b\\'c']"
    assert format_value([1, 2, 3]) == "1,2,3"


def test_all_arrives_as_a_quoted_string() -> None:
    sql = "('__all__' IN $service_name OR serviceName IN $service_name)"
    assert render_query(sql, {"service_name": "__all__"}, START_MS, END_MS) == (
        "('__all__' IN '__all__' OR serviceName IN '__all__')"
    )
    assert render_query(sql, {"service_name": ["a", "b"]}, START_MS, END_MS) == (
        "('__all__' IN ['a','b'] OR serviceName IN ['a','b'])"
    )


def test_stray_braces_fail_like_the_server() -> None:
    with pytest.raises(GoTemplateError):
        render_query("SELECT '{{' AS x", {}, START_MS, END_MS)
    with pytest.raises(GoTemplateError):
        render_query("SELECT {{unknown_var}}", {}, START_MS, END_MS)
    # a missing field prints Go's "<no value>"; a lone "}}" is plain text
    assert render_query("{{.nope}} }}", {}, START_MS, END_MS) == "<no value> }}"


def test_rendered_queries_run_on_the_store(store) -> None:
    """The substitution's output is valid ClickHouse, including ALL and lists against the real table."""
    sql = (f"SELECT count() AS n FROM {T} WHERE timestamp BETWEEN $start_datetime AND $end_datetime "
           f"AND ts_bucket_start BETWEEN $start_timestamp - 1800 AND $end_timestamp "
           f"AND ('__all__' IN $service_name OR serviceName IN $service_name)")
    starts = [s["start_ns"] for s in committed("pipecat")["spans"] + committed("livekit")["spans"]]
    lo, hi = min(starts) // 10**6 - 1000, max(starts) // 10**6 + 1000
    every = store.query(render_query(sql, {"service_name": "__all__"}, lo, hi))[0]["n"]
    eu = store.query(render_query(sql, {"service_name": ["voice-agent-eu"]}, lo, hi))[0]["n"]
    services = sorted({s["resource"]["service.name"] for c in ("pipecat", "livekit") for s in committed(c)["spans"]})
    assert len(services) >= 3 and "voice-agent-eu" in services
    listed = store.query(render_query(sql, {"service_name": services}, lo, hi))[0]["n"]
    assert every == listed == len(starts) > eu > 0
