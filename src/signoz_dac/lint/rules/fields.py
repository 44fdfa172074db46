"""Resource attributes grouped or selected without `fieldContext: "resource"`.

SigNoz silently drops a `service.name` grouping sent with the `attribute` context (contract §3.9),
so a per-service chart shows one merged series with nothing to say why.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from signoz_dac.profiles.fields import is_resource_attribute

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.dashboard import as_dict, as_list, as_str, join
from signoz_dac.lint.registry import Hit, check, rule

RESOURCE_CONTEXT = rule(
    "field-context-resource",
    "error",
    'Resource keys (service.*, telemetry.sdk.*, deployment.*, host.*, k8s.*, ...) in groupBy/selectFields need fieldContext "resource".',
)

def is_resource_key(name: str, extra: set[str] | frozenset[str] = frozenset()) -> bool:
    return name in extra or is_resource_attribute(name)


def _field_lists(ctx: LintContext) -> Iterator[tuple[str, list[Any], str, str]]:
    """(path of the list, the list, signal, where) for groupBy and selectFields."""
    for query in ctx.queries:
        if query.type not in ("builder_query", "builder_trace_operator"):
            continue
        where = f"{query.panel.label}, query {query.name or '?'}"
        for field in ("groupBy", "selectFields"):
            yield join(query.path, field), as_list(query.spec.get(field)), query.signal, f"{where} {field}"
    for panel in ctx.panels:
        fields = as_list(panel.plugin_spec.get("selectFields"))
        if fields:
            signal = next((q.signal for q in panel.queries if q.signal), "")
            yield join(panel.plugin_path, "selectFields"), fields, signal, f"{panel.label} selectFields"


@check(RESOURCE_CONTEXT)
def check_resource_context(ctx: LintContext) -> Iterator[Hit]:
    extra = set(ctx.catalog.resource) if ctx.catalog else set()
    for path, fields, signal, where in _field_lists(ctx):
        if signal == "metrics":
            continue  # metric labels carry no field context
        for i, key in enumerate(fields):
            key = as_dict(key)
            name = as_str(key.get("name"))
            context = as_str(key.get("fieldContext"))
            if not name or name.startswith("resource.") or not is_resource_key(name, extra) or context == "resource":
                continue
            sent = f'"{context}"' if context else "no fieldContext"
            yield Hit(
                RESOURCE_CONTEXT,
                join(join(path, i), "fieldContext"),
                f'{where}: {name} is a resource attribute but is sent with {sent}; SigNoz drops such a grouping '
                f'silently. Set fieldContext: "resource"',
            )
