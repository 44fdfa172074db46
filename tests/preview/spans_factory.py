"""Hand-made spans with known values, for the evaluator's semantics tests."""

from __future__ import annotations

from typing import Any

T0 = 1_700_000_040  # epoch seconds, a whole minute (and a multiple of 5 and 60)
NS = 1_000_000_000


def span(name: str, at: float, *, service: str = "api", attrs: dict[str, Any] | None = None, error: bool = False,
         duration: float = 1.0, trace: str = "a" * 32, span_id: str | None = None, parent: str = "f" * 16,
         language: str | None = None) -> dict[str, Any]:
    """A normalised span starting `at` seconds after T0."""
    start = int((T0 + at) * NS)
    resource = {"service.name": service, "telemetry.sdk.language": language or ("go" if service == "web" else "python")}
    return {
        "trace_id": trace, "span_id": span_id or f"{abs(hash((name, at, service))) % 16**16:016x}",
        "parent_span_id": parent, "name": name, "kind": "SPAN_KIND_INTERNAL",
        "status_code": "STATUS_CODE_ERROR" if error else "STATUS_CODE_UNSET", "status_message": "boom" if error else "",
        "start_ns": start, "end_ns": start + int(duration * NS), "attributes": dict(attrs or {}), "resource": resource,
        "scope": {"name": "test", "version": ""}, "events": [],
    }


def dataset() -> list[dict[str, Any]]:
    """llm calls over three minutes in two services, turns with an attribute of two types, a root span."""
    return [
        span("llm", 0, attrs={"tokens": 10, "model": "m1", "latency": 0.1}, span_id="0000000000000001"),
        span("llm", 10, attrs={"tokens": 20, "model": "m1", "latency": 0.2}, error=True, span_id="0000000000000002"),
        span("llm", 65, attrs={"tokens": 30, "model": "m2", "latency": 0.3}, span_id="0000000000000003"),
        span("llm", 70, service="web", attrs={"tokens": 40, "model": "m2", "latency": 0.4}, span_id="0000000000000004"),
        span("llm", 130, service="web", attrs={"model": "m1"}, span_id="0000000000000005"),
        span("turn", 5, attrs={"n": 1}, span_id="0000000000000006"),
        span("turn", 66, service="web", attrs={"n": "x"}, span_id="0000000000000007"),
        span("turn", 200, parent="", attrs={}, span_id="0000000000000008", duration=30),
        span("other", 300, service="web", attrs={"flag": True, "note": "Hello World"}, span_id="0000000000000009"),
    ]
