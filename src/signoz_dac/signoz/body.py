"""Read-only views over SigNoz bodies (a v6 dashboard, an alert rule), for checks that must read
bodies that break the schema too (a hand-edited export, a half-written definition).

Nothing here trusts a type: every step checks it has a dict or a list and skips what it does not
understand. Each view carries the JSON path a finding will point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Union

# Top-level query plugin kinds, named like the composite envelope `type` they correspond to.
PLUGIN_TYPES = {
    "signoz/BuilderQuery": "builder_query",
    "signoz/Formula": "builder_formula",
    "signoz/ClickHouseSQL": "clickhouse_sql",
    "signoz/PromQLQuery": "promql",
    "signoz/TraceOperator": "builder_trace_operator",
}
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def join(path: str, key: str | int) -> str:
    """Extend a JSON path: `spec.panels.a`, `queries[0]`, `panels["odd.key"]`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    segment = key if _PLAIN_SEGMENT.fullmatch(key) else f'["{key}"]'
    if segment.startswith("["):
        return f"{path}{segment}"
    return f"{path}.{segment}" if path else segment


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def is_rule(body: Any) -> bool:
    """Whether a JSON object is an alert rule (a `POST /api/v2/rules` body) rather than a dashboard."""
    return isinstance(body, dict) and isinstance(body.get("condition"), dict) and "spec" not in body


class _Plugged:
    """Panels and variables both carry a `plugin: {kind, spec}` in their spec."""

    spec: dict[str, Any]

    @property
    def plugin_kind(self) -> str:
        return as_str(as_dict(self.spec.get("plugin")).get("kind"))

    @property
    def plugin_spec(self) -> dict[str, Any]:
        return as_dict(as_dict(self.spec.get("plugin")).get("spec"))


