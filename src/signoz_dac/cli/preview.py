"""`signoz-dac preview`: definitions → one self-contained HTML page with every panel's numbers,
computed locally from spans (no SigNoz needed). Exit 0 written; 2 bad input (file and line)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from signoz_dac.cli.common import UNCHECKED, exit_on_interrupt, fail_on_input_errors, shown


def register(app: typer.Typer) -> None:
    app.command("preview")(preview_command)


def preview_command(
    definitions: Annotated[
        list[Path] | None,
        typer.Argument(help="Definitions (.yaml) or SigNoz v6 dashboard JSON files, or folders of them. Default: the "
                       "built-in dashboards.", show_default=False, **UNCHECKED),
    ] = None,
    spans: Annotated[
        list[Path] | None,
        typer.Option("--spans", help="Span file (repeatable): OTLP JSON (the Collector's file exporter), the "
                     "OpenTelemetry console exporter's output, or JSON lines of spans. Default: the bundled "
                     "sample capture of each dashboard's framework.", show_default=False, **UNCHECKED),
    ] = None,
    output_file: Annotated[
        Path, typer.Option("--output-file", "-f", metavar="FILE", help="The HTML file to write.", **UNCHECKED)
    ] = Path("preview.html"),
    output: Annotated[str | None, typer.Option("--output", "-o", hidden=True)] = None,
    variables: Annotated[
        list[str] | None,
        typer.Option("--var", help="A variable's value, NAME=VALUE (repeatable): ALL, a value, or a,b for several.",
                     show_default=False),
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Render definitions with your own copy of the templates folder.",
                                  **UNCHECKED)
    ] = None,
) -> None:
    """Preview dashboards as SigNoz lays them out, with numbers computed from spans (needs chDB:
    pip install 'signoz-dac[preview]'; without it the page shows the layout with empty panels)."""
    from signoz_dac.cli.output import write_file
    from signoz_dac.preview import preview_html
    from signoz_dac.preview.variables import parse_overrides

    if output is not None:  # `-o` is the output format elsewhere; preview took it for the file before
        raise typer.BadParameter(f"preview writes one HTML page: name the file with -f/--output-file {output}",
                                 param_hint="'-o' / '--output'")
    with exit_on_interrupt(), fail_on_input_errors():
        dashboards = _dashboards(definitions or [], templates)
        html = preview_html(dashboards, spans or [], parse_overrides(variables or []))
        write_file(output_file, html)
    typer.echo(f"wrote {shown(output_file)} ({len(dashboards)} dashboard{'s' if len(dashboards) != 1 else ''})")


def _dashboards(paths: list[Path], templates: Path | None):
    """What to preview, read as every command reads its inputs (a folder gives its definitions and
    JSON files): a definition with its profile (which picks the sample spans) and its alert rules."""
    from signoz_dac.preview import Dashboard
    from signoz_dac.sources import inputs, load_bodies

    out = []
    for item in inputs(paths or None, templates=templates):
        if item.is_definition:
            rules = [rule for rule, _ in item.rules()]
            out.append(Dashboard(str(item.path), item.dashboard().body, item.definition.profile, rules))
        else:
            out.extend(Dashboard(source, body) for source, body in load_bodies([item.path]))
    return out
