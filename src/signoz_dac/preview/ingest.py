"""Span files loaded by ClickHouse itself: one INSERT … SELECT FROM file(), no Python per span.

Two formats, the ones millions of spans come in:
- JSON lines of normalised spans (our captures and samples; `spans.py` describes the shape);
- OTLP JSON lines: one `ExportTraceServiceRequest` per line, as the OpenTelemetry Collector's file
  exporter writes them (hex ids, nanosecond times as decimal text, enums as numbers or names,
  attribute values as OTLP `AnyValue` objects).

Both are read with an explicit schema, so ClickHouse's typed JSON parser does the work (in parallel
over the file) instead of JSON functions on text: an attribute object of normalised spans is read
as `Map(String, Dynamic)`, whose value types (string, integer, float, bool, array, object) say which
typed map each attribute goes to; OTLP's `AnyValue` is a tuple of its optional fields. Rows are
mapped as `store.span_row` maps a span (schema.py has the rules), so both loaders give the same
table; the tests compare them. Unlike `spans.read_spans`, a span listed twice is loaded twice.

The JSON-typed `attributes`, `resource` and `scope` columns are the costliest to fill and are only
read by SQL that names them; `json_columns=False` leaves them empty.
"""

from __future__ import annotations

from signoz_dac.preview.schema import BUCKET_SECONDS, INDEX_TABLE, KINDS, RESOURCE_TABLE, STATUSES
from signoz_dac.preview.substitution import sql_string

SPAN_LINES, OTLP_LINES = "span-lines", "otlp-lines"

_COLUMNS = (
    "ts_bucket_start, resource_fingerprint, timestamp, trace_id, span_id, trace_state, parent_span_id, flags, name, "
    "kind, kind_string, duration_nano, status_code, status_message, status_code_string, attributes_string, "
    "attributes_number, attributes_bool, resources_string, events, links, has_error"
)
_JSON_COLUMNS = ", attributes, resource, scope"
_SETTINGS = (
    "SETTINGS output_format_json_escape_forward_slashes = 0, input_format_skip_unknown_fields = 1, "
    "input_format_json_ignore_unknown_keys_in_named_tuple = 1, input_format_json_read_numbers_as_strings = 1, "
    "input_format_json_read_objects_as_strings = 1, input_format_json_read_arrays_as_strings = 1, "
    # a Dynamic value's type is its JSON type: a string that looks like a date stays a string
    "input_format_try_infer_dates = 0, input_format_try_infer_datetimes = 0, max_insert_threads = 2"
)

_KIND_KEYS = "[" + ", ".join(f"'{k}'" for k, _ in KINDS) + "]"
_KIND_NAMES = "[" + ", ".join(f"'{n}'" for _, n in KINDS) + "]"
_STATUS_KEYS = "[" + ", ".join(f"'{k}'" for k, _ in STATUSES) + "]"
_STATUS_NAMES = "[" + ", ".join(f"'{n}'" for _, n in STATUSES) + "]"


def _enum_key(text: str, prefix: str, names: str) -> str:
    """An OTLP enum (a number, `SPAN_KIND_CLIENT`, `SpanKind.CLIENT` or `CLIENT`) as its bare name."""
    bare = f"replaceOne(upper(splitByChar('.', {text})[-1]), '{prefix}', '')"
    return f"if(match({text}, '^[0-9]+$'), arrayElement({names}, toUInt32({text}) + 1), {bare})"


def _row(kind: str, status: str) -> str:
    """The SELECT list of an index row from the inner query's columns: start, end (ns), trace_id,
    span_id, parent_span_id, name, status_message, the typed attribute maps (text, number, bool),
    resources (sorted text map) and events (JSON strings); `kind` and `status` are SQL of the
    enums' bare names."""
    return f"""
    toUInt64(intDiv(intDiv(start, 1000000000), {BUCKET_SECONDS}) * {BUCKET_SECONDS}), toString(cityHash64(resources)),
    fromUnixTimestamp64Nano(start), trace_id, span_id, '', parent_span_id, 0, name,
    transform({kind}, {_KIND_KEYS}, [0, 1, 2, 3, 4, 5], 1), transform({kind}, {_KIND_KEYS}, {_KIND_NAMES}, 'Internal'),
    toUInt64(greatest(0, end - start)),
    transform({status}, {_STATUS_KEYS}, [0, 1, 2], 0), status_message,
    transform({status}, {_STATUS_KEYS}, {_STATUS_NAMES}, 'Unset'),
    text_attributes, number_attributes, bool_attributes, resources, events, '[]', {status} = 'ERROR'"""


