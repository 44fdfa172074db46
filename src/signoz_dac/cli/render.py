"""`signoz-dac render`: definitions → SigNoz dashboard and alert-rule JSON files (no server needed).

Each dashboard goes to `<output>/<name>.json`, its alert rules to `<output>/<name>.alerts/<rule id>.json`.
Render writes and deletes only inside the output folder, never through a link (cli/output.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.errors import InputError

from signoz_dac.cli.common import fail_on_input_errors
from signoz_dac.cli.output import OutputFolder


def register(app: typer.Typer) -> None:
    app.command("render")(render_command)


def render_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Dashboard definitions (YAML). Default: the built-in Pipecat and LiveKit dashboards."),
    ] = None,
    output: Annotated[Path, typer.Option("--output-dir", "-o", help="Folder to write <name>.json files into.")] = Path("build"),
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Use your own copy of the templates folder to restyle panels.")
    ] = None,
    stdout: Annotated[bool, typer.Option("--stdout", help="Print the JSON instead of writing files (one dashboard only).")] = False,
) -> None:
    """Render dashboard definitions into SigNoz v6 JSON (the body SigNoz's POST /api/v2/dashboards accepts),
    and their alert rules into the bodies POST /api/v2/rules accepts (<name>.alerts/<rule id>.json)."""
    from signoz_dac.render import dump, render
    from signoz_dac.render.alerts import render_alerts
    from signoz_dac.identity import rule_key
    from signoz_dac.resources import builtin_definitions
    from signoz_dac.definitions import load_definition

    paths = definitions or builtin_definitions()
    with fail_on_input_errors():
        # Complete and validate everything before writing anything: a bad definition leaves no files.
        rendered, alerts = [], []
        for path in paths:
            dashboard = load_definition(path)
            rendered.append((path, dump(render(dashboard, templates=templates))))
            rules = render_alerts(dashboard, templates=templates)
            alerts.append([(rule_key(rule)[1], dump(rule)) for rule in rules])  # type: ignore[index]
        if stdout:
            if len(rendered) != 1:
                raise typer.BadParameter("--stdout takes exactly one definition", param_hint="--stdout")
            typer.echo(rendered[0][1], nl=False)
            return
        names = _output_names(rendered)
        files: list[tuple[str | None, str, str, Path]] = []  # (folder in -o or None, file, text, definition)
        stale: dict[str, tuple[set[str], Path]] = {}  # rule folder -> (its files now, definition)
        for (path, text), name, rules in zip(rendered, names, alerts):
            files.append((None, f"{name}.json", text, path))
            files += [(f"{name}.alerts", f"{rule_id}.json", rule, path) for rule_id, rule in rules]
            stale[f"{name}.alerts"] = ({f"{rule_id}.json" for rule_id, _ in rules}, path)
        with OutputFolder(output) as out:
            out.refuse_links([(folder, name) for folder, name, _, _ in files] + [(folder, None) for folder in stale])
            out.write_all([(folder, name, text) for folder, name, text, _ in files])
            for folder, name, _, path in files:
                typer.echo(f"wrote {out.show(folder, name)} (from {path})")
            for folder, (keep, path) in stale.items():
                for removed in out.remove_stale(folder, keep):
                    typer.echo(f"removed {out.show(folder, removed)} (no longer in {path})")


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names
