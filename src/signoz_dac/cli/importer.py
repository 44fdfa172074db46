"""`signoz-dac import FILE.json… -d DIR`: SigNoz dashboard JSON → definitions (YAML), one per dashboard.

Each definition is checked before anything is written: it must load, and render back to the body it
came from in the canonical form push compares. A body that cannot be said in a definition is exit 2,
naming its JSON path, and nothing is written. `pull` (cli/pull.py) shares the writing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from signoz_dac.cli.common import (
    UNCHECKED,
    Output,
    OutputDir,
    check_output,
    failures_reported,
    report_files,
    shown,
)

if TYPE_CHECKING:
    from signoz_dac.importer import Imported
    from signoz_dac.render.pipeline import Rendered


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)


def import_command(
    files: Annotated[
        list[Path], typer.Argument(help="SigNoz dashboard JSON: a UI export, a GET response, or a template.", **UNCHECKED)
    ],
    output_dir: OutputDir = Path("."),
    output: Output = "text",
) -> None:
    """Turn SigNoz dashboard JSON (v6) into definitions (<name>.yaml) that render back to the same dashboards."""
    from signoz_dac.identity import DASHBOARD_MARKS
    from signoz_dac.importer import import_dashboard
    from signoz_dac.sources import read_json

    check_output(output, folder_flag="-d")
    with failures_reported(output):
        imported = [import_dashboard(read_json(p), source=shown(p), drop_tags=DASHBOARD_MARKS) for p in files]
        write_definitions(imported, output_dir, output)


def write_definitions(imported: list[Imported], output_dir: Path, output: str = "text") -> None:
    """Check every definition renders back to its body, then write them all (or none), and say so
    in the `output` format."""
    from signoz_dac.cli.output import OutputFolder
    from signoz_dac.errors import InputError
    from signoz_dac.importer import definition_yaml

    files: list[tuple[str, str]] = []  # (file name in the output folder, text)
    checked: list[Imported] = []  # each result, with what render refuses of it
    seen: dict[str, str | None] = {}
    for result in imported:
        name = result.definition.name
        if name in seen:
            raise InputError(f"{result.source}: dashboard name {name!r} is also the name of {seen[name]}")
        seen[name] = result.source
        result = replace(result, render_refuses=verify(result, definition_yaml(result)))
        files.append((f"{name}.yaml", definition_yaml(result)))
        checked.append(result)
    with OutputFolder(output_dir) as out:
        out.refuse_links([(None, name) for name, _ in files])
        out.write_all([(None, name, text) for name, text in files])
    report_files([{"action": "wrote", "kind": "definition", "path": shown(output_dir / name), "source": result.source,
                   "notes": [*result.notes, *(f"`signoz-dac render` and `push` refuse it until fixed: {problem}"
                                              for problem in result.render_refuses)]}
                  for (name, _), result in zip(files, checked)], output)


def verify(result: Imported, text: str) -> tuple[str, ...]:
    """The definition loads from `text` and renders back to the body it came from (canonical form,
    server fields and push's own tags aside); a difference names its JSON paths.

    Returns what `render` and `push` demand beyond SigNoz (their own checks, and what SigNoz's UI
    would not show as meant) that the body breaks, as "path: message": a body SigNoz accepts is
    imported exactly, but those commands refuse it until the user fixes these.
    """
    import tempfile

    from signoz_dac.definitions import load_definition
    from signoz_dac.errors import DefinitionError, Issue, SchemaError
    from signoz_dac.identity import DASHBOARD_MARKS
    from signoz_dac.importer import NotRepresentable
    from signoz_dac.render.pipeline import render_traced
    from signoz_dac.sync.canonical import canonical

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{result.definition.name}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            definition = load_definition(path)
        except DefinitionError as exc:
            # Its lines are in a temporary file the user never sees: name the input instead.
            message = f"the definition written for it would not load back: {exc.problems[0].message}"
            raise NotRepresentable([Issue("", message)], result.source) from None
        try:
            traced = render_traced(definition, own_checks=False)
        except SchemaError as exc:
            # SigNoz would refuse the body itself: name the input and the body's paths, not the
            # temporary file the check rendered from (its lines mean nothing to the user).
            raise SchemaError([Issue(i.path, i.message) for i in exc.issues], result.source) from None
    expected, got = canonical(result.body, drop=DASHBOARD_MARKS), canonical(traced.body)
    paths = sorted(differences(expected, got))
    if paths:
        _refused_by_signoz(result)  # a body SigNoz refuses is bad input, not our bug
        message = "the definition would not render this back exactly (please report it as a signoz-dac bug)"
        raise NotRepresentable([Issue(p, message) for p in paths], result.source)
    return render_refusals(traced)


def _refused_by_signoz(result: Imported) -> None:
    """Raise SchemaError (at the body's JSON paths) when SigNoz would refuse the body imported."""
    from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS
    from signoz_dac.signoz.v6 import parse_dashboard

    posted = {k: v for k, v in result.body.items() if k not in {*DASHBOARD_SERVER_FIELDS, "generateName"}}
    parse_dashboard(posted, source=result.source, allow_generate_name=False)  # under the name import gave it


def render_refusals(rendered: Rendered) -> tuple[str, ...]:
    """What `render` (and so `push`) refuses in a body SigNoz accepts: signoz-dac's own demands on
    its output, and what SigNoz's UI would not show as meant."""
    from signoz_dac.errors import SchemaError
    from signoz_dac.render.output_checks import dashboard_issues
    from signoz_dac.render.pipeline import check_ui

    found = dashboard_issues(rendered.parsed)
    try:
        check_ui(rendered)
    except SchemaError as exc:
        found += exc.issues
    return tuple(f"{i.path}: {i.message}" if i.path else i.message for i in found)


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """The JSON paths where two canonical bodies differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [p for k in sorted(set(a) | set(b)) for p in differences(a.get(k), b.get(k), f"{path}.{k}" if path else k)]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in differences(x, y, f"{path}[{i}]")]
    return [] if a == b and type(a) is type(b) else [path]
