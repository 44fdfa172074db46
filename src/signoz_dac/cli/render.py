"""`signoz-dac render`: definitions → SigNoz dashboard and alert-rule JSON files (no server needed).

Each dashboard goes to `<output>/<name>.json`, its alert rules to `<output>/<name>.alerts/<rule id>.json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cli.common import fail_on_input_errors


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
    from signoz_dac.render.alerts.identity import rule_key
    from signoz_dac.resources import builtin_definitions
    from signoz_dac.spec import load_definition

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
        output.mkdir(parents=True, exist_ok=True)
        for (path, text), name, rules in zip(rendered, names, alerts):
            target = output / f"{name}.json"
            _write_atomically(target, text)
            typer.echo(f"wrote {target} (from {path})")
            _write_rules(output / f"{name}.alerts", rules, path)


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    from signoz_dac.errors import InputError

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names


def _write_rules(folder: Path, rules: list[tuple[str, str]], source: Path) -> None:
    """One file per rule; files of rules the definition no longer has are removed, so the folder
    always holds exactly the dashboard's rules."""
    if not rules and not folder.is_dir():
        return
    folder.mkdir(exist_ok=True)
    for rule_id, text in rules:
        target = folder / f"{rule_id}.json"
        _write_atomically(target, text)
        typer.echo(f"wrote {target} (from {source})")
    keep = {f"{rule_id}.json" for rule_id, _ in rules}
    for stale in sorted(folder.glob("*.json")):
        if stale.name not in keep:
            stale.unlink()
            typer.echo(f"removed {stale} (no longer in {source})")
    if not rules and not any(folder.iterdir()):
        folder.rmdir()


def _write_atomically(target: Path, text: str) -> None:
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
