"""Definition → SigNoz v6 body: expand, lay out, render the templates, parse and validate strictly."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from signoz_dac.errors import Issue, Location, SchemaError
from signoz_dac.render.environment import environment, render_json, render_template
from signoz_dac.render.expand import expand
from signoz_dac.render.layout import place
from signoz_dac.render.views import DashboardView, SectionView
from signoz_dac.spec import Dashboard, SourceMap, source_map_of


_VARIABLE = re.compile(r"spec\.variables\[(\d+)\]")


@dataclass(frozen=True)
class Rendered:
    body: dict
    origins: dict[str, Location]  # panel key → the definition line it came from
    source: SourceMap | None  # None for dashboards built in Python

    def locate(self, json_path: str) -> Location | None:
        """The definition line a path of the body came from: its panel's or variable's entry.

        Variables are rendered one per definition variable, in order; panels remember their origin.
        """
        if self.source is None:
            return None
        parts = json_path.split(".")
        if json_path.startswith("spec.panels.") and len(parts) > 2 and parts[2] in self.origins:
            return self.origins[parts[2]]
        variable = _VARIABLE.match(json_path)
        if variable:
            return self.source.locate(("variables", int(variable.group(1))))
        return Location(self.source.file)


def render(dashboard: Dashboard, *, templates: str | Path | None = None) -> dict:
    """The validated SigNoz v6 body (POST /api/v2/dashboards) for a definition.

    Raises DefinitionError, TemplateError or SchemaError (issues carry JSON paths and, for panels,
    the definition line they came from). Beyond what the server accepts, our own output must also
    work in SigNoz's UI: a panel the UI would show empty or in part is refused too.
    """
    rendered = render_traced(dashboard, templates=templates)
    _check_ui(rendered)
    return rendered.body


def render_traced(dashboard: Dashboard, *, templates: str | Path | None = None) -> Rendered:
    """`render`, plus where each panel came from, for tools that report by definition line (lint).
    It does not refuse what SigNoz's UI would show wrongly: lint reports that, rule by rule."""
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
    body = render_json(env, "dashboard.json.j2", dashboard=view)
    rendered = Rendered(body, {p.key: p.origin for p in view.panels if p.origin is not None}, source_map_of(dashboard))
    _validate(rendered, dashboard.name)
    return rendered


def _validate(rendered: Rendered, name: str) -> None:
    """SigNoz's own rules, then what we demand of our own output (render/output_checks.py)."""
    from signoz_dac.render.output_checks import dashboard_issues
    from signoz_dac.signoz.v6 import parse_dashboard

    try:
        issues = dashboard_issues(parse_dashboard(rendered.body, source=name, allow_generate_name=False))
    except SchemaError as exc:
        if rendered.source is None:
            raise
        issues = exc.issues
    if not issues:
        return
    if rendered.source is None:
        raise SchemaError(issues, name)
    # Each issue names its definition line (which names the file), so no separate source.
    raise SchemaError([Issue(i.path, i.message, rendered.locate(i.path)) for i in issues]) from None


def _check_ui(rendered: Rendered) -> None:
    from signoz_dac.signoz import ui

    problems = ui.problems(rendered.body)
    if problems:
        raise SchemaError(
            [Issue(p.path, f"the SigNoz UI would not show this as meant: {p.message}", rendered.locate(p.path)) for p in problems]
        )


def dump(body: dict) -> str:
    """The file form of a body: byte-for-byte stable, so `git diff` of rendered output is meaningful."""
    return json.dumps(body, indent=2, ensure_ascii=False, allow_nan=False) + "\n"  # never NaN: not JSON
