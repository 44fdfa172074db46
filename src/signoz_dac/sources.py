"""Paths on the command line → (source, SigNoz body) pairs, validated; shared by push, diff and lint.

A `.yaml`/`.yml` file is a definition, rendered through `signoz_dac.render`, and its alert rules
through `signoz_dac.render_alerts`; a `.json` file is a SigNoz v6 dashboard body (no rules),
validated with the server's rules. A folder contributes its definitions and JSON files. Every
failure is an `InputError` that names the file (and line, where there is one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError, Location

DEFINITION_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


@dataclass
class Inputs:
    """What push and diff deploy: dashboard bodies and alert-rule bodies, each with its source path,
    and the lock state each definition asks for (`locked:`; JSON inputs say none)."""

    dashboards: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    rules: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    locked: dict[str, bool] = field(default_factory=dict)  # dashboard name -> locked


def load_bodies(
    paths: Sequence[str | Path] | None = None, *, templates: str | Path | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """Validated dashboard bodies for `paths` (default: the built-in dashboards), each with its source path.

    Every body has a stable `name`, and names are unique across the inputs: push identifies a
    dashboard by it.
    """
    return load_inputs(paths, templates=templates, alerts=False).dashboards


def load_inputs(
    paths: Sequence[str | Path] | None = None, *, templates: str | Path | None = None, alerts: bool = True
) -> Inputs:
    """Validated dashboards and (with `alerts`) the alert rules of each definition.

    Dashboard names are unique across the inputs, and so are rule names (`alert`): SigNoz does not
    enforce the latter, and two rules with one name could not be told apart in its UI.
    """
    from signoz_dac.resources import builtin_definitions

    files = _expand([Path(p) for p in paths] if paths else builtin_definitions())
    inputs = Inputs()
    for path in files:
        body, rules, locked = _load(path, templates, alerts)
        inputs.dashboards.append((str(path), body))
        if locked is not None:
            inputs.locked[body["name"]] = locked
        inputs.rules.extend((str(path), rule) for rule in rules)
    _check_unique(inputs.dashboards, "name", "dashboard name", "")
    _check_unique(inputs.rules, "alert", "alert rule name", "; give the rule its own `title:`")
    return inputs


def _expand(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in DEFINITION_SUFFIXES + JSON_SUFFIXES)
            if not found:
                raise InputError(f"{path}: no .yaml definitions or .json dashboards in this folder")
            files.extend(found)
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        else:
            files.append(path)
    return files


def _load(
    path: Path, templates: str | Path | None, alerts: bool
) -> tuple[dict[str, Any], list[dict[str, Any]], bool | None]:
    if path.suffix in DEFINITION_SUFFIXES:
        from signoz_dac import load_definition, render, render_alerts

        dashboard = load_definition(path)
        rules = render_alerts(dashboard, templates=templates) if alerts else []
        return render(dashboard, templates=templates), rules, dashboard.locked
    if path.suffix in JSON_SUFFIXES:
        return _load_json(path), [], None
    raise InputError(f"{path}: expected a definition (.yaml) or a SigNoz dashboard (.json)")


def read_json(path: Path) -> Any:
    """A JSON file's content; unreadable or invalid files are an InputError naming file and line.

    Read within `safejson`'s limits: at most MAX_INPUT_BYTES, nested at most MAX_DEPTH levels, and
    no NaN or Infinity (not JSON; SigNoz's decoder refuses them)."""
    from signoz_dac.safejson import JSONLimitError, TooLarge, loads, read_limited

    try:
        return loads(read_limited(path).decode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except TooLarge as exc:
        raise InputError(f"{path}: the file is {exc}; is it a dashboard?") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    except JSONLimitError as exc:
        raise InputError(f"{Location(path, exc.line or 1)}: {exc.message}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{Location(path, exc.lineno)}: invalid JSON (column {exc.colno}): {exc.msg}") from None


def _load_json(path: Path) -> dict[str, Any]:
    from signoz_dac.signoz.v6 import parse_dashboard

    body = read_json(path)
    if not isinstance(body, dict):
        raise InputError(f"{Location(path, 1)}: a dashboard must be a JSON object")
    # Raises SchemaError with JSON paths; push also needs a fixed `name`, so generateName is refused.
    parse_dashboard(body, source=str(path), allow_generate_name=False)
    return body


def _check_unique(items: list[tuple[str, dict[str, Any]]], field: str, what: str, hint: str) -> None:
    """SigNoz identifies dashboards (and push identifies rules) by name: two inputs may not share one."""
    seen: dict[str, str] = {}
    for source, item in items:
        name = item[field]
        if name in seen:
            raise InputError(f"{source}: {what} {name!r} is also used by {seen[name]}{hint}")
        seen[name] = source
