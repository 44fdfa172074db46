"""Definition → SigNoz alert rules: expand, render the template, parse and validate strictly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from signoz_dac.definitions import Dashboard, source_map_of
from signoz_dac.errors import Issue, Location, SchemaError
from signoz_dac.render.alerts.expand import ExpandedRule, expand_alerts
from signoz_dac.render.environment import environment, render_json

TEMPLATE = "alerts/rule.json.j2"


def render_alerts(dashboard: Dashboard, *, templates: str | Path | None = None) -> list[dict[str, Any]]:
    """The validated SigNoz rule bodies (POST /api/v2/rules) of a definition's `alerts:`, in order.

    Raises DefinitionError, TemplateError or SchemaError; schema issues point at the rule's line.
    """
    return [body for body, _origin in render_alerts_traced(dashboard, templates=templates)]


def render_alerts_traced(dashboard: Dashboard, *, templates: str | Path | None = None) -> list[tuple[dict[str, Any], Location | None]]:
    """`render_alerts`, each body with the definition line of its rule, for tools that report by line (lint)."""
    env = environment(Path(templates).resolve() if templates else None)
    out = []
    for rule in expand_alerts(dashboard):
        body = render_json(env, TEMPLATE, rule=rule.view)
        _validate(body, rule, dashboard)
        out.append((body, rule.origin))
    return out


def _validate(body: dict[str, Any], rule: ExpandedRule, dashboard: Dashboard) -> None:
    """SigNoz's own rules, then what we demand of our own rules (render/output_checks.py)."""
    from signoz_dac.render.output_checks import rule_issues
    from signoz_dac.signoz.rules import parse_rule

    source = source_map_of(dashboard)
    where = str(source.file) if source else dashboard.name
    try:
        issues = rule_issues(parse_rule(body, source=where))
    except SchemaError as exc:
        issues = exc.issues
    if issues:
        located = [Issue(i.path, f"rule {rule.id!r}: {i.message}", rule.origin or i.location) for i in issues]
        raise SchemaError(located, None if rule.origin else where) from None  # the origin names the file
