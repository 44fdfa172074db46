"""Trace and log aggregation expressions (`aggregations[].expression`), read the two ways SigNoz does.

On save, every logs/traces aggregation must be non-blank and must not contain " as "
(querybuildertypesv5/validation.go): `rule_aggregation_problem`, all an alert rule gets. A
dashboard's is also parsed as `SELECT <expression>` by a ClickHouse SQL parser and must give
exactly one select item (dashboardtypes/perses_dashboard_data.go): `count(), sum(bytes)` is
rejected, while `sum(a) + sum(b)`, `countIf(day > 10, status)` and `sum(toFloat64(x))` are one
item each: `aggregation_problem`.

When the panel runs, SigNoz rewrites every function call in the expression through its table of
aggregation functions (querybuilder/agg_funcs.go, agg_rewrite.go): an unknown or nested function,
a wrong number of arguments or a broken `…If` condition fails the query. `parse_aggregation`
reports those, so lint and render find them before anyone opens the panel. Arithmetic between
aggregations and numbers (`sum(a) + sum(b)`, `count() / 60`) is one aggregation.

Both readings share one tokenizer, the ClickHouse shape of an expression.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from signoz_dac.signoz.expressions.filter import Filter, FilterSyntaxError, parse_filter
from signoz_dac.signoz.expressions.scan import ExpressionError, quoted_end


@dataclass(frozen=True)
class FunctionSpec:
    name: str  # the canonical spelling, for messages
    min_args: int
    max_args: int
    predicate: bool  # the last argument is a filter expression (the `…If` variants)
    family: str  # "count": a number of things, "value": in the unit of its field, "rate": per second


def _build_table() -> dict[str, FunctionSpec]:
    table: dict[str, FunctionSpec] = {}

    def add(spec: FunctionSpec, *aliases: str) -> None:
        for alias in (spec.name, *aliases):
            table[alias.lower()] = spec

    add(FunctionSpec("count", 0, 1, False, "count"))
    add(FunctionSpec("countIf", 1, 1, True, "count"), "count_if")
    add(FunctionSpec("countDistinct", 1, 10, False, "count"), "count_distinct")
    add(FunctionSpec("countDistinctIf", 2, 2, True, "count"), "count_distinct_if")
    for fn in ("sum", "avg", "min", "max"):
        add(FunctionSpec(fn, 1, 1, False, "value"))
        add(FunctionSpec(f"{fn}If", 2, 2, True, "value"), f"{fn}_if")
    for q in ("05", "10", "20", "25", "50", "75", "90", "95", "99", "999"):
        add(FunctionSpec(f"p{q}", 1, 1, False, "value"))
        add(FunctionSpec(f"p{q}If", 2, 2, True, "value"), f"p{q}_if")
    add(FunctionSpec("rate", 0, 1, False, "rate"))
    add(FunctionSpec("rateIf", 1, 1, True, "rate"), "rate_if")
    for fn in ("sum", "avg", "min", "max"):
        add(FunctionSpec(f"rate_{fn}", 1, 1, False, "rate"))
    return table


# Lower-cased name (aliases included) → the function; SigNoz matches names case-insensitively.
FUNCTIONS: dict[str, FunctionSpec] = _build_table()


class AggregationError(ExpressionError):
    """`kind` is one of "syntax", "packed", "unknown-function", "arguments", "predicate"."""

    def __init__(self, kind: str, message: str, expression: str, column: int):
        self.kind = kind
        super().__init__(message, expression, column)


# -- tokens: the ClickHouse shape of an expression ----------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # NAME NUMBER STRING OP LPAREN RPAREN LBRACK RBRACK COMMA
    text: str
    start: int  # 0-based offset
    end: int


# A field key as SigNoz writes it (`resource.service.name:string`, `$var`), or a SQL identifier.
_NAME = re.compile(r"[A-Za-z_$@{#][A-Za-z0-9_$@#{}]*(?:\.[A-Za-z0-9_$@#{}]+)*(?::(?!:)[A-Za-z][A-Za-z0-9\[\]]*)?")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATOR = re.compile(r"::|->|\|\||<=|>=|!=|<>|==|[-+*/%=<>?:]")
_SINGLES = {"(": "LPAREN", ")": "RPAREN", "[": "LBRACK", "]": "RBRACK", ",": "COMMA"}


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in _SINGLES:
            tokens.append(_Token(_SINGLES[ch], ch, i, i + 1))
            i += 1
            continue
        if ch in "'\"`":
            end = quoted_end(text, i, doubled=True)
            if end is None:
                raise AggregationError("syntax", f"unterminated string: no closing {ch}", text, i + 1)
            # In ClickHouse "x" and `x` are quoted names; SigNoz's filter language reads "x" as a string.
            tokens.append(_Token("STRING" if ch == "'" else "NAME", text[i:end], i, end))
            i = end
            continue
        for kind, pattern in (("NUMBER", _NUMBER), ("NAME", _NAME), ("OP", _OPERATOR)):
            m = pattern.match(text, i)
            if m:
                tokens.append(_Token(kind, m.group(), i, m.end()))
                i = m.end()
                break
        else:
            raise AggregationError("syntax", f"unexpected character {ch!r}", text, i + 1)
    return tokens


# -- on save: one SELECT item --------------------------------------------------------------------

# SQL keywords by how they sit in an expression: after a value (`a AND b`, `x IS NULL`, `CASE … END`),
# or anywhere (`NOT x`, `count(DISTINCT x)`, `CASE WHEN`). NULL, TRUE and FALSE are values.
_INFIX = {"and", "or", "like", "ilike", "in", "is", "between", "then", "else", "as", "regexp", "global"}
_PREFIX = {"not", "distinct", "case", "when", "interval", "all"}
_VALUES = {"null", "true", "false"}


def _select_item_count_problem(text: str, tokens: list[_Token]) -> str | None:
    """Why `SELECT <text>` is not exactly one select item, judged on the shape of its tokens: a
    comma outside any call, brackets that do not match, two values in a row, a dangling operator.
    Lenient where SQL is rich (keywords, aliases, CASE): only what cannot parse is a problem."""
    stack: list[str] = []
    state = "start"  # start | value | operator | alias (a name right after a value: `count() total`)
    previous: _Token | None = None
    for tok in tokens:
        word = tok.text.lower() if tok.kind == "NAME" else ""
        where = f"at column {tok.start + 1}"
        if tok.kind == "LPAREN":
            if state == "alias" or (state == "value" and previous and previous.kind not in ("NAME", "RPAREN")):
                return f"unexpected '(' {where}"
            stack.append(")")
            state = "start"
        elif tok.kind == "LBRACK":
            stack.append("]")
            state = "start"
        elif tok.kind in ("RPAREN", "RBRACK"):
            if not stack or stack[-1] != tok.text:
                return f"unbalanced {tok.text!r} {where}"
            if state == "operator":
                return f"an operator without its right-hand side before {tok.text!r} {where}"
            stack.pop()
            state = "value"
        elif tok.kind == "COMMA":
            if not stack:
                return "packs several aggregations into one entry (a ',' between them): use one aggregation entry per function call"
            if state in ("start", "operator"):
                return f"an empty item before ',' {where}"
            state = "start"
        elif word in _INFIX or word == "end":
            if state not in ("value", "alias") and not (previous and previous.text.lower() == "not"):
                return f"{tok.text!r} needs a value before it {where}"
            state = "value" if word == "end" else "operator"
        elif word in _PREFIX:
            state = "operator"
        elif tok.kind == "OP" and not (tok.text == "*" and state in ("start", "operator")):
            if state not in ("value", "alias") and tok.text not in "-+":
                return f"{tok.text!r} needs a value before it {where}"
            state = "operator"
        elif state in ("value", "alias"):  # a value right after a value: only a name, as an alias
            if tok.kind != "NAME" or word in _VALUES or state == "alias":
                return f"two values in a row {where}: a missing operator or ','?"
            state = "alias"
        else:
            state = "value"
        previous = tok
    if stack:
        return f"unclosed bracket: missing {stack[-1]!r}"
    if state == "operator":
        return "ends with an operator"
    if state == "start":
        return "has no expression"
    return None


def rule_aggregation_problem(expression: str) -> str | None:
    """What SigNoz rejects on save in any logs/traces aggregation, an alert rule's included."""
    if not expression.strip():
        return "must not be empty"
    if " as " in expression.lower():
        return "must not contain ' as ' (set the aggregation's 'alias' instead)"
    return None


