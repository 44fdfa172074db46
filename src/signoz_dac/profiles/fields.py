"""Which attribute keys are resource attributes: they need `fieldContext: resource` when grouped,
and they exist on every signal (traces, logs, metrics) of a service."""

from __future__ import annotations

# OpenTelemetry resource semantic-convention namespaces.
RESOURCE_PREFIXES = (
    "service.", "telemetry.sdk.", "telemetry.distro.", "telemetry.auto.", "deployment.", "host.", "k8s.", "cloud.",
    "container.", "process.", "os.", "faas.", "device.", "webengine.",
)


def is_resource_attribute(key: str) -> bool:
    return key.startswith(RESOURCE_PREFIXES)


# Resource attributes SigNoz's trace table (signoz_traces.signoz_index_v3) also keeps in a materialized
# column:
# filtering on the column reads one narrow column instead of the whole resources map.
MATERIALIZED_TRACE_COLUMNS = {"service.name": "serviceName"}
