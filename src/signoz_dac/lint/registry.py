"""The registry of lint rules and of the checks that emit them.

A rule is what a user sees and can disable: an id, a severity and one line of documentation. A
check is the code that looks at a dashboard; one check may emit several related rules (the
aggregation parser finds unknown functions, packed entries and wrong argument counts in one pass).
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
    """A check's raw result; the engine turns it into a `Finding` with the rule's severity."""

    rule: str
    path: str
    message: str
    # What the message is about ('panel "Latency", query A'), where a check keeps it apart: the
    # engine puts it in front, and says a message once per definition line whatever its subjects.
    subject: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    doc: str


CheckFn = Callable[["LintContext"], Iterable[Hit]]

RULES: dict[str, Rule] = {}
CHECKS: list[tuple[tuple[str, ...], CheckFn]] = []


def rule(id: str, severity: Severity, doc: str) -> str:
    """Declare a rule; returns its id so a check module can keep it as a constant."""
    if id in RULES:
        raise ValueError(f"lint rule {id!r} declared twice")
    RULES[id] = Rule(id, severity, doc)
    return id


def check(*rule_ids: str) -> Callable[[CheckFn], CheckFn]:
    """Register a check that may emit the given rules; it is skipped when all of them are disabled."""

    def register(fn: CheckFn) -> CheckFn:
        unknown = [r for r in rule_ids if r not in RULES]
        if unknown:
            raise ValueError(f"check {fn.__name__} emits undeclared rules {unknown}")
        CHECKS.append((rule_ids, fn))
        return fn

    return register
