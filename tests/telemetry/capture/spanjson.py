"""Turn finished OpenTelemetry SDK spans into the project's normalised span JSON.

Imported by the scenario scripts, which run inside each framework's own virtualenv: it needs only
the OpenTelemetry SDK objects it is given, nothing from signoz_dac. The shape mirrors what SigNoz's
exporter receives over OTLP (hex ids, enum names, nanosecond times, typed attribute values).
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version
from typing import Any

# Long content attributes (prompts, tool schemas, stack traces) make fixtures large and say nothing
# about names or types; cut them but keep the key and its string type.
MAX_STRING = 64


def _value(v: Any) -> Any:
    if isinstance(v, tuple):
        v = list(v)
    if isinstance(v, list):
        return [_value(x) for x in v]
    if isinstance(v, str) and len(v) > MAX_STRING:
        return v[:MAX_STRING] + "…"
    return v


def _attributes(attrs: Any) -> dict[str, Any]:
    return {k: _value(v) for k, v in dict(attrs or {}).items()}


def span_to_dict(span: Any) -> dict[str, Any]:
    scope = span.instrumentation_scope
    return {
        "trace_id": format(span.context.trace_id, "032x"),
        "span_id": format(span.context.span_id, "016x"),
        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else "",
        "name": span.name,
        "kind": f"SPAN_KIND_{span.kind.name}",
        "status_code": f"STATUS_CODE_{span.status.status_code.name}",
        "status_message": _value(span.status.description or ""),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "attributes": _attributes(span.attributes),
        "resource": _attributes(span.resource.attributes),
        "scope": {"name": scope.name if scope else "", "version": (scope.version or "") if scope else ""},
        "events": [
            {"name": e.name, "time_ns": e.timestamp, "attributes": _attributes(e.attributes)}
            for e in span.events
        ],
    }


def spans_to_dicts(spans: Any) -> list[dict[str, Any]]:
    return sorted((span_to_dict(s) for s in spans), key=lambda d: (d["start_ns"], d["span_id"]))


def write_capture(out: str, framework: str, spans: list[dict[str, Any]], scenarios: dict[str, str], began: float) -> None:
    """Write one capture file (the format the fixtures and catalogs use) and say what it holds."""
    result = {
        "framework": framework,
        "version": version(framework),
        "captured_with": {
            "python": sys.version.split()[0],
            "opentelemetry-sdk": version("opentelemetry-sdk"),
            "wall_seconds": round(time.time() - began, 1),
        },
        "spans": spans,
        "scenarios": scenarios,
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"{framework} {result['version']}: {len(spans)} spans, {len(scenarios)} conversations -> {out}")
