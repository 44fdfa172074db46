"""Definition → SigNoz v6 body: expand, lay out, render the templates, parse and validate strictly."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from signoz_dac.definitions import Dashboard, SourceMap, source_map_of
from signoz_dac.definitions.dashboard import Section, tag_pairs
from signoz_dac.definitions.generic.model import body_path
from signoz_dac.definitions.generic.panels import GenericPanel, panel_size
from signoz_dac.definitions.load import JsonPath
from signoz_dac.errors import DefinitionError, Issue, Location, SchemaError
from signoz_dac.render.environment import environment, render_json, render_template
from signoz_dac.render.expand import Expanded, expand
from signoz_dac.render.generic import View, panel_key
from signoz_dac.render.layout import place
from signoz_dac.render.views import Item

_VARIABLE = re.compile(r"spec\.variables\[(\d+)\]")
_LAYOUT = re.compile(r"spec\.layouts\[(\d+)\](?:\.spec\.items\[(\d+)\])?")
_PANEL_REF = "#/spec/panels/"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Rendered:
    body: dict[str, Any]
    panels: dict[str, tuple[JsonPath, Any]]  # panel key → (where its definition panel is, that panel as written)
    source: SourceMap | None  # None for dashboards built in Python
    parsed: Any = None  # the body as the strict models parsed it (signoz.v6.PostableDashboard)

    def locate(self, json_path: str) -> Location | None:
        """The definition line a path of the body came from: the option of the definition's query
        or panel it came from where that is known (a query's `filter:`, a voice panel's `filter:`),
        else its panel's or variable's entry.

        Variables are rendered one per definition variable, in order; panels remember their origin.
        """
        if self.source is None:
            return None
        parts = json_path.split(".")
        if json_path.startswith("spec.panels.") and len(parts) > 2 and parts[2] in self.panels:
            return self._option(parts[2], json_path) or self.source.locate(self.panels[parts[2]][0])
        variable = _VARIABLE.match(json_path)
        if variable:
            return self.source.locate(("variables", int(variable.group(1))))
        layout = _LAYOUT.match(json_path)
        if layout:
            return self._layout(int(layout.group(1)), None if layout.group(2) is None else int(layout.group(2)))
        return Location(self.source.file)

    def _layout(self, index: int, item: int | None) -> Location | None:
        """A layout is a section (one per definition section, in order); an item of it places the
        panel its `$ref` names, so a position that does not fit is reported at that panel."""
        assert self.source is not None
        if item is not None:
            try:
                ref = self.body["spec"]["layouts"][index]["spec"]["items"][item]["content"]["$ref"]
            except (KeyError, IndexError, TypeError):
                ref = None
            if isinstance(ref, str) and ref.startswith(_PANEL_REF) and ref[len(_PANEL_REF):] in self.panels:
                return self.source.locate(self.panels[ref[len(_PANEL_REF):]][0])
        return self.source.locate(("sections", index))

    def _option(self, key: str, json_path: str) -> Location | None:
        """The definition option a path inside a builder query of a generic panel came from: the
        panel says its queries as SigNoz has them, so the query is found by its name (when that
        name is the panel's only query of that name). A voice panel's query mixes the user's
        `filter:` with the panel's own conditions, so it is located by its panel."""
        assert self.source is not None
        at, panel = self.panels[key]
        query, rest = _query_along(self.body, json_path)
        if query is None or not isinstance(panel, GenericPanel):
            return None
        names = [getattr(q, "name", None) for q in panel.queries]  # type: ignore[attr-defined]
        if names.count(query.get("name")) != 1:
            return None
        index = names.index(query.get("name"))
        entry = type(panel.queries[index])  # type: ignore[attr-defined]
        option = next((name for name in entry.model_fields
                       if (path := body_path(entry, name)) and (rest == path or rest.startswith(f"{path}."))), None)
        return self.source.locate((*at, "queries", index, *([option] if option else [])))


def _query_along(body: Any, json_path: str) -> tuple[dict[str, Any] | None, str]:
    """The deepest builder query (an object with a `name` and a filter or aggregations) that
    `json_path` goes through in `body`, and the rest of the path inside it."""
    steps = [name if name else int(index) for name, index in _STEP.findall(json_path)]
    node, query, rest = body, None, ""
    for depth, step in enumerate(steps):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("name"), str) and ("filter" in node or "aggregations" in node):
            query, rest = node, ".".join(str(s) for s in steps[depth + 1:])
    return query, rest


def render(dashboard: Dashboard, *, templates: str | Path | None = None) -> dict[str, Any]:
    """The validated SigNoz v6 body (POST /api/v2/dashboards) for a definition.

    Raises DefinitionError, TemplateError or SchemaError (issues carry JSON paths and, for panels,
    the definition line they came from). Beyond what the server accepts, our own output must also
    work in SigNoz's UI: a panel the UI would show empty or in part is refused too.
    """
    rendered = render_traced(dashboard, templates=templates)
    check_ui(rendered)
    return rendered.body


