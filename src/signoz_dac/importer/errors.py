"""What `import` reports: a part of a body the definitions cannot say, named by its JSON path."""

from __future__ import annotations

from signoz_dac.errors import Issue, NotRepresentable

__all__ = ["NotRepresentable", "fail"]


def fail(path: str, message: str) -> NotRepresentable:
    return NotRepresentable([Issue(path, message)])