# -- JSON lines of normalised spans ----------------------------------------------------------------

_SPAN_LINES_STRUCTURE = (
    "trace_id String, span_id String, parent_span_id String, name String, kind String, status_code String, "
    "status_message String, start_ns Int64, end_ns Int64, attributes Map(String, Dynamic(max_types = 16)), "
    "resource Map(String, String), scope Tuple(name String, version String), "
    "events Array(Tuple(name String, time_ns Int64, attributes Map(String, Dynamic(max_types = 16))))"
)
_NUMBERS = "('Int64', 'UInt64', 'Float64')"
# A value as span_row's `_text` writes it: a string as itself, anything else as compact JSON.
_DYNAMIC_TEXT = "if(dynamicType(v) = 'String', assumeNotNull(v.String), toJSONString(v))"
_SPAN_LINES_INSERT = """
INSERT INTO {table} ({columns}{json_columns})
SELECT {row}{json_values}
FROM (
    SELECT trace_id, span_id, parent_span_id, name, status_message, scope,
        start_ns + {shift} AS start, end_ns + {shift} AS end,
        mapFilter((k, v) -> dynamicType(v) != 'None', attributes) AS present,
        mapApply((k, v) -> (k, {text}), mapFilter((k, v) -> dynamicType(v) NOT IN {numbers} AND dynamicType(v) != 'Bool', present))
            AS text_attributes,
        mapApply((k, v) -> (k, coalesce(v.Float64, toFloat64(v.Int64), toFloat64(v.UInt64))),
                 mapFilter((k, v) -> dynamicType(v) IN {numbers}, present)) AS number_attributes,
        mapApply((k, v) -> (k, assumeNotNull(v.Bool)), mapFilter((k, v) -> dynamicType(v) = 'Bool', present)) AS bool_attributes,
        mapSort(resource) AS resources,
        arrayMap(e -> toJSONString(CAST(tuple(e.name, e.time_ns + {shift},
                     mapApply((k, v) -> (k, {text}), mapFilter((k, v) -> dynamicType(v) != 'None', e.attributes)),
                     e.name = 'exception'), 'Tuple(name String, timeUnixNano Int64, attributeMap Map(String, String), isError Bool)')),
                 events) AS events,
        replaceOne(kind, 'SPAN_KIND_', '') AS kind_key, replaceOne(status_code, 'STATUS_CODE_', '') AS status_key
    FROM file({path}, 'JSONEachRow', '{structure}'{compression})
)
{settings}
"""
_SPAN_LINES_JSON_VALUES = """,
    toJSONString(present), toJSONString(resources),
    concat('{"name":', toJSONString(scope.name), ',"version":', toJSONString(scope.version), ',"attributes":{}}')"""


# -- OTLP JSON lines ---------------------------------------------------------------------------------

_ANY_VALUE = ("Tuple(stringValue Nullable(String), boolValue Nullable(Bool), intValue Nullable(String), "
              "doubleValue Nullable(Float64), arrayValue Nullable(String), kvlistValue Nullable(String), "
              "bytesValue Nullable(String))")
_KEY_VALUES = f"Array(Tuple(key String, value {_ANY_VALUE}))"
_OTLP_STRUCTURE = (
    f"resourceSpans Array(Tuple(resource Tuple(attributes {_KEY_VALUES}), scopeSpans Array(Tuple("
    "scope Tuple(name String, version String), spans Array(Tuple(traceId String, spanId String, parentSpanId String, "
    f"name String, kind String, startTimeUnixNano String, endTimeUnixNano String, attributes {_KEY_VALUES}, "
    f"events Array(Tuple(timeUnixNano String, name String, attributes {_KEY_VALUES})), "
    "status Tuple(code String, message String)))))))"
)
def _float_json(d: str) -> str:
    """Python's json.dumps of a float: an integral value keeps its ".0"."""
    return f"if(isFinite({d}) AND {d} = floor({d}) AND abs({d}) < 1e16, concat(toString({d}), '.0'), toString({d}))"


