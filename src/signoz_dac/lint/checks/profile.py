"""Span names and attributes that the selected telemetry profile does not emit.

A query on a name the framework never sends is an empty panel that looks like "no traffic". The
catalog lists what the framework emits, from spans captured from the real thing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from signoz_dac.lint.catalog import Catalog
from signoz_dac.lint.checks.fields import is_resource_key
from signoz_dac.lint.checks.units import field_unit
from signoz_dac.lint.context import LintContext
from signoz_dac.lint.intrinsics import SPAN_FIELDS
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.expressions.aggregation import Aggregation
from signoz_dac.signoz.expressions.filter import Filter, Key, make_key
from signoz_dac.signoz.reading import QueryAt, join

if TYPE_CHECKING:
    from signoz_dac.profiles.model import Measure

SPAN_NAME = check("profile-span-name", "error", "Span names queried (name = '...', name IN (...)) must be ones the profile emits.")
ATTRIBUTE = check("profile-attribute", "warning", "Span attributes queried must be ones the profile's spans emit.")

_SQL_NAME_EQ = re.compile(r"(?<![.\w])name\s*=\s*'((?:[^'\\]|\\.)*)'")
_SQL_NAME_IN = re.compile(r"(?<![.\w])name\s+IN\s*\(([^)]*)\)", re.I)
_SQL_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'")
_SQL_ATTR = re.compile(r"\battributes_(?:string|number|bool)\s*\[\s*'([^']+)'\s*\]")
_SQL_TRACES = re.compile(r"\b(?:distributed_)?signoz_index_v3\b")

# Contexts that are not span attributes: checked elsewhere or not at all.
_NOT_ATTRIBUTE_CONTEXTS = {"resource", "scope", "span", "trace", "log", "event", "body", "metric"}


def _span_names(flt: Filter) -> list[tuple[str, int]]:
    """(span name, column) for `name = '...'` and `name IN (...)` conditions."""
    out: list[tuple[str, int]] = []
    for cmp in flt.comparisons():
        if cmp.key.name == "name" and cmp.key.context in (None, "span") and not cmp.negated and cmp.op in ("=", "IN"):
            out.extend((v.text, v.column) for v in cmp.values if v.kind == "string")
    return out


def _hint(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _attribute_hint(name: str, queried: set[str], catalog: Catalog) -> str:
    """The catalog attribute `name` most likely meant: the closest on the queried spans, else on
    any span; by the whole name, else by the dotted part that is misspelt (`stt.provder` →
    `gen_ai.provider.name`). A suggestion from other spans says which spans have it."""
    every = catalog.attributes()
    close = difflib.get_close_matches(name, sorted(queried), n=1) or difflib.get_close_matches(name, sorted(every), n=1)
    if not close:
        parts = {part for attribute in every for part in attribute.split(".")}
        for part in name.split("."):
            near = [] if part in parts else difflib.get_close_matches(part, sorted(parts), n=1, cutoff=0.8)
            if near:  # the misspelt part: of the attributes that have it spelt right, the closest
                close = difflib.get_close_matches(name, sorted(a for a in every if near[0] in a.split(".")), n=1, cutoff=0)
                break
    if not close:
        return ""
    if close[0] in queried:
        return f"; did you mean {close[0]!r}?"
    spans = sorted(span for span, attributes in catalog.spans.items() if close[0] in attributes)
    return f"; did you mean {close[0]!r} (on span(s) {', '.join(spans)})?"


def _emitter(catalog: Catalog) -> str:
    return f"profile {catalog.profile}" + (f" ({catalog.version})" if catalog.version else "")


def _attribute_keys(ctx: LintContext, query: QueryAt, flt: Filter | None) -> Iterator[tuple[Key, str]]:
    """Attribute-looking keys a builder query reads, with the path each came from."""
    if flt is not None:
        found = query.filter
        assert found is not None
        for key in flt.keys():
            yield key, found[1]
    for text, path, _entry in query.expression_aggregations:
        parsed = ctx.aggregation(text)
        for call in parsed.calls if isinstance(parsed, Aggregation) else ():
            for field in call.fields:
                yield make_key(field, 1), path
            if call.predicate is not None:
                for key in call.predicate.keys():
                    yield key, path
    for field in ("groupBy", "selectFields"):
        for i, item in enumerate(query.keys(field)):
            name = item.name if item is not None else ""
            context = (item.fieldContext if item is not None else "") or None
            if name:
                key = make_key(name, 1)
                yield Key(name, key.name, context or key.context, None, 1), join(join(query.path, field), i)


def _is_attribute(key: Key, catalog: Catalog) -> bool:
    if key.context in _NOT_ATTRIBUTE_CONTEXTS or key.text.startswith("$"):
        return False
    if key.name in SPAN_FIELDS:
        return False
    return not is_resource_key(key.name, set(catalog.resource))  # wrong contexts are field-context-resource's job


def _builder_hits(ctx: LintContext, catalog: Catalog, query: QueryAt) -> Iterator[Hit]:
    where = query.where
    found = query.filter
    parsed = ctx.filter(found[0]) if found else None
    flt = parsed if isinstance(parsed, Filter) else None
    names: set[str] = set()
    if flt is not None and found is not None:
        for span, column in _span_names(flt):
            if span in catalog.spans:
                names.add(span)
            else:
                yield Hit(
                    SPAN_NAME,
                    found[1],
                    f"span {span!r} (column {column}) is not emitted by {_emitter(catalog)}{_hint(span, catalog.spans.keys())}",
                    subject=where,
                )
    known = catalog.attributes(names or None)
    scope = f"span(s) {', '.join(sorted(names))}" if names else "any span"
    seen: set[str] = set()
    for key, path in _attribute_keys(ctx, query, flt):
        if key.name in seen or not _is_attribute(key, catalog) or key.name in known:
            continue
        seen.add(key.name)
        yield Hit(
            ATTRIBUTE,
            path,
            f"attribute {key.name!r} is not on {scope} of {_emitter(catalog)}{_attribute_hint(key.name, known, catalog)}",
            subject=where,
        )


def _sql_hits(catalog: Catalog, sql: str, path: str, where: str) -> Iterator[Hit]:
    if not _SQL_TRACES.search(sql):
        return
    spans = [m.group(1) for m in _SQL_NAME_EQ.finditer(sql)]
    for m in _SQL_NAME_IN.finditer(sql):
        spans.extend(_SQL_STRING.findall(m.group(1)))
    for span in dict.fromkeys(spans):
        if span not in catalog.spans:
            yield Hit(SPAN_NAME, path, f"span {span!r} is not emitted by {_emitter(catalog)}{_hint(span, catalog.spans.keys())}",
                      subject=where)
    known = catalog.attributes()
    for attr in dict.fromkeys(_SQL_ATTR.findall(sql)):
        if attr not in known:
            yield Hit(ATTRIBUTE, path, f"attribute {attr!r} is not on any span of {_emitter(catalog)}{_attribute_hint(attr, known, catalog)}",
                      subject=where)


@finds(SPAN_NAME, ATTRIBUTE)
def check_profile(ctx: LintContext) -> Iterator[Hit]:
    catalog = ctx.catalog
    if catalog is None:
        return
    for query in ctx.queries:
        if query.type in ("builder_query", "builder_trace_operator") and query.signal == "traces":
            yield from _builder_hits(ctx, catalog, query)
        elif query.type == "clickhouse_sql":
            where = query.where
            yield from _sql_hits(catalog, query.text, join(query.path, "query"), where)
    for var in ctx.variables:
        if var.plugin_kind == "signoz/QueryVariable":
            path = join(join(join(var.path, "plugin"), "spec"), "queryValue")
            yield from _sql_hits(catalog, var.sql, path, f"variable {var.name}")


LATENCY_MEASURE = check(
    "profile-latency-measure",
    "warning",
    "A panel titled as a latency must aggregate the profile's latency attribute, not a span's length (which includes playout).",
)

_LATENCY_TITLE = re.compile(r"latency|\bttf[bt]\b|time to first|response time|\bdelay\b", re.I)


def _latency_measures(catalog: Catalog) -> list[Measure]:
    """The latencies the catalog's profile measures with an attribute, each on its own span; none
    for a catalog of no known profile."""
    from signoz_dac.profiles import PROFILES  # lazy: keeps `lint` importable on its own

    profile = PROFILES.get(catalog.profile)
    if profile is None:
        return []
    measures = [profile.turn_latency, *profile.component_latency.values()]
    return [m for m in measures if m is not None]


@finds(LATENCY_MEASURE)
def check_latency_measure(ctx: LintContext) -> Iterator[Hit]:
    """`p95(duration_nano)` of LiveKit's `agent_turn`, or `avg(turn.duration_seconds)` of Pipecat's
    `turn`, under a latency title: the span lasts through the reply's playout (and, for Pipecat, the
    user's speech), so the chart reads seconds too high. The frameworks record the latency itself
    as an attribute of that span."""
    catalog = ctx.catalog
    measures = _latency_measures(catalog) if catalog is not None else []
    if catalog is None or not measures:
        return
    for panel in ctx.panels:
        if not _LATENCY_TITLE.search(panel.title or ""):
            continue
        for query in panel.queries:
            flt = ctx.parsed_filter(query)
            if query.type != "builder_query" or query.signal != "traces" or query.disabled or flt is None:
                continue
            spans = {span for span, _column in _span_names(flt)}
            for text, path, _entry in query.expression_aggregations:
                parsed = ctx.aggregation(text)
                for call in parsed.calls if isinstance(parsed, Aggregation) else ():
                    for field in call.fields:
                        name = make_key(field, 1).name
                        if name not in ("duration_nano", "durationNano") and field_unit(name) is None:
                            continue  # not a length of time
                        # The spans the filter names, else the ones that carry the attribute.
                        on = spans or {span for span, attributes in catalog.spans.items() if name in attributes}
                        for m in measures:
                            if m.span in on and name != m.attribute:
                                yield Hit(
                                    LATENCY_MEASURE,
                                    path,
                                    f"the title says latency, but {call.function.name}({field}) on span {m.span!r} is "
                                    f"not the latency: {m.note} Aggregate {m.attribute} ({m.unit}) instead",
                                    subject=query.where,
                                )
