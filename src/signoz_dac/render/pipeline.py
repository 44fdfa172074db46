"""Definition → SigNoz v6 body: expand, lay out, render the templates, parse and validate strictly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from signoz_dac.errors import Issue, Location, SchemaError, TemplateError
from signoz_dac.render.environment import environment, render_template
from signoz_dac.render.expand import expand
from signoz_dac.render.layout import place
from signoz_dac.render.views import DashboardView, SectionView
from signoz_dac.spec import Dashboard, source_map_of


@dataclass(frozen=True)
class Rendered:
    body: dict
    origins: dict[str, Location]  # panel key → the definition line it came from (loaded definitions only)


def render(dashboard: Dashboard, *, templates: str | Path | None = None) -> dict:
    """The validated SigNoz v6 body (POST /api/v2/dashboards) for a definition.

    Raises DefinitionError, TemplateError or SchemaError (issues carry JSON paths and, for panels,
    the definition line they came from).
    """
    return render_traced(dashboard, templates=templates).body


def render_traced(dashboard: Dashboard, *, templates: str | Path | None = None) -> Rendered:
    """`render`, plus where each panel came from, for tools that report by definition line (lint)."""
    env = environment(Path(templates).resolve() if templates else None)
    variables, sections = expand(dashboard, lambda name, **values: render_template(env, name, **values))
    view = DashboardView(
        name=dashboard.name,
        title=dashboard.title,
        description=dashboard.description,
        tags=tuple(dashboard.tags.items()),
        duration=dashboard.time_range,
        refresh=dashboard.refresh,
        variables=tuple(variables),
        panels=tuple(p for panels in sections for p in panels),
        sections=tuple(
            SectionView(section.title, section.collapsed, place(panels))
            for section, panels in zip(dashboard.sections, sections)
        ),
    )
    text = render_template(env, "dashboard.json.j2", dashboard=view)
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TemplateError(
            f"the templates produced invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}",
            "dashboard.json.j2",
        ) from None
    _validate(body, view, dashboard)
    return Rendered(body, {p.key: p.origin for p in view.panels if p.origin is not None})


def _validate(body: dict, view: DashboardView, dashboard: Dashboard) -> None:
    from signoz_dac.signoz.v6 import parse_dashboard

    source = source_map_of(dashboard)
    try:
        parse_dashboard(body, source=str(source.file) if source else dashboard.name)
    except SchemaError as exc:
        # Point each issue at the definition line of the panel it concerns.
        origins = {p.key: p.origin for p in view.panels}
        issues = [
            Issue(i.path, i.message, origins.get(_panel_key(i.path)) or i.location) for i in exc.issues
        ]
        raise SchemaError(issues, exc.source) from None


def _panel_key(path: str) -> str | None:
    prefix = "spec.panels."
    if not path.startswith(prefix):
        return None
    return path[len(prefix):].split(".", 1)[0]


def dump(body: dict) -> str:
    """The file form of a body: byte-for-byte stable, so `git diff` of rendered output is meaningful."""
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
