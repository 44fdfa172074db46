"""The `signoz-dac` command line: one Typer app, one thin module per command.

Each command module exposes `register(app)`; heavy imports stay inside the command bodies so that
`signoz-dac --help` and `signoz-dac render` start fast.

Help is click's plain layout (`rich_markup_mode=None`): Typer's rich layout prints a `<bool>` type
beside every flag, which reads as if the flag took a value.
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

COMMAND_MODULES = ("init", "render", "push", "diff", "lint", "importer", "pull", "preview", "emulator")

app = typer.Typer(
    name="signoz-dac",
    help="Dashboards as code for SigNoz: render, lint, diff and push dashboards; import and pull the ones you have.",
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from signoz_dac.version import __version__

        typer.echo(f"signoz-dac {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Dashboards as code for SigNoz: render, lint, diff and push dashboards; import and pull the ones you have."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"signoz_dac.cli.{_name}").register(app)


def main() -> None:
    app(prog_name="signoz-dac")
