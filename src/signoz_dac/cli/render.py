"""`signoz-dac render`: definitions → SigNoz dashboard JSON files (no server needed)."""

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
    """Render dashboard definitions into SigNoz v6 JSON (the body SigNoz's POST /api/v2/dashboards accepts)."""
    from signoz_dac.render import dump, render
    from signoz_dac.resources import builtin_definitions
    from signoz_dac.spec import load_definition

    paths = definitions or builtin_definitions()
    with fail_on_input_errors():
        # Complete and validate everything before writing anything: a bad definition leaves no files.
        rendered = [(path, dump(render(load_definition(path), templates=templates))) for path in paths]
        if stdout:
            if len(rendered) != 1:
                raise typer.BadParameter("--stdout takes exactly one definition", param_hint="--stdout")
            typer.echo(rendered[0][1], nl=False)
            return
        names = _output_names(rendered)
        output.mkdir(parents=True, exist_ok=True)
        for (path, text), name in zip(rendered, names):
            target = output / f"{name}.json"
            _write_atomically(target, text)
            typer.echo(f"wrote {target} (from {path})")


def _output_names(rendered: list[tuple[Path, str]]) -> list[str]:
    import json

    from signoz_dac.errors import InputError

    names = [json.loads(text)["name"] for _, text in rendered]
    for name in set(names):
        sources = [str(p) for (p, _), n in zip(rendered, names) if n == name]
        if len(sources) > 1:
            raise InputError(f"dashboard name {name!r} is used by several definitions: {', '.join(sources)}")
    return names


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