def render_traced(dashboard: Dashboard, *, templates: str | Path | None = None, own_checks: bool = True) -> Rendered:
    """`render`, plus where each panel came from, for tools that report by definition line (lint).
    It does not refuse what SigNoz's UI would show wrongly: lint reports that, rule by rule.

    The body is always validated with SigNoz's own rules. `own_checks=False` leaves out what
    signoz-dac demands of its own output beyond them (render/output_checks.py): `import` renders
    someone else's dashboard back as SigNoz accepts it, not as signoz-dac would have written it.
    """
    env = environment(Path(templates).resolve() if templates else None)
    variables, sections = expand(dashboard, lambda sql: render_template(env, sql.template, **sql.values()))
    style = dashboard.style
    source = source_map_of(dashboard)
    panels: list[tuple[str, GenericPanel, Location | None]] = []  # (key, panel, origin)
    written: dict[str, tuple[JsonPath, Any]] = {}  # panel key → (its definition panel's path, that panel)
    section_views = []
    for index, (section, expanded) in enumerate(zip(dashboard.sections, sections)):
        section_views.append(View(
            section, style, ("section", "untitled" if section.title is None else None),
            {"items": _items(section, expanded, source.locate(("sections", index)) if source else None)},
        ))
        panels += [(panel_key(e.panel), e.panel, e.origin) for e in expanded]
        written.update((panel_key(e.panel), (e.at, e.written)) for e in expanded)
    for index, panel in enumerate(dashboard.unplaced_panels):
        origin = source.locate(("unplaced_panels", index)) if source else None
        panels.append((panel_key(panel), panel, origin))
        written[panel_key(panel)] = (("unplaced_panels", index), panel)
    _check_unique_keys(panels)
    view = View(dashboard, style, ("dashboard", None), {
        "tags": tag_pairs(dashboard.tags),
        "variables": [View(v, style, ("variable", v.kind)) for v in variables],
        "panels": [View(p, style, ("panel", p.kind), {"key": key}) for key, p, _ in panels],
        "sections": section_views,
    })
    body = render_json(env, "dashboard.json.j2", dashboard=view)
    rendered = Rendered(body, written, source)
    return replace(rendered, parsed=_validate(rendered, dashboard.name, own_checks))


def _items(section: Section, expanded: list[Expanded], origin: Location | None) -> tuple[Item, ...]:
    """Where each panel sits: the positions the definition gives, or the automatic layout."""
    placed = [e.panel for e in expanded if e.panel.position is not None]
    if not placed:
        return place([e.panel for e in expanded])
    if len(placed) != len(expanded):
        raise DefinitionError(
            "give every panel of this section a `position` (x, y), or none of them to lay them out automatically",
            origin,
        )
    return tuple(Item(panel_key(p), p.position.x, p.position.y, *panel_size(p)) for p in placed)  # type: ignore[union-attr]


def _check_unique_keys(panels: list[tuple[str, GenericPanel, Location | None]]) -> None:
    seen: dict[str, Location | None] = {}
    for key, _, origin in panels:
        if key in seen:
            where = seen[key]
            first = f" by the panel at line {where.line}" if where and where.line else ""
            raise DefinitionError(f"panel key {key!r} is already used{first}; give this panel its own `id:`", origin)
        seen[key] = origin


def _validate(rendered: Rendered, name: str, own_checks: bool) -> Any:
    """SigNoz's own rules, then what we demand of our own output (render/output_checks.py); the
    parsed body when it passes."""
    from signoz_dac.render.output_checks import dashboard_issues
    from signoz_dac.signoz.v6 import parse_dashboard

    try:
        parsed = parse_dashboard(rendered.body, source=name, allow_generate_name=False)
        issues = dashboard_issues(parsed) if own_checks else []
    except SchemaError as exc:
        if rendered.source is None:
            raise
        issues = exc.issues
    if not issues:
        return parsed
    if rendered.source is None:
        raise SchemaError(issues, name)
    # Each issue names its definition line (which names the file), so no separate source.
    raise SchemaError([Issue(i.path, i.message, rendered.locate(i.path)) for i in issues]) from None


def check_ui(rendered: Rendered) -> None:
    """Refuse a body SigNoz's UI would show empty or in part (what `render` adds to `render_traced`)."""
    from signoz_dac.signoz import ui

    problems = ui.problems(rendered.parsed if rendered.parsed is not None else rendered.body)
    if problems:
        raise SchemaError(
            [Issue(p.path, f"the SigNoz UI would not show this as meant: {p.message}", rendered.locate(p.path)) for p in problems]
        )


def dump(body: dict[str, Any]) -> str:
    """The file form of a body: byte-for-byte stable, so `git diff` of rendered output is meaningful."""
    return json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False) + "\n"  # never NaN: not JSON
