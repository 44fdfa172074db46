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
        files: list[tuple[Path, str, Path]] = []  # (target, text, definition)
        for (path, text), name, rules in zip(rendered, names, alerts):
            files.append((output / f"{name}.json", text, path))
            files += [(output / f"{name}.alerts" / f"{rule_id}.json", rule, path) for rule_id, rule in rules]
        _write_all([(target, text) for target, text, _ in files])
        for target, _, path in files:
            typer.echo(f"wrote {target} (from {path})")
        for (path, _), name, rules in zip(rendered, names, alerts):
            _remove_stale_rules(output / f"{name}.alerts", {f"{rule_id}.json" for rule_id, _ in rules}, path)


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    from signoz_dac.errors import InputError

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names


def _remove_stale_rules(folder: Path, keep: set[str], source: Path) -> None:
    """Rule files the definition no longer has are removed, so the folder holds exactly its rules."""
    if not folder.is_dir():
        return
    for stale in sorted(folder.glob("*.json")):
        if stale.name not in keep:
            stale.unlink()
            typer.echo(f"removed {stale} (no longer in {source})")
    if not any(folder.iterdir()):
        folder.rmdir()


def _write_all(files: list[tuple[Path, str]]) -> None:
    """Stage every file beside its target, then move them all into place: a failure while staging
    (the likely one: a full disk, a file in the way) writes nothing.

    A folder that cannot be written (a file in the way, no permission) is bad usage: exit 2, one line.
    """
    import os
    import tempfile

    from signoz_dac.errors import InputError

    staged: list[tuple[str, Path]] = []
    try:
        for target, text in files:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
    except BaseException as exc:  # Ctrl-C included: leave no staged files behind
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        where = exc.filename or (staged[-1][1] if staged else "the output folder")
        raise InputError(f"cannot write {where}: {exc.strerror or exc}") from None
    for tmp, target in staged:
        os.replace(tmp, target)
