"""The `signoz-dac` command line: one Typer app, one thin module per command.

Each command module exposes `register(app)`; heavy imports stay inside the command bodies so that
`signoz-dac --help` and `signoz-dac render` start fast.

Help is click's plain layout (`rich_markup_mode=None`): Typer's rich layout prints a `<bool>` type
beside every flag, which reads as if the flag took a value.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterable
from functools import cache
from typing import Annotated

import typer

# command -> the module that defines it
COMMAND_MODULES = {
    "init": "init",
    "render": "render",
    "push": "push",
    "diff": "diff",
    "lint": "lint",
    "import": "importer",
    "pull": "pull",
    "preview": "preview",
    "emulator": "emulator",
}
HELP = "Dashboards as code for SigNoz: render, lint, diff and push dashboards; import and pull the ones you have."


def _print_version(value: bool) -> None:
    if value:
        from signoz_dac.version import __version__

        typer.echo(f"signoz-dac {__version__}")
        raise typer.Exit()


def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Dashboards as code for SigNoz: render, lint, diff and push dashboards; import and pull the ones you have."""


def build_app(commands: Iterable[str] = COMMAND_MODULES) -> typer.Typer:
    """The `signoz-dac` app with `commands` (all of them by default)."""
    built = typer.Typer(
        name="signoz-dac",
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
    )
    built.callback()(_options)
    for name in commands:
        importlib.import_module(f"signoz_dac.cli.{COMMAND_MODULES[name]}").register(built)
    return built


@cache
def whole_app() -> typer.Typer:
    return build_app()


def __getattr__(name: str) -> typer.Typer:
    """`app`: the whole app (every command), built on first use, for tests and tools that drive it."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return whole_app()


def main() -> None:
    # Typer turns every command's signature into click objects before it runs one (about 2 ms a
    # command), and each command's module is imported to register it: a command line that starts
    # with a command's name gets an app with only that command. Anything else (no command, a
    # top-level option, a typo, shell completion) gets the whole app.
    named = sys.argv[1] if len(sys.argv) > 1 else None
    completing = any(key.startswith("_SIGNOZ_DAC_COMPLETE") for key in os.environ)
    chosen = build_app([named]) if named in COMMAND_MODULES and not completing else whole_app()
    chosen(prog_name="signoz-dac")
