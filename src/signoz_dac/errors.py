"""The errors a user can cause, each able to say where: a file and line, or a JSON path.

Every error the CLI turns into exit code 2 derives from `InputError`; server and network failures
live in `signoz_dac.signoz.errors` and map to exit code 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class DacError(Exception):
    """Base of every error signoz-dac raises on purpose."""


class InputError(DacError):
    """Bad input from the user: a definition, a dashboard JSON file, a template, a flag."""


@dataclass(frozen=True)
class Location:
    """Where in a source file something came from (1-based line)."""

    file: Path | str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)


class DefinitionError(InputError):
    """A dashboard definition (YAML) is malformed or invalid."""

    def __init__(self, message: str, location: Location | None = None):
        self.message = message
        self.location = location
        super().__init__(f"{location}: {message}" if location else message)


@dataclass(frozen=True)
class Issue:
    """One rule broken by a SigNoz body, at a JSON path such as `spec.panels.x.spec.queries`."""

    path: str
    message: str
    location: Location | None = None  # the definition line the offending value came from, if known

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class SchemaError(InputError):
    """A SigNoz body breaks the server's schema or rules; carries every issue found."""

    def __init__(self, issues: list[Issue], source: str | None = None):
        self.issues = list(issues)
        self.source = source
        head = f"{source}: " if source else ""
        first = str(self.issues[0]) if self.issues else "invalid"
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(f"{head}{first}{more}")


class TemplateError(InputError):
    """A Jinja template failed to render, or rendered something that is not JSON."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None):
        self.template = template
        self.line = line
        where = f"{template}:{line}: " if template and line else (f"{template}: " if template else "")
        super().__init__(f"{where}{message}")
