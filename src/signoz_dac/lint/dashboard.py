"""Read-only views over a SigNoz v6 body, for the rules.

Lint must read bodies that break the schema too (a hand-edited export, a half-written definition),
so nothing here trusts a type: every step checks it has a dict or a list and skips what it does not
understand. Each view carries the JSON path the findings will point at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Top-level query plugin kinds, named like the composite envelope `type` they correspond to.
_PLUGIN_TYPES = {
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
    panel: PanelView
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


@dataclass
class PanelView(_Plugged):
    key: str
    path: str
    spec: dict[str, Any]
    queries: list[QueryView] = field(default_factory=list)

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
class VariableView(_Plugged):
    path: str  # path of the variable's spec
    kind: str  # ListVariable | TextVariable
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return as_str(self.spec.get("name"))


    @property
    def sends_all_sentinel(self) -> bool:
        """A dynamic multi-select variable with ALL sends the string `__all__` (contract §3.6)."""
        return self.plugin_kind == "signoz/DynamicVariable" and self.spec.get("allowAllValue") is True


def panels(body: dict[str, Any]) -> list[PanelView]:
    spec = as_dict(body.get("spec"))
    out: list[PanelView] = []
    for key, panel in as_dict(spec.get("panels")).items():
        if not isinstance(panel, dict):
            continue
        path = join(join("spec", "panels"), str(key))
        view = PanelView(str(key), join(path, "spec"), as_dict(panel.get("spec")))
        view.queries = list(_queries(view))
        out.append(view)
    return out


def _queries(panel: PanelView):
    for i, query in enumerate(as_list(panel.spec.get("queries"))):
        plugin = as_dict(as_dict(as_dict(query).get("spec")).get("plugin"))
        kind = as_str(plugin.get("kind"))
        path = join(join(join(join(join(panel.path, "queries"), i), "spec"), "plugin"), "spec")
        spec = as_dict(plugin.get("spec"))
        if kind == "signoz/CompositeQuery":
            for j, envelope in enumerate(as_list(spec.get("queries"))):
                envelope = as_dict(envelope)
                sub_path = join(join(join(path, "queries"), j), "spec")
                yield QueryView(panel, sub_path, as_str(envelope.get("type")), as_dict(envelope.get("spec")))
        elif kind in _PLUGIN_TYPES:
            yield QueryView(panel, path, _PLUGIN_TYPES[kind], spec)


def variables(body: dict[str, Any]) -> list[VariableView]:
    out: list[VariableView] = []
    for i, var in enumerate(as_list(as_dict(body.get("spec")).get("variables"))):
        var = as_dict(var)
        path = join(join(join("spec", "variables"), i), "spec")
        out.append(VariableView(path, as_str(var.get("kind")), as_dict(var.get("spec"))))
    return out
