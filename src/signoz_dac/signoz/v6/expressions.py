"""The two small expression languages the schema checks at write time.

- Formula expressions (`"A / (A+B)"`): SigNoz parses them with govaluate. We accept the subset
  dashboards use: query names, numbers, + - * / %, unary minus, parentheses, and calls to the
  math functions SigNoz's formula evaluator provides. `formula_references` returns the query names
  used, so a formula naming a query that is not in its composite is caught.
- Trace/log aggregation expressions (`"p95(duration_nano)"`): one function call per entry. SigNoz
  rejects comma-packed entries (`"count(), sum(x)"`) and `" as "` aliases at write time.
"""

from __future__ import annotations

import re

# Math functions SigNoz's formula evaluator knows (query-service EvalFuncs).
FORMULA_FUNCTIONS = frozenset(
    {
        "exp", "log", "ln", "exp2", "log2", "exp10", "log10", "sqrt", "cbrt", "erf", "erfc",
        "lgamma", "tgamma", "sin", "cos", "tan", "asin", "acos", "atan", "degrees", "radians",
        "now", "toUnixTimestamp",
    }
)  # fmt: skip

_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d*)?|\.\d+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[-+*/%(),]))")


class FormulaSyntaxError(ValueError):
    pass


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise FormulaSyntaxError(f"unexpected {text[pos:].lstrip()[:1]!r} at position {pos + 1}")
        kind = m.lastgroup or ""
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    return tokens


class _Parser:
    """Recursive descent: expr := term (+|- term)*; term := unary (*|/|% unary)*;
    unary := - unary | primary; primary := number | name | name(args) | (expr)."""

    def __init__(self, text: str):
        self.tokens = _tokenize(text)
        self.i = 0
        self.names: set[str] = set()

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] == value:
            self.i += 1
            return True
        return False

    def expr(self) -> None:
        self.term()
        while self.take("+") or self.take("-"):
            self.term()

    def term(self) -> None:
        self.unary()
        while self.take("*") or self.take("/") or self.take("%"):
            self.unary()

    def unary(self) -> None:
        if self.take("-"):
            self.unary()
        else:
            self.primary()

    def primary(self) -> None:
        tok = self.peek()
        if tok is None:
            raise FormulaSyntaxError("unexpected end of expression")
        kind, value, pos = tok
        self.i += 1
        if kind == "num":
            return
        if kind == "name":
            if self.take("("):
                if value not in FORMULA_FUNCTIONS:
                    raise FormulaSyntaxError(f"unknown function {value!r}")
                if not self.take(")"):
                    self.expr()
                    while self.take(","):
                        self.expr()
                    if not self.take(")"):
                        raise FormulaSyntaxError(f"missing ')' after arguments of {value}")
            else:
                self.names.add(value)
            return
        if kind == "op" and value == "(":
            self.expr()
            if not self.take(")"):
                raise FormulaSyntaxError(f"missing ')' for '(' at position {pos + 1}")
            return
        raise FormulaSyntaxError(f"unexpected {value!r} at position {pos + 1}")


def formula_references(expression: str) -> set[str]:
    """The query names a formula uses; raises FormulaSyntaxError if it does not parse."""
    if not expression.strip():
        raise FormulaSyntaxError("is empty")
    parser = _Parser(expression)
    parser.expr()
    rest = parser.peek()
    if rest is not None:
        raise FormulaSyntaxError(f"unexpected {rest[1]!r} at position {rest[2] + 1}")
    return parser.names


_CALL_START = re.compile(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*\(")
_AS = re.compile(r"\sas\s", re.IGNORECASE)


def aggregation_problem(expression: str) -> str | None:
    """Why a trace/log aggregation expression is not a single function call, or None if it is."""
    if not expression.strip():
        return "must not be empty"
    if _AS.search(expression):
        return "must not contain ' as ' (use the aggregation's 'alias' field)"
    if not _CALL_START.match(expression):
        return f"must be a single function call such as count() or p95(duration_nano), got {expression!r}"
    depth = 0
    quote = ""
    closed_at = -1  # where the outermost call's ')' is
    commas = 0
    for i, ch in enumerate(expression):
        if quote:
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return f"has an unbalanced ')' in {expression!r}"
            if depth == 0 and closed_at < 0:
                closed_at = i
        elif ch == "," and depth == 0:
            commas += 1
    if quote or depth:
        return f"has an unclosed {'quote' if quote else '('} in {expression!r}"
    if commas:
        return (
            f"packs {commas + 1} expressions into one entry ({expression!r}); "
            "use one aggregation entry per function call"
        )
    if expression[closed_at + 1 :].strip():
        return f"must be a single function call, got {expression!r}"
    return None
