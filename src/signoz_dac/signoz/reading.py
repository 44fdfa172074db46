"""A dashboard or alert rule read through the strict models, each part with the JSON path a finding
points at: what lint's checks and the UI checks (`signoz.ui`) look at.

A body lint reads may break SigNoz's rules (a hand-edited export, a half-written definition), so it
is read leniently (`v6.lenient`): whatever decodes is there, typed by the models; a part that does
not is left out (an unreadable panel, query or variable) or holds its default. A body that has
already been validated (render's own output) is read from its parsed model, with no second pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.signoz.rules.models import PostableRule
from signoz_dac.signoz.v6.dashboard import PostableDashboard, UpdatableDashboard
from signoz_dac.signoz.v6.lenient import read_leniently
from signoz_dac.signoz.v6.panels import Display, Link, Panel
from signoz_dac.signoz.v6.queries import FieldKey
from signoz_dac.signoz.v6.variables import ListVariable, TextVariable

# Top-level query plugin kinds, named like the composite envelope `type` they correspond to.
PLUGIN_TYPES = {
    "signoz/BuilderQuery": "builder_query",
    "signoz/Formula": "builder_formula",
    "signoz/ClickHouseSQL": "clickhouse_sql",
    "signoz/PromQLQuery": "promql",
    "signoz/TraceOperator": "builder_trace_operator",
}
_PLAIN_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")

Dashboard = PostableDashboard | UpdatableDashboard


def join(path: str, key: str | int) -> str:
    """Extend a JSON path: `spec.panels.a`, `queries[0]`, `panels["odd.key"]`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    segment = key if _PLAIN_SEGMENT.fullmatch(key) else f'["{key}"]'
    if segment.startswith("["):
        return f"{path}{segment}"
    return f"{path}.{segment}" if path else segment


def is_rule(body: Any) -> bool:
    """Whether a JSON object is an alert rule (a `POST /api/v2/rules` body) rather than a dashboard."""
    return isinstance(body, dict) and isinstance(body.get("condition"), dict) and "spec" not in body


@dataclass
class QueryAt:
    """One query of a panel or an alert rule: a builder query, formula, trace operator, join,
    PromQL or ClickHouse SQL spec (the model of its `type`)."""

    owner: Owner  # the panel or the alert rule that runs it
    path: str  # path of the query's own spec (holding name, filter, aggregations, query, ...)
    type: str  # builder_query | builder_formula | clickhouse_sql | promql | builder_trace_operator | ...
    spec: Any

    def _text(self, name: str) -> str:
        value = getattr(self.spec, name, "")
        return value if isinstance(value, str) else ""

    @property
    def name(self) -> str:
        return self._text("name")

    @property
    def disabled(self) -> bool:
        return getattr(self.spec, "disabled", False) is True

    @property
    def signal(self) -> str:
        return self._text("signal")

    @property
    def legend(self) -> str:
        return self._text("legend")

    @property
    def expression(self) -> str:
        """A formula's or a trace operator's expression."""
        return self._text("expression")

    @property
    def text(self) -> str:
        """A ClickHouse SQL or PromQL query's text."""
        return self._text("query")

    @property
    def where(self) -> str:
        """How a message names the query: `panel "Latency", query A`."""
        return f"{self.owner.label}, query {self.name or '?'}"

    @property
    def filter(self) -> tuple[str, str] | None:
        """(expression, path) of a builder or trace-operator query's filter, when it has one."""
        return _expression(getattr(self.spec, "filter", None), join(self.path, "filter"))

    @property
    def having(self) -> tuple[str, str] | None:
        return _expression(getattr(self.spec, "having", None), join(self.path, "having"))

    @property
    def expression_aggregations(self) -> list[tuple[str, str, Any]]:
        """(expression, path, entry) for each traces/logs aggregation (metrics aggregations have none)."""
        out = []
        for i, entry in enumerate(getattr(self.spec, "aggregations", None) or []):
            expression = getattr(entry, "expression", None)
            if isinstance(expression, str) and "expression" in entry.model_fields_set:
                out.append((expression, join(join(join(self.path, "aggregations"), i), "expression"), entry))
        return out

    def keys(self, option: str) -> list[FieldKey | None]:
        """The field keys of `groupBy` or `selectFields` (None where one is unreadable)."""
        return list(getattr(self.spec, option, None) or [])


