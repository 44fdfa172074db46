"""What `import` reports: a part of a body the definitions cannot say, named by its JSON path."""

from __future__ import annotations

from signoz_dac.errors import InputError, Issue


class NotRepresentable(InputError):
    """A SigNoz body holds something a definition cannot express; nothing is written for it."""

    def __init__(self, issues: list[Issue], source: str | None = None):
        self.issues = list(issues)
        self.source = source
        head = f"{source}: " if source else ""
        more = f" (and {len(self.issues) - 1} more)" if len(self.issues) > 1 else ""
        super().__init__(f"{head}{self.issues[0]}{more}")


def fail(path: str, message: str) -> NotRepresentable:
    return NotRepresentable([Issue(path, message)])
