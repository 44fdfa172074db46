"""`signoz-dac preview`: definitions → one self-contained HTML page with every panel's numbers,
computed locally from spans (no SigNoz needed). Exit 0 written; 2 bad input (file and line)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cli.common import fail_on_input_errors


def register(app: typer.Typer) -> None:
    app.command("preview")(preview_command)


def preview_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Definitions (.yaml) or SigNoz v6 dashboard JSON files. Default: the built-in dashboards.",
                       show_default=False),
    ] = None,
    spans: Annotated[
        list[Path] | None,
        typer.Option("--spans", help="Span file (repeatable): OTLP JSON (the Collector's file exporter), the "
                     "OpenTelemetry console exporter's output, or JSON lines of spans. Default: the bundled "
                     "sample capture of each dashboard's framework.", show_default=False),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path("preview.html"),
    variables: Annotated[
        list[str] | None,
        typer.Option("--var", help="A variable's value, NAME=VALUE (repeatable): ALL, a value, or a,b for several.",
                     show_default=False),
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Render definitions with your own copy of the templates folder.")
    ] = None,
) -> None:
    """Preview dashboards as SigNoz lays them out, with numbers computed from spans (needs chDB:
    pip install 'signoz-dac[preview]'; without it the page shows the layout with empty panels)."""
    from signoz_dac.preview import preview_html
    from signoz_dac.preview.variables import parse_overrides

    with fail_on_input_errors():
        dashboards = _dashboards(definitions or [], templates)
        html = preview_html(dashboards, spans or [], parse_overrides(variables or []))
        _write(output, html)
    typer.echo(f"wrote {output} ({len(dashboards)} dashboard{'s' if len(dashboards) != 1 else ''})")


def _dashboards(paths: list[Path], templates: Path | None):
    from signoz_dac.errors import InputError
    from signoz_dac.preview import Dashboard
    from signoz_dac.resources import builtin_definitions
    from signoz_dac.sources import load_bodies

    out = []
    for path in paths or builtin_definitions():
        if path.suffix in (".yaml", ".yml"):
            from signoz_dac import load_definition, render, render_alerts

            if not path.is_file():
                raise InputError(f"{path}: no such file")
            definition = load_definition(path)
            out.append(Dashboard(str(path), render(definition, templates=templates), definition.profile,
                                 render_alerts(definition, templates=templates)))
        else:
            out.extend(Dashboard(source, body) for source, body in load_bodies([path], templates=templates))
    return out


def _write(target: Path, text: str) -> None:
    """Write through a temporary file beside the target, so a failure leaves no half-written page."""
    import os
    import tempfile

    from signoz_dac.errors import InputError

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # a normal file, not mkstemp's private one
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"cannot write {exc.filename or target}: {exc.strerror or exc}") from None