def _expression(holder: Any, path: str) -> tuple[str, str] | None:
    """A `{expression}` object's text and path, when the body gives one."""
    if holder is None or "expression" not in holder.model_fields_set:
        return None
    return holder.expression, join(path, "expression")


@dataclass
class PanelAt:
    key: str
    path: str  # path of the panel's spec
    panel: Panel
    section: int | None = None  # the layout (grid) it is placed in; None when in no layout
    queries: list[QueryAt] = field(default_factory=list)

    @property
    def _plugin(self) -> Any:
        return self.panel.spec.plugin if self.panel.spec is not None else None

    @property
    def plugin_kind(self) -> str:
        return self._plugin.kind if self._plugin is not None else ""

    @property
    def plugin_spec(self) -> Any:
        """The panel kind's options (TimeSeriesPanelSpec, TablePanelSpec, ...), None if unreadable."""
        return self._plugin.spec if self._plugin is not None else None

    @property
    def plugin_path(self) -> str:
        return join(join(self.path, "plugin"), "spec")

    @property
    def display(self) -> Display | None:
        return self.panel.spec.display if self.panel.spec is not None else None

    @property
    def title(self) -> str | None:
        return self.display.name if self.display is not None else None

    @property
    def label(self) -> str:
        """How a message names the panel: its title, else its key."""
        title = self.title
        return f'panel "{title}"' if isinstance(title, str) and title.strip() else f"panel {self.key}"

    @property
    def links(self) -> list[Link | None]:
        return list(self.panel.spec.links or []) if self.panel.spec is not None else []

    @property
    def formatting(self) -> Any:
        """`formatting` of the panel kinds that have it (unit and decimals, or a table's column units)."""
        return getattr(self.plugin_spec, "formatting", None)

    @property
    def select_fields(self) -> list[FieldKey | None]:
        return list(getattr(self.plugin_spec, "selectFields", None) or [])

    @property
    def written_queries(self) -> list[Any]:
        """The panel's queries as written (each a `{kind, spec: {plugin}}` envelope; None if unreadable)."""
        return list(self.panel.spec.queries or []) if self.panel.spec is not None else []

    @property
    def query_plugins(self) -> list[str]:
        """Each panel query's plugin kind ("" where unreadable)."""
        return [_plugin_of(q).kind if _plugin_of(q) is not None else "" for q in self.written_queries]

    @property
    def query_kinds(self) -> list[str]:
        """Each panel query's `kind` (request type), as written."""
        return [q.kind if q is not None and isinstance(q.kind, str) else "" for q in self.written_queries]


def _plugin_of(query: Any) -> Any:
    return query.spec.plugin if query is not None and query.spec is not None else None


@dataclass
class RuleAt:
    """An alert rule: it owns queries like a panel, and has no plugin, variables or layout."""

    path: str
    rule: PostableRule
    queries: list[QueryAt] = field(default_factory=list)
    plugin_kind: str = ""

    @property
    def label(self) -> str:
        name = self.rule.alert
        return f'alert "{name}"' if isinstance(name, str) and name.strip() else "alert"


Owner = PanelAt | RuleAt


