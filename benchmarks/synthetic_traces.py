"""Synthetic voice-agent traces, generated inside ClickHouse (INSERT … SELECT FROM numbers(…)).

Each conversation is one trace shaped like the profiles' spans (src/signoz_dac/profiles/):
- even ids are Pipecat calls: a `conversation` root span, and per turn a `turn` span with `stt`,
  `llm` and `tts` children;
- odd ids are LiveKit calls: an `agent_session` root span (the trace's root when the tracer provider
  is set inside the entrypoint), and per turn an `agent_turn` span with
  `user_turn`, `llm_node`, `llm_request`, `tts_node` and `tts_request` children.

Everything about a conversation is a pure function of its id (cityHash64 of it), so the same
parameters always give the same table. Conversations are spread evenly over the data's time span;
each lasts 1 to 20 minutes and has 1 to 8 turns. A call still running at the data's end has no
root span yet (the root span is exported when the call ends), only the turns so far.

The columns filled are the ones SigNoz's exporter writes for such spans; resources carry the usual
OpenTelemetry SDK keys so the maps are as wide as in a real table.
"""

from __future__ import annotations

PIPECAT_SERVICE = "pipecat-voice-agent"
LIVEKIT_SERVICE = "livekit-voice-agent"
MIN_SECONDS, MAX_SECONDS = 60, 20 * 60  # conversation length
MAX_TURNS = 8

# name of span j within a turn (j = 0 is the turn span itself), per framework (0 pipecat, 1 livekit)
PIPECAT_TURN = ("turn", "stt", "llm", "tts")
LIVEKIT_TURN = ("agent_turn", "user_turn", "llm_node", "llm_request", "tts_node", "tts_request")
ROOTS = ("conversation", "agent_session")


def _array(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def insert_sql(*, first: int, count: int, start_s: int, end_s: int, data_end_s: int) -> str:
    """INSERT the spans of conversations `first` … `first + count - 1`, started evenly over
    [start_s, end_s), as seen at `data_end_s` (later ends are still in progress)."""
    span = end_s - start_s
    return f"""
INSERT INTO signoz_traces.signoz_index_v3
    (ts_bucket_start, resource_fingerprint, timestamp, trace_id, span_id, parent_span_id, name,
     kind, kind_string, duration_nano, status_code, status_code_string, has_error,
     attributes_string, attributes_number, resources_string)
SELECT
    intDiv(toUInt64(intDiv(ts_ns, 1000000000)), 1800) * 1800 AS ts_bucket_start,
    toString(cityHash64(service, 'python')) AS resource_fingerprint,
    fromUnixTimestamp64Nano(toInt64(ts_ns)) AS timestamp,
    trace_id,
    lower(hex(cityHash64(c, toUInt64(i)))) AS span_id,
    multiIf(i = 0, '', j = 0, lower(hex(cityHash64(c, toUInt64(0)))), lower(hex(cityHash64(c, toUInt64(i - j))))) AS parent_span_id,
    name,
    if(j = 0 OR i = 0, 1, 3) AS kind,
    if(j = 0 OR i = 0, 'Internal', 'Client') AS kind_string,
    duration_ns AS duration_nano,
    if(error, 2, 0) AS status_code,
    if(error, 'Error', 'Unset') AS status_code_string,
    error AS has_error,
    multiIf(
        name IN ('llm', 'llm_request'),
            map('gen_ai.request.model', 'gpt-4.1-mini', 'gen_ai.system', 'openai', 'gen_ai.operation.name', 'chat'),
        name IN ('stt', 'tts', 'tts_node', 'user_turn'),
            map('gen_ai.request.model', if(name IN ('stt', 'user_turn'), 'nova-3', 'sonic-2')),
        i = 0, map('session.id', trace_id),
        map('turn.number', toString(k + 1))
    ) AS attributes_string,
    if(name IN ('llm', 'llm_request'),
       map('gen_ai.usage.input_tokens', toFloat64(200 + cityHash64(c, i, 1) % 2000),
           'gen_ai.usage.output_tokens', toFloat64(20 + cityHash64(c, i, 2) % 300),
           'metrics.ttfb', (200 + cityHash64(c, i, 3) % 1500) / 1000),
       map('metrics.ttfb', (100 + cityHash64(c, i, 3) % 900) / 1000)) AS attributes_number,
    map('service.name', service, 'telemetry.sdk.language', 'python', 'telemetry.sdk.name', 'opentelemetry',
        'telemetry.sdk.version', '1.36.0', 'host.name', concat('agent-', toString(c % 7)),
        'process.pid', toString(1000 + c % 97), 'os.type', 'linux', 'deployment.environment', 'production')
        AS resources_string
FROM (
    SELECT
        c, fw, trace_id, service, i, k, j, error,
        if(fw = 0, {_array(PIPECAT_TURN)}, {_array(LIVEKIT_TURN)})[j + 1] AS turn_span_name,
        if(i = 0, {_array(ROOTS)}[fw + 1], turn_span_name) AS name,
        -- turn k takes the k-th slice of the call; its children follow each other inside it
        start_ns + if(i = 0, 0, intDiv(duration_s * 1000000000 * k, turns) + j * 200000000) AS ts_ns,
        if(i = 0, duration_s * 1000000000,
           intDiv(duration_s * 1000000000, turns) - 100000000 - j * 200000000) AS duration_ns
    FROM (
        SELECT
            c, fw, trace_id, service, start_ns, duration_s, turns,
            arrayJoin(range(if(finished, 0, 1), 1 + turns * per_turn)) AS i,
            intDiv(i - 1, per_turn) AS k,
            if(i = 0, 0, (i - 1) % per_turn) AS j,
            cityHash64(c, i, 4) % 50 = 0 AS error
        FROM (
            SELECT
                number + {first} AS c,
                c % 2 AS fw,
                lower(concat(hex(cityHash64(c, 'trace')), hex(cityHash64(c, 'id')))) AS trace_id,
                if(fw = 0, '{PIPECAT_SERVICE}', '{LIVEKIT_SERVICE}') AS service,
                toUInt64({start_s} + intDiv(number * {span}, {count})) * 1000000000
                    + cityHash64(c, 'start') % 1000000000 AS start_ns,
                {MIN_SECONDS} + cityHash64(c, 'length') % {MAX_SECONDS - MIN_SECONDS + 1} AS duration_s,
                1 + cityHash64(c, 'turns') % {MAX_TURNS} AS turns,
                if(fw = 0, {len(PIPECAT_TURN)}, {len(LIVEKIT_TURN)}) AS per_turn,
                intDiv(start_ns, 1000000000) + duration_s <= {data_end_s} AS finished
            FROM numbers({count})
        )
    )
    -- a call still running at the data's end has only the turns that have started
    WHERE ts_ns < {data_end_s} * 1000000000
)
"""
