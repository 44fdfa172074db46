"""What every command shares: printing safely, and turning known errors into one line on stderr and
an exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

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


class Failed(typer.Exit):
    """The command failed: its message (said on stderr) and exit code, for `reported` to repeat
    in the JSON document of `--output json`."""

    def __init__(self, code: int, lines: list[str]):
        super().__init__(code)
        self.lines = lines


def fail(code: int, lines: list[str]) -> Failed:
    """Say `lines` on stderr; the exception that ends the command with `code`."""
    for line in lines:
        say(line, err=True)
    return Failed(code, lines)


@contextmanager
def reported(output: str) -> Iterator[None]:
    """With `--output json`, a command that fails still prints one document on stdout:
    `{"items": [], "exit_code": N, "error": "..."}` (the message is on stderr as well)."""
    try:
        yield
    except Failed as failed:
        if output == "json":
            import json

            message = "\n".join(line.removeprefix("error: ") for line in failed.lines)
            say(json.dumps({"items": [], "exit_code": failed.exit_code, "error": message}, indent=2))
        raise


@contextmanager
def exit_on_interrupt(done: str = "") -> Iterator[None]:
    """Ctrl-C: one line saying what was done (`done`), exit 130, no traceback. Push's own
    `Interrupted` (during its writes) carries its report and passes through."""
    try:
        yield
    except KeyboardInterrupt as exc:
        from signoz_dac.sync.apply import Interrupted

        if isinstance(exc, Interrupted):
            raise
        raise fail(EXIT_INTERRUPTED, [f"error: interrupted{'; ' + done if done else ''}"]) from None


@contextmanager
def failures_reported(output: str, *, interrupted: str = "") -> Iterator[None]:
    """What a command does when it fails: bad input is exit 2, Ctrl-C exit 130 (saying
    `interrupted`: what was done), each one message on stderr, and one document on stdout with
    `--output json` (`reported`)."""
    with reported(output), exit_on_interrupt(interrupted), fail_on_input_errors():
        yield


@contextmanager
def fail_on_input_errors() -> Iterator[None]:
    """Bad input ends the command with exit 2 and a one-line message naming file and line."""
    from signoz_dac.errors import DefinitionError, InputError, IssuesError

    try:
        yield
    except IssuesError as exc:  # every issue, each with its definition line where it has one
        first, *rest = [str(issue) for issue in exc.issues] or ["invalid"]
        raise fail(EXIT_INPUT, [f"error: {exc.source + ': ' if exc.source else ''}{first}", *(f"  {i}" for i in rest)]) from None
    except DefinitionError as exc:  # every problem, each at its line
        raise fail(EXIT_INPUT, [f"error: {problem}" for problem in exc.problems]) from None
    except InputError as exc:
        raise fail(EXIT_INPUT, [f"error: {exc}"]) from None


# `-o/--output` is the output format in every command (lint adds `github`); folders and files that
# a command writes have their own flags (`-d/--output-dir`, preview's `-f/--output-file`).
FORMATS = ("text", "json")
Output = Annotated[str, typer.Option("--output", "-o", metavar="FORMAT", help="text or json.")]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Compute every result again instead of reading unchanged inputs' results from the cache.")
]
# Paths are checked by the command that reads them, not by click: a file it cannot read is bad input
# like any other (its own message, exit 2, the JSON document of `--output json`), not a usage error.
UNCHECKED = {"readable": False}
OutputDir = Annotated[Path, typer.Option("--output-dir", "-d", metavar="DIR", help="The folder to write into.", **UNCHECKED)]


def check_output(output: str, *, folder_flag: str | None = None) -> None:
    """Exit 2 for a format other than text or json. Before `-d/--output-dir` existed, `render`,
    `import` and `pull` took the folder as `-o DIR`: `folder_flag` names the flag to use instead."""
    if output in FORMATS:
        return
    hint = f"; the folder to write into is {folder_flag} {output}" if folder_flag else ""
    raise typer.BadParameter(f"use text or json, not {output!r}{hint}", param_hint="'-o' / '--output'")


def shown(path: str | Path) -> str:
    """A path as messages show it: a built-in definition as `<builtin>/pipecat.yaml`, a path under the
    current directory relative to it, anything else as given."""
    from signoz_dac.resources import dashboards_dir

    text = str(path)
    candidate = Path(text)
    if not candidate.is_absolute():
        return text
    try:
        return f"<builtin>/{candidate.relative_to(dashboards_dir()).as_posix()}"
    except (ValueError, FileNotFoundError):
        pass
    try:
        return candidate.relative_to(Path.cwd()).as_posix() or "."
    except (ValueError, OSError):
        return text


def report_files(rows: list[dict[str, Any]], output: str) -> None:
    """What a command wrote or removed: a line each, or (`--output json`) one document on stdout,
    `{"items": [{"action", "kind", "path", "source"}, ...]}`."""
    if output == "json":
        import json

        say(json.dumps({"items": rows, "exit_code": EXIT_OK}, indent=2))
        return
    for row in rows:
        why = f"(from {row['source']})" if row["action"] == "wrote" else f"(no longer in {row['source']})"
        say(f"{row['action']} {row['path']} {why}")
        for note in row.get("notes", ()):
            say(f"  note: {note}")
