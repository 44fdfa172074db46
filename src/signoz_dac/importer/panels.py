"""A SigNoz panel → a generic panel (`query`, `sql` or `promql`), the inverse of the panel templates."""

from __future__ import annotations

from typing import Any

from signoz_dac.definitions.generic.panels import (
    PLUGINS,
    REQUEST_TYPE,
    GenericPanel,
    GridSize,
    Position,
    PromqlPanel,
    QueryPanel,
    SqlPanel,
    default_size,
)
from signoz_dac.definitions.generic.queries import ENTRY_TYPES, ENVELOPE_TYPES, PLUGIN_KINDS
from signoz_dac.definitions.generic.style import OMIT
from signoz_dac.importer.errors import fail
from signoz_dac.importer.reader import Reader, join, same

KINDS = {plugin: kind for kind, plugin in PLUGINS.items()}
# The entry kind of a composite envelope `type`, and of a lone query plugin.
BY_ENVELOPE = {envelope: tag for tag, envelope in ENVELOPE_TYPES.items() if tag != "metrics"}
BY_PLUGIN = {plugin: tag for tag, plugin in PLUGIN_KINDS.items() if tag != "metrics"}
COMPOSITE = "signoz/CompositeQuery"
# Objects on the way to panel options that the templates always write (the plugin and its spec),
# or that SigNoz fills in when empty (visualization, formatting): never lost when empty.
WRITTEN = frozenset({"plugin", "plugin.spec", "plugin.spec.visualization", "plugin.spec.formatting"})


def read_panel(reader: Reader, key: str, panel: Any, path: str, place: dict[str, int] | None) -> GenericPanel:
    """The panel at `spec.panels.<key>`; `place` is its grid item (x, y, width, height), if placed."""
    if not isinstance(panel, dict) or not isinstance(panel.get("spec"), dict):
        raise fail(path, "must be an object with a `spec`")
    unknown = set(panel) - {"kind", "spec"}
    if unknown:
        raise fail(join(path, sorted(unknown)[0]), "is not a field of a panel")
    if panel.get("kind") != "Panel":
        raise fail(join(path, "kind"), f'must be "Panel", got {panel.get("kind")!r}')
    spec = panel["spec"]
    path = join(path, "spec")
    plugin = spec.get("plugin")
    if not isinstance(plugin, dict) or plugin.get("kind") not in KINDS:
        raise fail(join(path, "plugin.kind"), f"must be one of: {', '.join(KINDS)}")
    kind = KINDS[plugin["kind"]]
    given: dict[str, Any] = {"kind": kind, "id": key}
    entries, query_options = _read_query(reader, spec.get("queries"), join(path, "queries"), kind)
    given.update(query_options)
    if place is not None:
        if (place["width"], place["height"]) != default_size(kind):
            given["size"] = GridSize(width=place["width"], height=place["height"])
        given["position"] = Position(x=place["x"], y=place["y"])
    cls, source = _panel_type(entries, given.get("composite"))
    given.update(source)
    return reader.model(
        cls, spec, path, ("panel", kind), given=given, handled=frozenset({"plugin.kind", "queries"}),
        written=WRITTEN,
    )


def _read_query(reader: Reader, queries: Any, path: str, kind: str) -> tuple[list[Any], dict[str, Any]]:
    """The panel's entries, and the options of its query envelope (request type, name, composite)."""
    if not isinstance(queries, list) or len(queries) != 1:
        raise fail(path, f"SigNoz needs exactly one query per panel, found {len(queries) if isinstance(queries, list) else queries!r}")
    query = queries[0]
    path = join(path, 0)
    if not isinstance(query, dict) or not isinstance(query.get("spec"), dict):
        raise fail(path, "must be an object with `kind` and `spec`")
    for extra in sorted(set(query) - {"kind", "spec"}):
        raise fail(join(path, extra), "is not a field of a panel query")
    spec = query["spec"]
    for extra in sorted(set(spec) - {"name", "plugin"}):
        raise fail(join(path, f"spec.{extra}"), "is not a field of a panel query")
    options: dict[str, Any] = {}
    if query.get("kind") != REQUEST_TYPE[kind]:
        options["request_type"] = query.get("kind")
    default = reader.default(GenericPanel, "query_name", ("panel", kind))
    if "name" not in spec:
        if default is not OMIT:
            options["omit"] = ["query_name"]
    elif not same(spec["name"], default):
        options["query_name"] = spec["name"]
    plugin = spec.get("plugin")
    plugin_path = join(path, "spec.plugin")
    if not isinstance(plugin, dict) or not isinstance(plugin.get("spec"), dict):
        raise fail(plugin_path, "must be an object with `kind` and `spec`")
    for extra in sorted(set(plugin) - {"kind", "spec"}):
        raise fail(join(plugin_path, extra), "is not a field of a query plugin")
    if plugin.get("kind") == COMPOSITE:
        inner = plugin["spec"]
        for extra in sorted(set(inner) - {"queries"}):
            raise fail(join(plugin_path, f"spec.{extra}"), "is not a field of a composite query")
        envelopes = inner.get("queries")
        if not isinstance(envelopes, list) or not envelopes:
            raise fail(join(plugin_path, "spec.queries"), "a composite query needs a list of queries")
        entries = [_read_envelope(reader, env, join(plugin_path, f"spec.queries[{i}]")) for i, env in enumerate(envelopes)]
        if len(entries) == 1:
            options["composite"] = True
        return entries, options
    tag = BY_PLUGIN.get(plugin.get("kind"))  # type: ignore[arg-type]
    if tag is None:
        raise fail(join(plugin_path, "kind"), f"must be one of: {', '.join(sorted([*BY_PLUGIN, COMPOSITE]))}")
    return [_read_entry(reader, tag, plugin["spec"], join(plugin_path, "spec"), None)], options


def _read_envelope(reader: Reader, envelope: Any, path: str) -> Any:
    if not isinstance(envelope, dict) or envelope.get("type") not in BY_ENVELOPE:
        raise fail(join(path, "type"), f"must be one of: {', '.join(BY_ENVELOPE)}")
    for extra in sorted(set(envelope) - {"type", "spec"}):
        raise fail(join(path, extra), "is not a field of a composite query entry")
    return _read_entry(reader, BY_ENVELOPE[envelope["type"]], envelope.get("spec"), join(path, "spec"), "composite")


def _read_entry(reader: Reader, tag: str, spec: Any, path: str, qualifier: str | None) -> Any:
    if tag == "builder" and isinstance(spec, dict) and str(spec.get("signal", "")).strip().lower() == "metrics":
        tag = "metrics"
    cls = ENTRY_TYPES[tag]
    return reader.model(cls, spec, path, (cls.style_key, qualifier))


def _panel_type(entries: list[Any], composite: bool | None) -> tuple[type[GenericPanel], dict[str, Any]]:
    """`sql` and `promql` panels for queries of one source; `query` for the rest. A lone query that
    says nothing but its text is written in short (`sql: SELECT ...`)."""
    for cls in (SqlPanel, PromqlPanel):
        text = cls.language
        if all(isinstance(e, cls.entry_type) for e in entries):
            lone = entries[0]
            if len(entries) == 1 and not composite and lone.model_fields_set == {"name", text} and lone.name == "A" and not lone.omit:
                return cls, {"type": text, text: getattr(lone, text)}
            return cls, {"type": text, "queries": entries}
    return QueryPanel, {"type": "query", "queries": entries}
