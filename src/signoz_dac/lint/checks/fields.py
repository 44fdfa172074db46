"""Resource attributes grouped or selected with another explicit `fieldContext`.

SigNoz silently drops a `service.name` grouping sent with the `attribute` context, so a
per-service chart shows one merged series with nothing to say why. An empty `fieldContext` is
fine: the server resolves the key from its metadata, to the resource attribute.
"""

from __future__ import annotations

from collections.abc import Iterator
from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.profiles.fields import is_resource_attribute
from signoz_dac.signoz.reading import join
from signoz_dac.signoz.v6.queries import FieldKey

RESOURCE_CONTEXT = check(
    "field-context-resource",
    "error",
    'Resource keys (service.*, telemetry.sdk.*, the profile\'s) in groupBy/selectFields must not carry another fieldContext.',
)

# Keys that only ever exist as resource attributes. Other resource conventions (host.*, k8s.*, ...)
# also appear as span or log attributes in real data, so an explicit context on them may be right.
_ALWAYS_RESOURCE = ("service.", "telemetry.sdk.")


def is_resource_key(name: str, extra: set[str] | frozenset[str] = frozenset()) -> bool:
    return name in extra or is_resource_attribute(name)


def _field_lists(ctx: LintContext) -> Iterator[tuple[str, list[FieldKey | None], str, str]]:
    """(path of the list, the list, signal, where) for groupBy and selectFields."""
    for query in ctx.queries:
        if query.type not in ("builder_query", "builder_trace_operator"):
            continue
        where = query.where
        for field in ("groupBy", "selectFields"):
            yield join(query.path, field), query.keys(field), query.signal, f"{where} {field}"
    for panel in ctx.panels:
        fields = panel.select_fields
        if fields:
            signal = next((q.signal for q in panel.queries if q.signal), "")
            yield join(panel.plugin_path, "selectFields"), fields, signal, f"{panel.label} selectFields"


@finds(RESOURCE_CONTEXT)
def check_resource_context(ctx: LintContext) -> Iterator[Hit]:
    extra = set(ctx.catalog.resource) if ctx.catalog else set()
    for path, fields, signal, where in _field_lists(ctx):
        if signal == "metrics":
            continue  # metric labels carry no field context
        for i, key in enumerate(fields):
            if key is None:
                continue
            name, context = key.name, key.fieldContext
            if context in ("", "resource") or not (name.startswith(_ALWAYS_RESOURCE) or name in extra):
                continue
            yield Hit(
                RESOURCE_CONTEXT,
                join(join(path, i), "fieldContext"),
                f'{where}: {name} is a resource attribute but is sent with fieldContext "{context}"; SigNoz drops '
                'such a grouping silently. Set fieldContext: "resource", or leave it empty for SigNoz to resolve',
            )