def aggregation_problem(expression: str) -> str | None:
    """What SigNoz rejects in a dashboard's logs/traces aggregation on save: what it rejects in any
    (`rule_aggregation_problem`), and an expression that is not exactly one `SELECT` item."""
    problem = rule_aggregation_problem(expression)
    if problem:
        return problem
    try:
        problem = _select_item_count_problem(expression, _tokenize(expression))
    except AggregationError as err:
        problem = err.message
    return f"{problem} in {expression!r}" if problem else None


# -- when the panel runs: calls of known aggregation functions ---------------------------------


@dataclass(frozen=True)
class Call:
    """One aggregation function call, e.g. `p95If(metrics.ttfb, name = 'llm')`."""

    function: FunctionSpec
    args: tuple[str, ...]  # argument texts (the predicate included)
    fields: tuple[str, ...]  # arguments that are plain field keys, e.g. `turn.duration_seconds`
    predicate: Filter | None
    column: int  # 1-based column of the function name
    end: int  # 0-based index just past its closing ')': the call is `text[column - 1:end]`


@dataclass(frozen=True)
class Aggregation:
    """An aggregation expression: one call, or arithmetic over calls and numbers."""

    text: str
    calls: tuple[Call, ...]
    operators: frozenset[str]  # the arithmetic between them: "+", "/", ... (empty for one call)

    @property
    def single(self) -> Call | None:
        """The call, when the expression is one call and nothing else."""
        return self.calls[0] if len(self.calls) == 1 and not self.operators else None


