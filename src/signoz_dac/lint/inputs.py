"""Command-line paths → bodies to lint (dashboards and alert rules), through the one input loader
(`signoz_dac.sources.inputs`).

Lint reads more than push does: invalid bodies, SigNoz's own exports (which use `generateName`),
saved GET replies, and alert-rule JSON. A file, or a part of a definition (its dashboard, its
rules), that lint cannot read (a v5 export, broken JSON, a definition that does not load or
render) is a finding for that file; the other files and parts are still linted.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signoz_dac.errors import DefinitionError, InputError, Issue, Location, SchemaError
from signoz_dac.lint.engine import INPUT, Locate
from signoz_dac.lint.finding import Finding
from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS, RULE_SERVER_FIELDS
from signoz_dac.signoz.reading import is_rule
from signoz_dac.sources import Input, inputs


@dataclass
class LintInput:
    source: str
    body: dict[str, Any] | None  # None when the file gave nothing to lint (see `findings`)
    profile: str | None = None  # from the definition
    disable: tuple[str, ...] = ()  # from the definition's `lint: {disable: [...]}`
    locate: Locate | None = None
    findings: list[Finding] = field(default_factory=list)  # about the file itself: why it gave no body


def lint_inputs(paths: Sequence[str | Path]) -> list[LintInput]:
    """The bodies in the given files; folders contribute their .yaml and .json files and the alert
    rules in their `<name>.alerts/` folders (what `render` writes), and any other file named is
    read as JSON. A path that does not exist, or a folder with nothing to lint, is an
    InputError (a usage error)."""
    return [linted for item in inputs(paths, other_files="json", rule_folders=True) for linted in read_input(item)]


def read_input(item: Input) -> list[LintInput]:
    """The bodies one input file gives lint (a definition: its dashboard, then its rules)."""
    if not item.is_definition:
        return _attempt(item.path, lambda: [LintInput(str(item.path), as_body(item.content, str(item.path)))])
    return _attempt(item.path, lambda: _rendered(item))


def _at(location: Location | None) -> Locate:
    """Every path of a rule's body is at its rule's line."""
    return lambda _path: location


def _attempt(path: Path, produce: Callable[[], list[LintInput]], rendering: bool = False) -> list[LintInput]:
    """What `produce` gives, or one input whose findings say why it gave nothing."""
    try:
        return produce()
    except DefinitionError as err:  # a finding for each problem, at its line
        return [LintInput(str(path), None, findings=[
            Finding(INPUT, "error", "", p.message, str(path), p.location) for p in err.problems])]
    except SchemaError as err:  # a definition the renderer refused: its issues, with lines
        return [LintInput(str(path), None, findings=[_schema(i, str(path)) for i in err.issues])]
    except InputError as err:  # "<path>[:<line>]: message"
        m = re.match(rf"{re.escape(str(path))}(?::(\d+))?: ", str(err))
        line = int(m.group(1)) if m and m.group(1) else None
        return [_unreadable(path, str(err)[m.end() :] if m else str(err), Location(path, line) if line else None)]
    except Exception as exc:  # one line for the user, not a traceback
        if not rendering:
            raise
        return [_unreadable(path, f"cannot render the definition: {type(exc).__name__}: {exc}", None)]


def _unreadable(path: Path, message: str, location: Location | None) -> LintInput:
    return LintInput(str(path), None, findings=[Finding(INPUT, "error", "", message, str(path), location)])


def _schema(issue: Issue, source: str) -> Finding:
    return Finding("schema", "error", issue.path, issue.message, source, issue.location)


def as_body(body: Any, source: str) -> dict[str, Any]:
    """The v6 dashboard or the alert rule in `body`: a bare body or a GET response (`{"status", "data"}`)."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "status" in body:
        body = body["data"]  # saved from `GET /api/v2/dashboards/{id}` or `GET /api/v2/rules/{id}`
    if not isinstance(body, dict):
        raise InputError(f"{source}: not a SigNoz dashboard or alert rule (expected a JSON object)")
    if is_rule(body):
        return _as_posted(body)
    if "spec" not in body and ("widgets" in body or body.get("version") == "v5"):
        raise InputError(f"{source}: a v5 dashboard; lint reads v6 (export it from SigNoz ≥ 0.135)")
    if not isinstance(body.get("spec"), dict) and body.get("schemaVersion") != "v6":
        raise InputError(f"{source}: not a SigNoz v6 dashboard (no `spec` object) nor an alert rule (no `condition`)")
    return _as_posted(body)


def _as_posted(body: dict[str, Any]) -> dict[str, Any]:
    """A body as SigNoz answers a GET (`id`, audit fields, `state`, `locked`, ...) without the
    fields the server adds, which is what the server validates; any other body as it is."""
    if "id" not in body:
        return body
    owned = RULE_SERVER_FIELDS if is_rule(body) else DASHBOARD_SERVER_FIELDS
    return {key: value for key, value in body.items() if key not in owned}


def _rendered(item: Input) -> list[LintInput]:
    """The dashboard a definition renders, then each of its alert rules, located by definition line."""
    path, dashboard = item.path, item.definition

    def rendered_dashboard() -> list[LintInput]:
        rendered = item.dashboard(ui_checks=False)  # lint reports what the UI would do, rule by rule
        return [LintInput(str(path), rendered.body, locate=rendered.locate)]

    def rendered_rules() -> list[LintInput]:
        return [LintInput(str(path), body, locate=_at(at)) for body, at in item.rules()]

    out = _attempt(path, rendered_dashboard, rendering=True) + _attempt(path, rendered_rules, rendering=True)
    for linted in out:
        linted.profile, linted.disable = dashboard.profile, tuple(dashboard.lint.disable)
    return out
