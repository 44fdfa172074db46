"""The registry of lint checks and of the finders that look for them.

A check is what a user sees and can disable: an id, a severity and one line of documentation. A
finder is the code that looks at a dashboard; one finder may report several related checks (the
aggregation parser finds unknown functions, packed entries and wrong argument counts in one pass).
("Rule" in this codebase means an alert rule, SigNoz's word; lint's are checks.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from signoz_dac.lint.finding import Severity

if TYPE_CHECKING:
    from signoz_dac.lint.context import LintContext


@dataclass(frozen=True)
class Hit:
    """A finder's raw result; the engine turns it into a `Finding` with the check's severity."""

    check: str
    path: str
    message: str
    # What the message is about ('panel "Latency", query A'), where a check keeps it apart: the
    # engine puts it in front, and says a message once per definition line whatever its subjects.
    subject: str = ""


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    doc: str


FinderFn = Callable[["LintContext"], Iterable[Hit]]

CHECKS: dict[str, Check] = {}
FINDERS: list[tuple[tuple[str, ...], FinderFn]] = []


def check(id: str, severity: Severity, doc: str) -> str:
    """Declare a check; returns its id so a module can keep it as a constant."""
    if id in CHECKS:
        raise ValueError(f"lint check {id!r} declared twice")
    CHECKS[id] = Check(id, severity, doc)
    return id


def finds(*check_ids: str) -> Callable[[FinderFn], FinderFn]:
    """Register a finder that may report the given checks; it is skipped when all of them are disabled."""

    def register(fn: FinderFn) -> FinderFn:
        unknown = [c for c in check_ids if c not in CHECKS]
        if unknown:
            raise ValueError(f"finder {fn.__name__} reports undeclared checks {unknown}")
        FINDERS.append((check_ids, fn))
        return fn

    return register