_FIELD = re.compile(r"[A-Za-z$_@{#][A-Za-z0-9$_@#{}:\-/]*(?:\.[A-Za-z0-9$_@#{}:\-/]+)*")
_ARITHMETIC = {"+", "-", "*", "/", "%"}


class _Reader:
    """expression := term (op term)*; term := ['-' | '+'] (call | number | '(' expression ')')."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.pos = 0
        self.calls: list[Call] = []
        self.operators: set[str] = set()

    def peek(self, offset: int = 0) -> _Token | None:
        at = self.pos + offset
        return self.tokens[at] if at < len(self.tokens) else None

    def error(self, kind: str, message: str, tok: _Token | None) -> AggregationError:
        column = tok.start + 1 if tok else len(self.text.rstrip()) + 1
        return AggregationError(kind, message, self.text, column)

    def read(self) -> Aggregation:
        if not self.tokens:
            raise AggregationError("syntax", "empty aggregation: write e.g. count() or avg(field)", self.text, 1)
        self.expression()
        rest = self.peek()
        if rest is not None:
            raise self.trailing(rest)
        return Aggregation(self.text, tuple(self.calls), frozenset(self.operators))

    def trailing(self, tok: _Token) -> AggregationError:
        """Text after a complete expression: a second aggregation, an alias, or stray text."""
        if tok.kind == "COMMA":
            return self.error(
                "packed", "several aggregations packed in one entry: give each its own aggregations[] item", tok
            )
        if tok.kind == "NAME" and tok.text.lower() == "as":
            return self.error("syntax", "AS is not allowed in an expression: set the entry's `alias` instead", tok)
        nxt = self.peek(1)
        if tok.kind == "NAME" and nxt is not None and nxt.kind == "LPAREN":
            return self.error("packed", "two aggregations without an operator between them: split them or add one", tok)
        if tok.kind == "RPAREN":
            return self.error("syntax", "unbalanced ')'", tok)
        return self.error("syntax", f"unexpected {tok.text!r} after the aggregation", tok)

    def expression(self) -> None:
        self.term()
        while (tok := self.peek()) is not None and tok.kind == "OP" and tok.text in _ARITHMETIC:
            self.operators.add(tok.text)
            self.pos += 1
            self.term()

    def term(self) -> None:
        tok = self.peek()
        while tok is not None and tok.kind == "OP" and tok.text in "-+":
            self.pos += 1
            tok = self.peek()
        if tok is None:
            raise self.error("syntax", "expected an aggregation such as count() or p95(duration_nano)", None)
        if tok.kind == "NUMBER":
            self.pos += 1
        elif tok.kind == "LPAREN":
            self.pos += 1
            self.expression()
            close = self.peek()
            if close is None or close.kind != "RPAREN":
                raise self.error("syntax", f"unclosed '(' at column {tok.start + 1}: missing ')'", close)
            self.pos += 1
        elif tok.kind == "NAME" and (nxt := self.peek(1)) is not None and nxt.kind == "LPAREN":
            self.call()
        else:
            raise self.error("syntax", "expected a function call such as count() or p95(duration_nano)", tok)

    def call(self) -> None:
        name_tok = self.tokens[self.pos]
        name = name_tok.text
        spec = FUNCTIONS.get(name.lower())
        if spec is None:
            hint = difflib.get_close_matches(name.lower(), FUNCTIONS, n=1)
            suggestion = f"; did you mean {FUNCTIONS[hint[0]].name}()?" if hint else ""
            raise self.error("unknown-function", f"unknown aggregation function {name}(){suggestion}", name_tok)
        spans, close_at = self.arguments(self.pos + 1)
        if not spec.min_args <= len(spans) <= spec.max_args:
            want = str(spec.min_args) if spec.min_args == spec.max_args else f"{spec.min_args} to {spec.max_args}"
            shape = " (the last one a filter condition)" if spec.predicate else ""
            raise self.error("arguments", f"{name}() takes {want} argument(s){shape}, got {len(spans)}", name_tok)
        texts = [self.text[a:b] for a, b in spans]
        predicate = None
        if spec.predicate:
            predicate = self.predicate(name, spans[-1][0], texts[-1], name_tok)
        plain = texts[:-1] if spec.predicate else texts
        fields_end = spans[len(plain) - 1][1] if plain else -1
        for i in range(self.pos + 2, close_at):  # a call among the field arguments
            tok = self.tokens[i]
            if tok.start < fields_end and tok.kind == "NAME" and self.tokens[i + 1].kind == "LPAREN":
                raise self.error(
                    "arguments",
                    f"{tok.text}() inside {name}(): SigNoz reads each argument as a field, so a nested "
                    "function call fails when the panel runs",
                    tok,
                )
        fields = tuple(a.strip() for a in plain if _FIELD.fullmatch(a.strip()))
        closing = self.tokens[close_at]
        self.calls.append(Call(spec, tuple(a.strip() for a in texts), fields, predicate, name_tok.start + 1, closing.end))
        self.pos = close_at + 1

    def arguments(self, open_at: int) -> tuple[list[tuple[int, int]], int]:
        """The (start, end) offsets of the top-level arguments of the call whose '(' is token
        `open_at`, and the index of its ')' token."""
        opening = self.tokens[open_at]
        depth = 0
        begin = opening.end
        spans: list[tuple[int, int]] = []
        for i in range(open_at, len(self.tokens)):
            tok = self.tokens[i]
            if tok.kind in ("LPAREN", "LBRACK"):
                depth += 1
            elif tok.kind in ("RPAREN", "RBRACK"):
                depth -= 1
                if depth == 0:
                    if spans or self.text[begin : tok.start].strip():
                        spans.append((begin, tok.start))
                    for a, b in spans:
                        if not self.text[a:b].strip():
                            raise AggregationError("arguments", "empty argument", self.text, a + 1)
                    return spans, i
            elif tok.kind == "COMMA" and depth == 1:
                spans.append((begin, tok.start))
                begin = tok.end
        raise AggregationError("syntax", "unclosed '(': missing ')'", self.text, opening.start + 1)

    def predicate(self, name: str, start: int, text: str, name_tok: _Token) -> Filter:
        try:
            predicate = parse_filter(text)
        except FilterSyntaxError as err:
            raise AggregationError(
                "predicate", f"in the condition of {name}(): {err.message}", self.text, start + err.column
            ) from None
        if predicate.root is None:
            raise self.error("arguments", f"{name}() needs a condition", name_tok)
        return predicate


def parse_aggregation(text: str) -> Aggregation:
    """Read an aggregation as SigNoz does when the panel runs; raises `AggregationError` with the
    column of the first fault."""
    return _Reader(text).read()
