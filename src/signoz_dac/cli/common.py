"""What every command shares: printing safely, and turning known errors into one line on stderr and
an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

EXIT_OK = 0
EXIT_CHANGES = 1  # diff found changes or drift; push left conflicts or drift; lint found problems
EXIT_INPUT = 2  # bad input or usage
EXIT_SERVER = 3  # the server or the network failed
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a process ended by SIGINT

# What must never be printed: the API key, once push or diff has read it. Kept for the process.
_SECRETS: list[str] = []


def keep_secret(value: str) -> None:
    """Redact `value` from everything `say` prints from now on."""
    if value and value not in _SECRETS:
        _SECRETS.append(value)


def say(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print through one filter: each line with the secrets redacted and control characters gone,
    so nothing a server sent can forge a CI annotation, drive the terminal or show the key."""
    from signoz_dac.safetext import printable

    lines = [printable(line, _SECRETS, limit=None) for line in text.split("\n")]
    # None of our lines starts with `::`; one that does came from elsewhere and would be read as a
    # GitHub Actions command (an annotation, a mask): shift it.
    typer.echo("\n".join(f"> {line}" if line.lstrip().startswith("::") else line for line in lines), err=err, nl=nl)


@contextmanager
def fail_on_input_errors() -> Iterator[None]:
    """Bad input ends the command with exit 2 and a one-line message naming file and line."""
    from signoz_dac.errors import DefinitionError, InputError, SchemaError

    try:
        yield
    except SchemaError as exc:  # every issue, each with its definition line where it has one
        first, *rest = [str(issue) for issue in exc.issues] or ["invalid"]
        say(f"error: {exc.source + ': ' if exc.source else ''}{first}", err=True)
        for issue in rest:
            say(f"  {issue}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except DefinitionError as exc:  # every problem, each at its line
        for problem in exc.problems:
            say(f"error: {problem}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except InputError as exc:
        say(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
