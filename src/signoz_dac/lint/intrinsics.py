"""Span fields that every span has (tracestelemetryschema/const.go): never attributes, so never in a profile catalog."""

from __future__ import annotations

INTRINSIC = frozenset(
    {
        "trace_id", "span_id", "trace_state", "parent_span_id", "flags", "name", "kind_string",
        "duration_nano", "status_code", "status_message", "status_code_string",
    }
)  # fmt: skip
CALCULATED = frozenset(
    {
        "response_status_code", "external_http_url", "http_url", "external_http_method", "http_method",
        "http_host", "db_name", "db_operation", "has_error", "is_remote",
    }
)  # fmt: skip
DEPRECATED_ALIASES = frozenset(
    {
        "traceID", "spanID", "parentSpanID", "spanKind", "durationNano", "statusCode", "statusMessage",
        "statusCodeString", "kind", "timestamp", "responseStatusCode", "externalHttpUrl", "httpUrl",
        "externalHttpMethod", "httpMethod", "httpHost", "dbName", "dbOperation", "hasError", "isRemote",
        "serviceName", "httpRoute", "msgSystem", "msgOperation", "dbSystem", "rpcSystem", "rpcService",
        "rpcMethod", "peerService",
    }
)  # fmt: skip
PSEUDO = frozenset({"isRoot", "isEntryPoint"})

SPAN_FIELDS = INTRINSIC | CALCULATED | DEPRECATED_ALIASES | PSEUDO
