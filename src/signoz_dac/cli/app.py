"""The `signoz-dac` command line: one Typer app, one thin module per command.

Each command module exposes `register(app)`; heavy imports stay inside the command bodies so that
`signoz-dac --help` and `signoz-dac render` start fast.
"""

from __future__ import annotations

import importlib

import typer

COMMAND_MODULES = ("render", "push", "diff", "lint", "importer", "pull", "preview")

app = typer.Typer(
    name="signoz-dac",
    help="Dashboards as code for SigNoz: render, lint, diff and push dashboards; import and pull the ones you have.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"signoz_dac.cli.{_name}").register(app)


def main() -> None:
    app()
