"""What every command shares: turning known errors into one line on stderr and an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

EXIT_OK = 0
EXIT_CHANGES = 1  # diff found changes or drift; push left conflicts or drift; lint found problems
EXIT_INPUT = 2  # bad input or usage
EXIT_SERVER = 3  # the server or the network failed


@contextmanager
def fail_on_input_errors() -> Iterator[None]:
    """Bad input ends the command with exit 2 and a one-line message naming file and line."""
    from signoz_dac.errors import InputError, SchemaError

    try:
        yield
    except SchemaError as exc:
        typer.echo(f"error: {exc}", err=True)
        for issue in exc.issues[1:10]:
            typer.echo(f"  {issue}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
