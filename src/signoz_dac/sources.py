"""Paths on the command line → what they hold: the one input loader of every command.

A `.yaml`/`.yml` file is a definition: its dashboard is rendered (`render_traced`, remembering the
definition line of each part) and its alert rules too. A `.json` file holds SigNoz JSON. A folder
contributes its definitions and JSON files; no paths at all means the built-in dashboards. A file
named on the command line with any other name (`/dev/stdin`, a pipe) is what the command reads by
default: a definition for `render`, JSON for `lint`; push and diff refuse it.

Commands differ in what they demand of an input, not in how it is read. Each `Input` reads its
parts when asked, and a failure is an exception naming the file (and line, where there is one):
- render, push and diff stop at the first one and take only valid bodies with a fixed `name`
  (`load_inputs`, `load_bodies`);
- lint asks for each part in turn and reports a part that fails as a finding on that file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from signoz_dac.errors import InputError, Location

if TYPE_CHECKING:
    from signoz_dac.definitions import Dashboard
    from signoz_dac.render.pipeline import Rendered

DEFINITION_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


@dataclass
class Input:
    """One input file; its parts are read (and cached) when a command asks for them."""

    path: Path
    is_definition: bool  # else SigNoz JSON
    templates: Path | None = None  # the user's own templates folder, if any

    @cached_property
    def definition(self) -> Dashboard:
        """The definition a YAML file holds (DefinitionError naming file and line)."""
        from signoz_dac.definitions import load_definition

        return load_definition(self.path)

    def dashboard(self, *, ui_checks: bool = True) -> Rendered:
        """The definition's dashboard, validated with SigNoz's rules; with `ui_checks`, also refused
        where SigNoz's UI would not show it as meant (what `render` does; lint reports it instead)."""
        from signoz_dac.render.pipeline import check_ui, render_traced

        rendered = render_traced(self.definition, templates=self.templates)
        if ui_checks:
            check_ui(rendered)
        return rendered

    def rules(self) -> list[tuple[dict[str, Any], Location | None]]:
        """The definition's alert rule bodies, each with the definition line of its rule."""
        from signoz_dac.render.alerts.pipeline import render_alerts_traced

        return render_alerts_traced(self.definition, templates=self.templates)

    @cached_property
    def content(self) -> Any:
        """What a JSON file holds (InputError naming file and line when it is not readable JSON)."""
        return read_json(self.path)


def inputs(
    paths: Sequence[str | Path] | None = None,
    *,
    templates: str | Path | None = None,
    other_files: Literal["definition", "json"] | None = None,
    rule_folders: bool = False,
) -> list[Input]:
    """The input files for `paths` (default: the built-in dashboards). A path that does not exist,
    or a folder with nothing to read, is an InputError; so is a file named neither .yaml/.yml nor
    .json, unless `other_files` says how the command reads one. With `rule_folders`, a folder's
    `<name>.alerts/` folders (where `render` writes alert rules) are read too."""
    from signoz_dac.resources import builtin_definitions

    folder = Path(templates) if templates else None
    found: list[Input] = []
    for path in [Path(p) for p in paths] if paths else builtin_definitions():
        if path.is_dir():
            # Regular files only: a pipe or socket named like a definition would wait for a writer forever.
            files = sorted(p for p in path.iterdir() if p.suffix in DEFINITION_SUFFIXES + JSON_SUFFIXES and p.is_file())
            if rule_folders:
                files += sorted(p for p in path.glob("*.alerts/*.json") if p.is_file())
            if not files:
                raise InputError(f"{path}: no .yaml definitions or .json dashboards in this folder")
            found += [Input(p, p.suffix in DEFINITION_SUFFIXES, folder) for p in files]
        elif not path.exists():
            raise InputError(f"{path}: no such file")
        elif path.suffix in DEFINITION_SUFFIXES + JSON_SUFFIXES:
            found.append(Input(path, path.suffix in DEFINITION_SUFFIXES, folder))
        elif other_files is not None:
            found.append(Input(path, other_files == "definition", folder))
        else:
            raise InputError(f"{path}: expected a definition (.yaml) or a SigNoz dashboard (.json)")
    return found


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
    """Validated dashboards and (with `alerts`) the alert rules of each definition; a JSON file is
    a SigNoz v6 dashboard body (no rules), validated with the server's rules.

    Dashboard names are unique across the inputs, and so are rule names (`alert`): SigNoz does not
    enforce the latter, and two rules with one name could not be told apart in its UI.
    """
    loaded = Inputs()
    for item in inputs(paths, templates=templates):
        source = str(item.path)
        if item.is_definition:
            rules = item.rules() if alerts else []
            body = item.dashboard().body
            loaded.dashboards.append((source, body))
            if item.definition.locked is not None:
                loaded.locked[body["name"]] = item.definition.locked
            loaded.rules.extend((source, rule) for rule, _ in rules)
        else:
            loaded.dashboards.append((source, _dashboard_json(item)))
    _check_unique(loaded.dashboards, "name", "dashboard name", "")
    _check_unique(loaded.rules, "alert", "alert rule name", "; give the rule its own `title:`")
    return loaded


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


def _dashboard_json(item: Input) -> dict[str, Any]:
    from signoz_dac.signoz.v6 import parse_dashboard

    body = item.content
    if not isinstance(body, dict):
        raise InputError(f"{Location(item.path, 1)}: a dashboard must be a JSON object")
    # Raises SchemaError with JSON paths; push also needs a fixed `name`, so generateName is refused.
    parse_dashboard(body, source=str(item.path), allow_generate_name=False)
    return body


def _check_unique(items: list[tuple[str, dict[str, Any]]], field: str, what: str, hint: str) -> None:
    """SigNoz identifies dashboards (and push identifies rules) by name: two inputs may not share one."""
    seen: dict[str, str] = {}
    for source, item in items:
        name = item[field]
        if name in seen:
            raise InputError(f"{source}: {what} {name!r} is also used by {seen[name]}{hint}")
        seen[name] = source