def _raw_any_json(x: str) -> str:
    """An AnyValue as raw JSON text (an array's element, a kvlist's value) → the plain value's JSON.
    A nested array or kvlist stays as its AnyValue JSON (Python's reader unwraps it)."""
    double = _float_json(f"JSONExtractFloat({x}, 'doubleValue')")
    integer = (f"if(JSONType({x}, 'intValue') = 'String', toInt64OrZero(JSONExtractString({x}, 'intValue')), "
               f"JSONExtractInt({x}, 'intValue'))")
    return (f"multiIf(JSONHas({x}, 'stringValue'), toJSONString(JSONExtractString({x}, 'stringValue')), "
            f"JSONHas({x}, 'boolValue'), if(JSONExtractBool({x}, 'boolValue'), 'true', 'false'), "
            f"JSONHas({x}, 'intValue'), toString({integer}), "
            f"JSONHas({x}, 'doubleValue'), {double}, "
            f"JSONHas({x}, 'bytesValue'), toJSONString(JSONExtractString({x}, 'bytesValue')), JSONExtractRaw({x}))")


def _any_json(v: str) -> str:
    """A parsed AnyValue tuple → the plain value's JSON."""
    array = f"assumeNotNull({v}.arrayValue)"
    kvlist = f"assumeNotNull({v}.kvlistValue)"
    array_json = f"concat('[', arrayStringConcat(arrayMap(x -> {_raw_any_json('x')}, JSONExtractArrayRaw({array}, 'values')), ','), ']')"
    value = _raw_any_json("JSONExtractRaw(x, 'value')")
    pair = f"concat(toJSONString(JSONExtractString(x, 'key')), ':', {value})"
    kvlist_json = f"concat('{{', arrayStringConcat(arrayMap(x -> {pair}, JSONExtractArrayRaw({kvlist}, 'values')), ','), '}}')"
    return (f"multiIf({v}.stringValue IS NOT NULL, toJSONString(assumeNotNull({v}.stringValue)), "
            f"{v}.boolValue IS NOT NULL, if(assumeNotNull({v}.boolValue), 'true', 'false'), "
            f"{v}.intValue IS NOT NULL, toString(toInt64(assumeNotNull({v}.intValue))), "
            f"{v}.doubleValue IS NOT NULL, {_float_json(f'assumeNotNull({v}.doubleValue)')}, "
            f"{v}.arrayValue IS NOT NULL, {array_json}, {v}.kvlistValue IS NOT NULL, {kvlist_json}, "
            f"{v}.bytesValue IS NOT NULL, toJSONString(assumeNotNull({v}.bytesValue)), '{{}}')")


def _any_text(v: str) -> str:
    """A parsed AnyValue tuple as span_row's `_text` writes it: a string (or bytes' base64) as itself,
    anything else as the plain value's JSON."""
    return (f"multiIf({v}.stringValue IS NOT NULL, assumeNotNull({v}.stringValue), "
            f"{v}.bytesValue IS NOT NULL, assumeNotNull({v}.bytesValue), {_any_json(v)})")


def _is_number(v: str) -> str:
    return f"({v}.intValue IS NOT NULL OR {v}.doubleValue IS NOT NULL)"


def _is_bool(v: str) -> str:
    return f"({v}.stringValue IS NULL AND {v}.boolValue IS NOT NULL)"


def _text_map(kvs: str) -> str:
    return f"mapFromArrays(arrayMap(kv -> kv.key, {kvs}), arrayMap(kv -> {_any_text('kv.value')}, {kvs}))"


def _hex_id(text: str) -> str:
    return f"if(startsWith(lower({text}), '0x'), substring({text}, 3), {text})"


