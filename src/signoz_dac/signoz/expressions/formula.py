"""Formula expressions (`"A / (A + B)"`), which SigNoz parses with govaluate on save.

SigNoz requires a non-blank expression that govaluate accepts with SigNoz's formula functions
(querybuildertypesv5/formula.go); it does not check that the names refer to queries that exist
(`formula_references` gives them, for lint). govaluate lexes the text into tokens, then checks
that each token may follow the one before it and that parentheses balance; this module does the
same, so it accepts and rejects what the server does: `A * -1` is valid, `A*-1` is not (govaluate
reads `*-` as one unknown symbol), `foo(A)` is not (an unknown function), `A > 0 ? A : 0` is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from signoz_dac.signoz.expressions.scan import ExpressionError, quoted_end

# The functions SigNoz gives govaluate for formulas (its EvalFuncs); case-sensitive, as in Go.
FORMULA_FUNCTIONS = frozenset(
    {
        "exp", "log", "ln", "exp2", "log2", "exp10", "log10", "sqrt", "cbrt", "erf", "erfc",
        "lgamma", "tgamma", "sin", "cos", "tan", "asin", "acos", "atan", "degrees", "radians",
        "now", "toUnixTimestamp", "abs",
    }
)  # fmt: skip


class FormulaSyntaxError(ExpressionError):
    """A formula govaluate would not parse: SigNoz rejects it on save."""


# govaluate's symbols by token kind. "-" is a PREFIX where a value may start, else a MODIFIER.
_PREFIX = {"-", "!", "~"}
_MODIFIER = {"+", "-", "*", "/", "%", "**", "&", "|", "^", ">>", "<<"}
_LOGICAL = {"&&", "||"}
_COMPARATOR = {"==", "!=", ">", ">=", "<", "<=", "=~", "!~"}
_TERNARY = {"?", ":", "??"}

# Which token kind may follow which (govaluate's lexer states); the bool: may the expression end here.
_VALUE_NEXT = {"MODIFIER", "COMPARATOR", "LOGICALOP", "CLAUSE_CLOSE", "TERNARY", "SEPARATOR"}
_OPERAND = {"PREFIX", "NUMERIC", "BOOLEAN", "VARIABLE", "FUNCTION", "ACCESSOR", "STRING", "CLAUSE"}
_STATES: dict[str, tuple[set[str], bool]] = {
    "START": (_OPERAND, False),
    "CLAUSE": (_OPERAND | {"CLAUSE_CLOSE"}, False),
    "CLAUSE_CLOSE": (_VALUE_NEXT | {"NUMERIC", "BOOLEAN", "VARIABLE", "STRING", "CLAUSE"}, True),
    "NUMERIC": (_VALUE_NEXT, True),
    "BOOLEAN": (_VALUE_NEXT, True),
    "STRING": (_VALUE_NEXT, True),
    "VARIABLE": (_VALUE_NEXT, True),
    "ACCESSOR": (_VALUE_NEXT | {"CLAUSE"}, True),
    "MODIFIER": (_OPERAND | {"CLAUSE_CLOSE"}, False),
    "COMPARATOR": (_OPERAND | {"CLAUSE_CLOSE"}, False),
    "LOGICALOP": (_OPERAND | {"CLAUSE_CLOSE"}, False),
    "PREFIX": ({"NUMERIC", "BOOLEAN", "VARIABLE", "FUNCTION", "ACCESSOR", "CLAUSE", "CLAUSE_CLOSE"}, False),
    "TERNARY": (_OPERAND | {"SEPARATOR"}, False),
    "FUNCTION": ({"CLAUSE"}, False),
    "SEPARATOR": (_OPERAND, False),
}

_NUMBER = re.compile(r"[0-9.]+")
_NAME = re.compile(r"[^\W\d_][\w.]*")  # a letter, then letters, digits, '_' and '.'
_SYMBOL = re.compile(r"[^\w\s()\[\]'\"]+")  # a run of anything else: one symbol to govaluate


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    state = "START"
    i = 0
    while i < len(text):
        ch, col = text[i], i + 1
        if ch.isspace():
            i += 1
            continue
        if ch.isdigit() or ch == ".":
            m = _NUMBER.match(text, i)
            assert m
            if m.group().count(".") > 1 or m.group() == ".":
                raise FormulaSyntaxError(f"not a number: {m.group()!r}", text, col)
            kind, end = "NUMERIC", m.end()
        elif ch == ",":
            kind, end = "SEPARATOR", i + 1
        elif ch == "[":  # an escaped parameter name
            close = text.find("]", i)
            if close < 0:
                raise FormulaSyntaxError("unclosed '['", text, col)
            kind, end = "VARIABLE", close + 1
        elif ch in "'\"":
            quote_end = quoted_end(text, i)
            if quote_end is None:
                raise FormulaSyntaxError(f"unterminated string: no closing {ch}", text, col)
            kind, end = "STRING", quote_end
        elif ch in "()":
            kind, end = ("CLAUSE" if ch == "(" else "CLAUSE_CLOSE"), i + 1
        elif m := _NAME.match(text, i):
            kind, end = _word_kind(m.group(), text, col), m.end()
        else:
            m = _SYMBOL.match(text, i)
            if m is None:
                raise FormulaSyntaxError(f"unexpected character {ch!r}", text, col)
            kind, end = _symbol_kind(m.group(), state, text, col), m.end()
        tokens.append(_Token(kind, text[i:end], col))
        state = kind
        i = end
    return tokens


def _word_kind(word: str, text: str, col: int) -> str:
    if word in ("true", "false"):
        return "BOOLEAN"
    if word in ("in", "IN"):
        return "COMPARATOR"
    if "." in word:
        if word.endswith("."):
            raise FormulaSyntaxError(f"a name may not end with '.': {word!r}", text, col)
        return "ACCESSOR"
    return "FUNCTION" if word in FORMULA_FUNCTIONS else "VARIABLE"


def _symbol_kind(symbol: str, state: str, text: str, col: int) -> str:
    if symbol in _PREFIX and "PREFIX" in _STATES[state][0]:
        return "PREFIX"
    for kind, symbols in (("MODIFIER", _MODIFIER), ("LOGICALOP", _LOGICAL), ("COMPARATOR", _COMPARATOR),
                          ("TERNARY", _TERNARY)):  # fmt: skip
        if symbol in symbols:
            return kind
    raise FormulaSyntaxError(f"unknown operator {symbol!r} (write a space between two operators)", text, col)


def _check(text: str, tokens: list[_Token]) -> None:
    depth = 0
    for tok in tokens:
        depth += (tok.kind == "CLAUSE") - (tok.kind == "CLAUSE_CLOSE")
        if depth < 0:
            raise FormulaSyntaxError("unbalanced ')'", text, tok.column)
    if depth:
        raise FormulaSyntaxError("unclosed '(': missing ')'", text, len(text) + 1)
    state, previous = "START", None
    for tok in tokens:
        if tok.kind not in _STATES[state][0]:
            if previous is not None and previous.kind == "VARIABLE" and tok.kind == "CLAUSE":
                functions = ", ".join(sorted(FORMULA_FUNCTIONS))
                raise FormulaSyntaxError(f"unknown function {previous.text}() (known: {functions})", text, previous.column)
            after = f"after {previous.text!r}" if previous else "at the start"
            raise FormulaSyntaxError(f"unexpected {tok.text!r} {after}", text, tok.column)
        state, previous = tok.kind, tok
    if not _STATES[state][1]:
        raise FormulaSyntaxError("unexpected end of formula", text, len(text.rstrip()) + 1)


def formula_problem(expression: str) -> str | None:
    """Why SigNoz rejects a formula expression on save, or None."""
    if not expression.strip():
        return "must not be blank"
    try:
        formula_references(expression)
    except FormulaSyntaxError as err:
        return f"does not parse: {err.message} at column {err.column} (in {expression!r})"
    return None


def formula_references(expression: str) -> set[str]:
    """The query names a formula uses (`A` for `A.count`); raises FormulaSyntaxError if SigNoz
    would not parse it."""
    if not expression.strip():
        raise FormulaSyntaxError("is empty", expression, 1)
    tokens = _tokenize(expression)
    _check(expression, tokens)
    return {t.text.split(".")[0].strip("[]") for t in tokens if t.kind in ("VARIABLE", "ACCESSOR")}
