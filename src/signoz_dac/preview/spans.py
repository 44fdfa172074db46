"""Spans from files, in the shapes people have them, normalised to one dict per span.

Accepted (gzip-compressed or not):
- OTLP JSON: an `ExportTraceServiceRequest` (`{"resourceSpans": [...]}`) per document, which is what
  the OpenTelemetry Collector's file exporter writes (one request per line);
- the Python SDK's ConsoleSpanExporter output: one pretty-printed span object after another
  (`context.trace_id`, `start_time` as ISO text, `resource.attributes`);
- our captures: a document with a `spans` list, or JSON lines with one normalised span each;
- any JSON document that holds span objects somewhere (a list of spans, scenarios of spans).

A normalised span is the shape `store.span_row` loads: hex ids, `kind` and
`status_code` as OTLP enum names, `start_ns`/`end_ns`, plain attribute and resource dicts, `scope`,
and `events` with `time_ns`. Every failure is an InputError naming the file (and line).

JSON lines of normalised spans and OTLP JSON lines need no reading here: ClickHouse loads them
itself (ingest.py), far faster; `bulk_format` tells a file of either kind by its first line.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError, Location
from signoz_dac.preview.ingest import OTLP_LINES, SPAN_LINES
from signoz_dac.preview.schema import KINDS, STATUSES

Span = dict[str, Any]

# OTLP times are nanoseconds since 1970. A span that starts before this (1973-03-03) has its times in
# another unit (seconds, milliseconds, microseconds read as nanoseconds land in January 1970): loading
# it would stretch the preview's time range over decades, so it is refused instead.
EARLIEST_NS = 10**17
MAX_ID_LENGTH = 32  # SigNoz stores trace ids as FixedString(32): 16 bytes in hex


class BadSpan(ValueError):
    """A span that cannot be loaded; the message says why (the caller adds file and line)."""

_KINDS = tuple(name for name, _ in KINDS)  # OTLP enum order
_STATUSES = tuple(name for name, _ in STATUSES)


def read_spans(path: str | Path) -> list[Span]:
    """Every span in the file, normalised, each (trace id, span id) once."""
    path = Path(path)
    text = _read_text(path)
    spans: dict[tuple[str, str], Span] = {}
    for line, document in _documents(path, text):
        try:
            for span in _spans_in(document):
                spans.setdefault((span["trace_id"], span["span_id"]), span)
        except BadSpan as exc:
            raise InputError(f"{Location(path, line)}: {exc}") from None
        except (KeyError, TypeError, AttributeError, ValueError) as exc:  # a shape no reader above knows
            raise InputError(f"{Location(path, line)}: unreadable span data ({type(exc).__name__}: {exc})") from None
    if not spans:
        raise InputError(
            f"{path}: no spans found (expected OTLP JSON, the OpenTelemetry console exporter's output, "
            "or signoz-dac's span captures)"
        )
    return sorted(spans.values(), key=lambda s: (s["start_ns"], s["span_id"]))


def spans_from_document(document: Any) -> list[Span]:
    """The spans in an already parsed JSON document (any of the shapes above), normalised."""
    return list(_spans_in(document))


def bulk_format(path: str | Path) -> str | None:
    """The format ClickHouse can load the file in by itself (ingest.py), judged by its first line:
    SPAN_LINES (JSON lines of normalised spans: our captures and samples), OTLP_LINES (one OTLP request
    per line, as the Collector's file exporter writes), or None: read it with `read_spans`."""
    try:
        with open(path, "rb") as raw:
            head = raw.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rt", encoding="utf-8") as f:
            first = json.loads(f.readline())
    except (OSError, EOFError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(first, dict):
        return None
    if {"trace_id", "span_id", "start_ns", "end_ns", "name"} <= first.keys():
        return SPAN_LINES
    batches = first.get("resourceSpans")
    if isinstance(batches, list) and all(isinstance(b, dict) and "instrumentationLibrarySpans" not in b for b in batches):
        return OTLP_LINES  # (the old `instrumentationLibrarySpans` name is read by read_spans)
    return None


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: broken gzip file: {exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None


def _documents(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """The JSON values in the text, one after another, each with the line it starts on: a single
    document, JSON lines, or the console exporter's concatenated objects all read the same way."""
    decoder = json.JSONDecoder()
    pos, end = 0, len(text)
    line, counted = 1, 0
    while True:
        while pos < end and text[pos] in " \t\r\n":
            pos += 1
        if pos >= end:
            return
        line += text.count("\n", counted, pos)
        counted = pos
        try:
            value, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise InputError(f"{Location(path, exc.lineno)}: invalid JSON (column {exc.colno}): {exc.msg}") from None
        yield line, value


def first_bad_line(path: str | Path, file_format: str) -> str | None:
    """Where a file that ClickHouse loaded in `file_format` (judged by its first line) breaks it:
    `file:line: why` for the first line that is not a span of that format, or holds a span that
    cannot be loaded (no ids, times not in nanoseconds); None when every line is fine. Read line by
    line, for the error message only."""
    path = Path(path)
    with open(path, "rb") as raw:
        gzipped = raw.read(2) == b"\x1f\x8b"
    try:
        with (gzip.open if gzipped else open)(path, "rt", encoding="utf-8") as lines:
            for number, text in enumerate(lines, 1):
                if not text.strip():
                    continue
                try:
                    document = json.loads(text)
                except ValueError as exc:
                    return f"{Location(path, number)}: invalid JSON: {exc}"
                if file_format == SPAN_LINES:
                    if not isinstance(document, dict) or not {"trace_id", "span_id", "start_ns", "end_ns", "name"} <= document.keys():
                        return (f"{Location(path, number)}: not a span in the format of line 1 (a JSON line with "
                                "trace_id, span_id, start_ns, end_ns and name)")
                elif not isinstance(document, dict) or not isinstance(document.get("resourceSpans"), list):
                    return f"{Location(path, number)}: not an OTLP request like line 1 (a JSON line with resourceSpans)"
                try:
                    for _ in _spans_in(document):
                        pass
                except BadSpan as exc:
                    return f"{Location(path, number)}: {exc}"
                except (KeyError, TypeError, AttributeError, ValueError) as exc:
                    return f"{Location(path, number)}: unreadable span data ({type(exc).__name__}: {exc})"
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        return f"{path}: cannot read: {exc}"
    return None


def _spans_in(node: Any, resource: dict[str, Any] | None = None, scope: dict[str, str] | None = None) -> Iterator[Span]:
    """Walk a document: OTLP requests carry resource and scope above the spans; elsewhere each span
    object carries its own."""
    if isinstance(node, list):
        for item in node:
            yield from _spans_in(item, resource, scope)
        return
    if not isinstance(node, dict):
        return
    if "resourceSpans" in node or "resource_spans" in node:
        for rs in node.get("resourceSpans") or node.get("resource_spans") or []:
            res = _attributes((rs.get("resource") or {}).get("attributes"))
            for ss in rs.get("scopeSpans") or rs.get("scope_spans") or rs.get("instrumentationLibrarySpans") or []:
                sc = ss.get("scope") or ss.get("instrumentationLibrary") or {}
                for span in ss.get("spans") or []:
                    yield _normalise(span, res, {"name": sc.get("name", ""), "version": sc.get("version", "")})
        return
    if _looks_like_span(node):
        yield _normalise(node, resource, scope)
        return
    for value in node.values():
        if isinstance(value, (dict, list)):
            yield from _spans_in(value, resource, scope)


def _looks_like_span(node: dict[str, Any]) -> bool:
    has_id = any(k in node for k in ("span_id", "spanId")) or isinstance(node.get("context"), dict)
    has_time = any(k in node for k in ("start_ns", "start_time_unix_nano", "startTimeUnixNano", "start_time"))
    return has_id and has_time and isinstance(node.get("name"), str)


def _hex(value: Any) -> str:
    text = str(value or "")
    return text[2:] if text.lower().startswith("0x") else text


def _nanos(value: Any) -> int:
    """Nanoseconds from an integer, its decimal text (OTLP JSON), or ISO-8601 text (console exporter,
    UTC unless it names its offset)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    text = str(value).strip()
    if text.removeprefix("-").isdigit():
        return int(text)
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadSpan(f"{text[:60]!r} is not a time (nanoseconds since 1970, or ISO-8601 text)") from None
    whole = int(stamp.replace(tzinfo=stamp.tzinfo or UTC).timestamp())
    return whole * 1_000_000_000 + stamp.microsecond * 1_000


def _enum(value: Any, names: tuple[str, ...], prefix: str) -> str:
    """An OTLP enum as its full name: from an int, `SPAN_KIND_CLIENT`, `SpanKind.CLIENT` or `CLIENT`."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return prefix + names[value]
    text = str(value or names[0]).upper().rsplit(".", 1)[-1]
    text = text.removeprefix(prefix)
    return prefix + (text if text in names else names[0])


def _any_value(value: Any) -> Any:
    """An OTLP AnyValue (`{"stringValue": ...}`) as a plain value; plain values pass through."""
    if not isinstance(value, dict):
        return value
    for key in ("stringValue", "string_value"):
        if key in value:
            return value[key]
    for key in ("boolValue", "bool_value"):
        if key in value:
            return bool(value[key])
    for key in ("intValue", "int_value"):
        if key in value:
            try:
                return int(value[key])
            except (TypeError, ValueError):
                raise BadSpan(f"intValue {value[key]!r} is not an integer") from None
    for key in ("doubleValue", "double_value"):
        if key in value:
            try:
                return float(value[key])
            except (TypeError, ValueError):
                raise BadSpan(f"doubleValue {value[key]!r} is not a number") from None
    for key in ("arrayValue", "array_value"):
        if key in value:
            return [_any_value(v) for v in (value[key] or {}).get("values", [])]
    for key in ("kvlistValue", "kvlist_value"):
        if key in value:
            return {kv["key"]: _any_value(kv.get("value")) for kv in (value[key] or {}).get("values", [])}
    if "bytesValue" in value:
        return value["bytesValue"]
    return value


def _attributes(attrs: Any) -> dict[str, Any]:
    """Attributes as a dict: OTLP's `[{"key", "value": AnyValue}]` list, or already a dict."""
    if isinstance(attrs, list):
        return {a["key"]: _any_value(a.get("value")) for a in attrs if isinstance(a, dict) and "key" in a}
    if isinstance(attrs, dict):
        return {str(k): v for k, v in attrs.items() if v is not None}
    return {}


def _status(span: dict[str, Any]) -> tuple[str, str]:
    status = span.get("status")
    if isinstance(status, dict):
        code = status.get("code", status.get("status_code"))
        message = status.get("message") or status.get("description") or ""
    else:
        code, message = span.get("status_code"), span.get("status_message") or ""
    return _enum(code, _STATUSES, "STATUS_CODE_"), str(message)


def _normalise(span: dict[str, Any], resource: dict[str, Any] | None, scope: dict[str, str] | None) -> Span:
    context = span.get("context")
    context = context if isinstance(context, dict) else {}
    own_resource = span.get("resource")
    if isinstance(own_resource, dict) and "attributes" in own_resource:
        own_resource = _attributes(own_resource["attributes"])
    own_scope = span.get("scope") or span.get("instrumentation_scope")
    if isinstance(own_scope, str):
        own_scope = {"name": own_scope, "version": ""}
    start = _nanos(_first(span, "start_ns", "start_time_unix_nano", "startTimeUnixNano", "start_time"))
    end_raw = _first(span, "end_ns", "end_time_unix_nano", "endTimeUnixNano", "end_time")
    status_code, status_message = _status(span)
    normalised = {
        "trace_id": _hex(_first(span, "trace_id", "traceId") or context.get("trace_id")),
        "span_id": _hex(_first(span, "span_id", "spanId") or context.get("span_id")),
        "parent_span_id": _hex(_first(span, "parent_span_id", "parentSpanId", "parent_id")),
        "name": span["name"],
        "kind": _enum(span.get("kind"), _KINDS, "SPAN_KIND_"),
        "status_code": status_code,
        "status_message": status_message,
        "start_ns": start,
        "end_ns": _nanos(end_raw) if end_raw is not None else start,
        "attributes": _attributes(span.get("attributes")),
        "resource": _attributes(own_resource) if own_resource is not None else dict(resource or {}),
        "scope": {"name": (own_scope or scope or {}).get("name", "") or "", "version": (own_scope or scope or {}).get("version", "") or ""},
        "events": [
            {
                "name": e.get("name", ""),
                "time_ns": _nanos(_first(e, "time_ns", "timeUnixNano", "time_unix_nano", "timestamp") or 0),
                "attributes": _attributes(e.get("attributes")),
            }
            for e in span.get("events") or []
            if isinstance(e, dict)
        ],
    }
    _check(normalised)
    return normalised


def _check(span: Span) -> None:
    """Refuse what SigNoz's tables cannot hold or the preview would misread: a span without ids
    (spans are told apart by them), or with times that are not nanoseconds since 1970."""
    name = span["name"][:60]
    for key, what in (("trace_id", "trace id"), ("span_id", "span id")):
        if not span[key]:
            raise BadSpan(f"span {name!r} has no {what}")
        if len(span[key]) > MAX_ID_LENGTH:
            raise BadSpan(f"span {name!r}: its {what} has {len(span[key])} characters; OTLP ids are at most 32 hex digits")
    try:
        json.dumps(span, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:  # JSON's "\ud800" escape without its pair
        raise BadSpan(f"span {name!r} holds text that is not Unicode ({exc.object[exc.start:exc.end]!r}, half of a "
                      "UTF-16 surrogate pair)") from None
    for key in ("start_ns", "end_ns"):
        if span[key] < EARLIEST_NS:
            raise BadSpan(f"span {name!r}: {key.split('_')[0]} time {span[key]} is before 1973 in nanoseconds; "
                          "OTLP times are nanoseconds since 1970 (these look like seconds, milliseconds or microseconds)")


def _first(node: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        if node.get(key) is not None:
            return node[key]
    return None