_OTLP_INSERT = """
INSERT INTO {table} ({columns}{json_columns})
SELECT {row}{json_values}
FROM (
    SELECT
        {trace_id} AS trace_id, {span_id} AS span_id, {parent_id} AS parent_span_id, s.name AS name,
        s.status.message AS status_message, ss.scope AS scope,
        toInt64(s.startTimeUnixNano) + {shift} AS start,
        if(s.endTimeUnixNano = '', start, toInt64(s.endTimeUnixNano) + {shift}) AS end,
        s.attributes AS kvs,
        {text_attributes} AS text_attributes,
        mapFromArrays(arrayMap(kv -> kv.key, arrayFilter(kv -> {is_number}, kvs)),
                      arrayMap(kv -> coalesce(kv.value.doubleValue, toFloat64(toInt64(kv.value.intValue))),
                               arrayFilter(kv -> {is_number}, kvs))) AS number_attributes,
        mapFromArrays(arrayMap(kv -> kv.key, arrayFilter(kv -> {is_bool}, kvs)),
                      arrayMap(kv -> assumeNotNull(kv.value.boolValue), arrayFilter(kv -> {is_bool}, kvs))) AS bool_attributes,
        mapSort({resources}) AS resources,
        rs.resource.attributes AS resource_kvs,
        arrayMap(e -> toJSONString(CAST(tuple(e.name, if(e.timeUnixNano = '', 0, toInt64(e.timeUnixNano)) + {shift},
                     {event_attributes}, e.name = 'exception'),
                     'Tuple(name String, timeUnixNano Int64, attributeMap Map(String, String), isError Bool)')),
                 s.events) AS events,
        {kind} AS kind_key, {status} AS status_key
    FROM file({path}, 'JSONEachRow', '{structure}'{compression})
    ARRAY JOIN resourceSpans AS rs
    ARRAY JOIN rs.scopeSpans AS ss
    ARRAY JOIN ss.spans AS s
)
{settings}
"""
_OTLP_JSON_VALUES = """,
    concat('{{', arrayStringConcat(arrayMap(kv -> concat(toJSONString(kv.key), ':', {value}), kvs), ','), '}}'),
    concat('{{', arrayStringConcat(arrayMap(kv -> concat(toJSONString(kv.key), ':', {value}), resource_kvs), ','), '}}'),
    concat('{{"name":', toJSONString(scope.name), ',"version":', toJSONString(scope.version), ',"attributes":{{}}}}')"""


def insert_file_sql(path: str, file_format: str, *, gzip: bool, shift_ns: int = 0, json_columns: bool = True) -> str:
    """The statement that loads a span file of `file_format` (SPAN_LINES or OTLP_LINES)."""
    common = {
        "table": INDEX_TABLE, "columns": _COLUMNS, "json_columns": _JSON_COLUMNS if json_columns else "",
        "path": sql_string(path), "compression": ", 'gzip'" if gzip else ", 'none'", "shift": int(shift_ns),
        "settings": _SETTINGS,
    }
    if file_format == SPAN_LINES:
        return _SPAN_LINES_INSERT.format(
            **common, row=_row("kind_key", "status_key"), structure=_SPAN_LINES_STRUCTURE, numbers=_NUMBERS,
            text=_DYNAMIC_TEXT, json_values=_SPAN_LINES_JSON_VALUES if json_columns else "",
        )
    if file_format == OTLP_LINES:
        return _OTLP_INSERT.format(
            **common, row=_row("kind_key", "status_key"), structure=_OTLP_STRUCTURE,
            trace_id=_hex_id("s.traceId"), span_id=_hex_id("s.spanId"), parent_id=_hex_id("s.parentSpanId"),
            text_attributes=_text_map(f"arrayFilter(kv -> NOT {_is_number('kv.value')} AND NOT {_is_bool('kv.value')}, kvs)"),
            is_number=_is_number("kv.value"), is_bool=_is_bool("kv.value"),
            resources=_text_map("rs.resource.attributes"), event_attributes=_text_map("e.attributes"),
            kind=_enum_key("if(s.kind = '', '0', s.kind)", "SPAN_KIND_", _KIND_KEYS),  # absent: 0, UNSPECIFIED
            status=_enum_key("if(s.status.code = '', '0', s.status.code)", "STATUS_CODE_", _STATUS_KEYS),
            json_values=_OTLP_JSON_VALUES.format(value=_any_json("kv.value")) if json_columns else "",
        )
    raise ValueError(f"unknown span file format {file_format!r}")


# One traces_v3_resource row per (resource, bucket), as SigNoz's writer records them.
INSERT_RESOURCES = f"""
INSERT INTO {RESOURCE_TABLE} (labels, fingerprint, seen_at_ts_bucket_start)
SELECT toJSONString(mapSort(any(resources_string))), resource_fingerprint, ts_bucket_start
FROM {INDEX_TABLE} WHERE (resource_fingerprint, ts_bucket_start) NOT IN (
    SELECT fingerprint, seen_at_ts_bucket_start FROM {RESOURCE_TABLE})
GROUP BY resource_fingerprint, ts_bucket_start
SETTINGS output_format_json_escape_forward_slashes = 0
"""