@dataclass
class VariableAt:
    path: str  # path of the variable's spec
    variable: ListVariable | TextVariable

    @property
    def spec(self) -> Any:
        return self.variable.spec

    @property
    def name(self) -> str:
        name = getattr(self.spec, "name", "")
        return name if isinstance(name, str) else ""

    @property
    def _plugin(self) -> Any:
        return getattr(self.spec, "plugin", None)

    @property
    def plugin_kind(self) -> str:
        return self._plugin.kind if self._plugin is not None else ""

    @property
    def sql(self) -> str:
        """A query variable's ClickHouse SQL ("" for any other variable)."""
        value = getattr(self._plugin.spec, "queryValue", "") if self._plugin is not None and self._plugin.spec else ""
        return value if isinstance(value, str) else ""

    @property
    def sends_all_sentinel(self) -> bool:
        """A dynamic variable set to ALL reaches a query as the string `__all__` (only a dynamic one,
        and only when it allows ALL, which needs allowMultiple)."""
        return self.plugin_kind == "signoz/DynamicVariable" and getattr(self.spec, "allowAllValue", False) is True

    @property
    def multiple(self) -> bool:
        return getattr(self.spec, "allowMultiple", False) is True


@dataclass
class DashboardReading:
    """What a dashboard body holds, part by part."""

    panels: list[PanelAt] = field(default_factory=list)
    variables: list[VariableAt] = field(default_factory=list)
    links: list[Link | None] = field(default_factory=list)  # the dashboard's own links


def read_dashboard(body: dict[str, Any] | Dashboard) -> DashboardReading:
    """A dashboard body (read leniently), or an already parsed one."""
    model = body if isinstance(body, (PostableDashboard, UpdatableDashboard)) else read_leniently(PostableDashboard, body)
    spec = model.spec if model is not None else None
    if spec is None:
        return DashboardReading()
    sections = _sections(spec)
    panels = []
    for key, panel in (spec.panels or {}).items():
        if panel is None:
            continue
        at = PanelAt(key, join(join(join("spec", "panels"), key), "spec"), panel, section=sections.get(key))
        at.queries = list(_panel_queries(at))
        panels.append(at)
    variables = [
        VariableAt(join(join(join("spec", "variables"), i), "spec"), variable)
        for i, variable in enumerate(spec.variables or [])
        if variable is not None and variable.spec is not None
    ]
    return DashboardReading(panels, variables, list(spec.links or []))


def read_rule(body: dict[str, Any] | PostableRule) -> RuleAt:
    """An alert rule (read leniently, or already parsed) and the queries of its `condition.compositeQuery`."""
    model = body if isinstance(body, PostableRule) else read_leniently(PostableRule, body)
    at = RuleAt("", model if model is not None else PostableRule.model_construct())
    composite = at.rule.condition.compositeQuery if at.rule.condition is not None else None
    if composite is not None:
        at.queries = list(_envelopes(at, join("condition", "compositeQuery"), composite.queries))
    return at


def _sections(spec: Any) -> dict[str, int]:
    """Panel key → index of the first layout that places it."""
    placed: dict[str, int] = {}
    for i, layout in enumerate(spec.layouts or []):
        items = layout.spec.items if layout is not None and layout.spec is not None else None
        for item in items or []:
            ref = item.content.ref if item is not None and item.content is not None else ""
            if isinstance(ref, str) and ref.startswith("#/spec/panels/"):
                placed.setdefault(ref.removeprefix("#/spec/panels/"), i)
    return placed


def _panel_queries(panel: PanelAt) -> Iterator[QueryAt]:
    for i, query in enumerate(panel.written_queries):
        plugin = _plugin_of(query)
        if plugin is None or plugin.spec is None:
            continue
        path = join(join(join(join(join(panel.path, "queries"), i), "spec"), "plugin"), "spec")
        if plugin.kind == "signoz/CompositeQuery":
            yield from _envelopes(panel, path, plugin.spec.queries)
        elif plugin.kind in PLUGIN_TYPES:
            yield QueryAt(panel, path, PLUGIN_TYPES[plugin.kind], plugin.spec)


def _envelopes(owner: Owner, path: str, envelopes: list[Any] | None) -> Iterator[QueryAt]:
    for j, envelope in enumerate(envelopes or []):
        if envelope is not None and envelope.spec is not None:
            yield QueryAt(owner, join(join(join(path, "queries"), j), "spec"), envelope.type, envelope.spec)
