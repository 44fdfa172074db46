"""The errors a user can cause, each able to say where: a file and line, or a JSON path.

Every error the CLI turns into exit code 2 derives from `InputError`; server and network failures
live in `signoz_dac.signoz.errors` and map to exit code 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class DacError(Exception):
    """Base of every error signoz-dac raises on purpose."""


class InputError(DacError):
    """Bad input from the user: a definition, a dashboard JSON file, a template, a flag."""


@dataclass(frozen=True)
class Location:
    """Where in a source file something came from (1-based line and column), written the way
    editors and compilers do: `file:line:column`."""

    file: Path | str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if not self.line:
            return str(self.file)
        return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a definition, where it is."""

    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class DefinitionError(InputError):
    """A dashboard definition (YAML) is malformed or invalid: one problem, or every problem found
    (`problems`, in the order of the file). `message` and `location` are the first one's."""

    def __init__(self, message: str, location: Location | None = None):
        self.problems = [Problem(message, location)]
        self.message = message
        self.location = location
        super().__init__(str(self.problems[0]))

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> DefinitionError:
        """One error reporting all of `problems` (at least one), one per line."""
        error = cls(problems[0].message, problems[0].location)
        error.problems = list(problems)
        error.args = ("\n".join(str(p) for p in problems),)
        return error


@dataclass(frozen=True)
class Issue:
    """One rule broken by a SigNoz body, at a JSON path such as `spec.panels.x.spec.queries`."""

    path: str
    message: str
    location: Location | None = None  # the definition line the offending value came from, if known

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class IssuesError(InputError):
    """A body with issues at JSON paths: every issue found, and the file or name it came from."""

    def __init__(self, issues: list[Issue], source: str | None = None):
        self.issues = list(issues)
        self.source = source
        head = f"{source}: " if source else ""
        first = str(self.issues[0]) if self.issues else "invalid"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(f"{head}{first}{more}")

    def __reduce__(self) -> tuple[type[IssuesError], tuple[list[Issue], str | None]]:
        # Pickled (a process pool carrying it back) as what made it: the default would call
        # __init__ with the message as the list of issues.
        return type(self), (self.issues, self.source)


class UnknownBuiltin(InputError, ValueError):
    """No shipped definition has the name asked for (`builtin_definition`). Also a ValueError, as it
    was before it joined this hierarchy."""


class SchemaError(IssuesError):
    """A SigNoz body breaks the server's schema or rules."""


class NotRepresentable(IssuesError):
    """A SigNoz body holds something a definition cannot express (`import`); nothing is written for it."""


class TemplateError(InputError):
    """A Jinja template failed to render, or rendered something that is not JSON."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None):
        self.template = template
        self.line = line
        where = f"{template}:{line}: " if template and line else (f"{template}: " if template else "")
        super().__init__(f"{where}{message}")
