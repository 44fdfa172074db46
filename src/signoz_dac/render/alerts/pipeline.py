"""Definition → SigNoz alert rules: expand, render the template, parse and validate strictly."""

from __future__ import annotations

from pathlib import Path

from signoz_dac.errors import Issue, Location, SchemaError
from signoz_dac.render.alerts.expand import expand_alerts
from signoz_dac.render.alerts.views import RuleView
from signoz_dac.render.environment import environment, render_json
from signoz_dac.spec import Dashboard, source_map_of

TEMPLATE = "alerts/rule.json.j2"


def render_alerts(dashboard: Dashboard, *, templates: str | Path | None = None) -> list[dict]:
    """The validated SigNoz rule bodies (POST /api/v2/rules) of a definition's `alerts:`, in order.

    Raises DefinitionError, TemplateError or SchemaError; schema issues point at the rule's line.
    """
    return [body for body, _origin in render_alerts_traced(dashboard, templates=templates)]


def render_alerts_traced(dashboard: Dashboard, *, templates: str | Path | None = None) -> list[tuple[dict, Location | None]]:
    """`render_alerts`, each body with the definition line of its rule, for tools that report by line (lint)."""
    env = environment(Path(templates).resolve() if templates else None)
    out = []
    for view in expand_alerts(dashboard):
        body = render_json(env, TEMPLATE, rule=view)
        _validate(body, view, dashboard)
        out.append((body, view.origin))
    return out


def _validate(body: dict, view: RuleView, dashboard: Dashboard) -> None:
    from signoz_dac.signoz.rules import parse_rule

    source = source_map_of(dashboard)
    try:
        parse_rule(body, source=str(source.file) if source else dashboard.name)
    except SchemaError as exc:
        issues = [Issue(i.path, f"rule {view.id!r}: {i.message}", view.origin or i.location) for i in exc.issues]
        raise SchemaError(issues, None if view.origin else exc.source) from None  # the origin names the file