@dataclass
class QueryView:
    owner: Owner  # the panel or the alert rule that runs it
    path: str  # path of the query's own spec (holding name, filter, aggregations, query, ...)
    type: str  # builder_query | builder_formula | clickhouse_sql | promql | builder_trace_operator | ...
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return as_str(self.spec.get("name"))

    @property
    def disabled(self) -> bool:
        return self.spec.get("disabled") is True

    @property
    def signal(self) -> str:
        return as_str(self.spec.get("signal"))

    @property
    def where(self) -> str:
        """How a message names the query: `panel "Latency", query A`."""
        return f"{self.owner.label}, query {self.name or '?'}"

    @property
    def filter(self) -> tuple[str, str] | None:
        """(expression, path) of a builder or trace-operator query's filter, when it has a string one."""
        flt = self.spec.get("filter")
        if isinstance(flt, dict) and isinstance(flt.get("expression"), str):
            return flt["expression"], join(join(self.path, "filter"), "expression")
        return None

    @property
    def expression_aggregations(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(expression, path, entry) for each traces/logs aggregation with an expression string."""
        out = []
        for i, entry in enumerate(as_list(self.spec.get("aggregations"))):
            if isinstance(entry, dict) and isinstance(entry.get("expression"), str):
                out.append((entry["expression"], join(join(join(self.path, "aggregations"), i), "expression"), entry))
        return out


@dataclass
class PanelView(_Plugged):
    key: str
    path: str
    spec: dict[str, Any]
    queries: list[QueryView] = field(default_factory=list)
    query_plugins: list[str] = field(default_factory=list)  # each panel query's plugin kind, as written
    query_kinds: list[str] = field(default_factory=list)  # each panel query's `kind` (request type), as written
    section: int | None = None  # the layout (grid) it is placed in; None when in no layout

    @property
    def title(self) -> Any:
        return as_dict(self.spec.get("display")).get("name")

    @property
    def label(self) -> str:
        """How a message names the panel: its title, else its key."""
        title = self.title
        return f'panel "{title}"' if isinstance(title, str) and title.strip() else f"panel {self.key}"

    @property
    def plugin_path(self) -> str:
        return join(join(self.path, "plugin"), "spec")


@dataclass
class RuleView:
    """An alert rule: it owns queries like a panel, and has no plugin, variables or layout."""

    path: str
    spec: dict[str, Any]  # the rule body
    queries: list[QueryView] = field(default_factory=list)
    plugin_kind: str = ""

    @property
    def label(self) -> str:
        name = as_str(self.spec.get("alert"))
        return f'alert "{name}"' if name.strip() else "alert"


Owner = Union[PanelView, RuleView]


@dataclass
class VariableView(_Plugged):
    path: str  # path of the variable's spec
    kind: str  # ListVariable | TextVariable
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return as_str(self.spec.get("name"))

    @property
    def sends_all_sentinel(self) -> bool:
        """A dynamic variable set to ALL reaches a query as the string `__all__` (only a dynamic one,
        and only when it allows ALL, which needs allowMultiple)."""
        return self.plugin_kind == "signoz/DynamicVariable" and self.spec.get("allowAllValue") is True

    @property
    def multiple(self) -> bool:
        return self.spec.get("allowMultiple") is True


def panels(body: dict[str, Any]) -> list[PanelView]:
    spec = as_dict(body.get("spec"))
    sections = _sections(spec)
    out: list[PanelView] = []
    for key, panel in as_dict(spec.get("panels")).items():
        if not isinstance(panel, dict):
            continue
        path = join(join("spec", "panels"), str(key))
        view = PanelView(str(key), join(path, "spec"), as_dict(panel.get("spec")), section=sections.get(str(key)))
        view.queries = list(_queries(view))
        written = [as_dict(q) for q in as_list(view.spec.get("queries"))]
        view.query_plugins = [as_str(as_dict(as_dict(q.get("spec")).get("plugin")).get("kind")) for q in written]
        view.query_kinds = [as_str(q.get("kind")) for q in written]
        out.append(view)
    return out


def _sections(spec: dict[str, Any]) -> dict[str, int]:
    """Panel key → index of the first layout that places it."""
    placed: dict[str, int] = {}
    for i, layout in enumerate(as_list(spec.get("layouts"))):
        for item in as_list(as_dict(as_dict(layout).get("spec")).get("items")):
            ref = as_str(as_dict(as_dict(item).get("content")).get("$ref"))
            if ref.startswith("#/spec/panels/"):
                placed.setdefault(ref.removeprefix("#/spec/panels/"), i)
    return placed


def _queries(panel: PanelView):
    for i, query in enumerate(as_list(panel.spec.get("queries"))):
        plugin = as_dict(as_dict(as_dict(query).get("spec")).get("plugin"))
        path = join(join(join(join(join(panel.path, "queries"), i), "spec"), "plugin"), "spec")
        yield from _plugin_queries(panel, path, as_str(plugin.get("kind")), as_dict(plugin.get("spec")))


def _plugin_queries(owner: Owner, path: str, kind: str, spec: dict[str, Any]):
    if kind == "signoz/CompositeQuery":
        yield from _envelopes(owner, path, spec)
    elif kind in PLUGIN_TYPES:
        yield QueryView(owner, path, PLUGIN_TYPES[kind], spec)


def _envelopes(owner: Owner, path: str, composite: dict[str, Any]):
    for j, envelope in enumerate(as_list(composite.get("queries"))):
        envelope = as_dict(envelope)
        sub_path = join(join(join(path, "queries"), j), "spec")
        yield QueryView(owner, sub_path, as_str(envelope.get("type")), as_dict(envelope.get("spec")))


def variables(body: dict[str, Any]) -> list[VariableView]:
    out: list[VariableView] = []
    for i, var in enumerate(as_list(as_dict(body.get("spec")).get("variables"))):
        var = as_dict(var)
        path = join(join(join("spec", "variables"), i), "spec")
        out.append(VariableView(path, as_str(var.get("kind")), as_dict(var.get("spec"))))
    return out


def rule(body: dict[str, Any]) -> RuleView:
    """An alert rule and the queries of its `condition.compositeQuery`."""
    view = RuleView("", body)
    composite = as_dict(as_dict(body.get("condition")).get("compositeQuery"))
    view.queries = list(_envelopes(view, join("condition", "compositeQuery"), composite))
    return view
