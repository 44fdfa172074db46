"""What SigNoz's three expression languages share: a fault at a column, and quoted strings.

Filters (SigNoz's own grammar), aggregations (ClickHouse SQL) and formulas (govaluate) all read a
quoted string the same way: a backslash takes the next character literally, so `'it\\'s'` is one
string. Reading strings in one place is what keeps the three scanners from disagreeing about
where a string ends.
"""

from __future__ import annotations


class ExpressionError(ValueError):
    """A fault at a 1-based column of an expression (a filter, an aggregation, a formula)."""

    def __init__(self, message: str, expression: str, column: int):
        self.message = message
        self.expression = expression
        self.column = column
        super().__init__(f"column {column}: {message}")

    def caret(self) -> str:
        """The expression with a `^` under the offending column, then the message."""
        line = self.expression.replace("\n", " ")
        return f"{line}\n{' ' * (self.column - 1)}^ {self.message}"

    def explain(self) -> str:
        """The message, its column, and the caret lines: how a finding or a refusal shows it."""
        return f"{self.message} at column {self.column}:\n{self.caret()}"


def quoted_end(text: str, start: int, *, doubled: bool = False) -> int | None:
    """The index just past the string that opens with the quote at `text[start]`, or None when it
    is never closed. A backslash escapes the next character; with `doubled` (ClickHouse SQL), two
    quotes in a row also stand for one quote inside the string."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
        elif ch == quote:
            if doubled and text.startswith(quote, i + 1):
                i += 2
            else:
                return i + 1
        else:
            i += 1
    return None
