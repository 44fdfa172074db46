"""SigNoz's query-builder filter language (`filter.expression`, and the conditions of `countIf` & co.).

Written from what SigNoz's grammar (`grammar/FilterQuery.g4`) and its visitor
(`pkg/querybuilder/where_clause_visitor.go`) accept, not generated from them. SigNoz stores any
string at save time and fails only when the panel runs, so this parser is how we find broken
filters before they ship, and how render embeds a user's filter as one parsed unit (`to_text`):
a filter is never pasted into another as text, so it cannot widen the query it narrows.

    query      := [orExpr] EOF
    orExpr     := andExpr (OR andExpr)*
    andExpr    := unary ((AND)? unary)*          -- a missing AND is an implicit AND
    unary      := [NOT] primary
    primary    := '(' orExpr ')' | function | comparison | fullText
    comparison := key ( op value
                      | [NOT] (LIKE | ILIKE | REGEXP | CONTAINS | CONTAIN) value
                      | [NOT] BETWEEN value AND value
                      | [NOT] IN ( '(' values ')' | '[' values ']' | value )
                      | [NOT] (EXISTS | EXIST) )
    function   := (has | hasAny | hasAll | hasToken | search) '(' arg (',' arg)* ')'
    fullText   := QUOTED | bare word              -- a full-text term (logs only)

Keywords are case-insensitive. Errors carry a 1-based column and render a caret line.
Precedence, highest first: parentheses, NOT, AND, OR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from signoz_dac.signoz.expressions.scan import ExpressionError, quoted_end

# -- tokens ---------------------------------------------------------------------------------------

KEYWORDS = {
    "and": "AND",
    "or": "OR",
    "not": "NOT",
    "like": "LIKE",
    "ilike": "ILIKE",
    "between": "BETWEEN",
    "in": "IN",
    "exists": "EXISTS",
    "exist": "EXISTS",
    "regexp": "REGEXP",
    "contains": "CONTAINS",
    "contain": "CONTAINS",
    "true": "BOOL",
    "false": "BOOL",
}

# Lower-cased function name → (min args, max args). They are keywords only before a `(`, so an
# attribute that happens to be called `has` still works as a key.
FUNCTIONS = {"has": (2, 2), "hasany": (2, 2), "hasall": (2, 2), "hastoken": (2, 2), "search": (1, 2)}

COMPARISON_OPS = {"=", "==", "!=", "<>", "<", "<=", ">", ">="}
PATTERN_OPS = {"LIKE", "ILIKE", "REGEXP", "CONTAINS"}

# Field-context prefixes (telemetrytypes/field_context.go): the first dotted segment of a key,
# when it is one of these.
CONTEXT_PREFIXES = {
    "resource": "resource",
    "scope": "scope",
    "attribute": "attribute",
    "tag": "attribute",
    "span": "span",
    "spanfield": "span",
    "log": "log",
    "logfield": "log",
    "trace": "trace",
    "tracefield": "trace",
    "event": "event",
    "body": "body",
    "metric": "metric",
}

_KEY_START = re.compile(r"[A-Za-z$_@{#]")
_KEY_SEGMENT = re.compile(r"[A-Za-z$_@{#][A-Za-z0-9$_@#{}:\-/]*|[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_OPERATOR = re.compile(r"==|!=|<>|<=|>=|=|<|>")


@dataclass(frozen=True)
class Token:
    kind: str  # LPAREN RPAREN LBRACK RBRACK COMMA OP QUOTED NUMBER KEY FUNC EOF, or a keyword kind
    text: str  # the source text (for QUOTED: the value SigNoz reads from it, see `unquote`)
    column: int  # 1-based
    raw: str = ""  # the source text, quotes and escapes included


class FilterSyntaxError(ExpressionError):
    """A filter expression that SigNoz would reject when the panel runs."""


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    singles = {"(": "LPAREN", ")": "RPAREN", "[": "LBRACK", "]": "RBRACK", ",": "COMMA"}
    while i < n:
        ch = text[i]
        col = i + 1
        if ch.isspace():
            i += 1
        elif ch in singles:
            tokens.append(Token(singles[ch], ch, col))
            i += 1
        elif ch in "'\"":
            end = quoted_end(text, i)
            if end is None:
                raise FilterSyntaxError(f"unterminated string: no closing {ch}", text, col)
            tokens.append(Token("QUOTED", unquote(text[i:end]), col, text[i:end]))
            i = end
        elif (m := _NUMBER.match(text, i)) and not _continues_word(text, m.end()):
            tokens.append(Token("NUMBER", m.group(), col))
            i = m.end()
        elif m := _OPERATOR.match(text, i):
            tokens.append(Token("OP", m.group(), col))
            i = m.end()
        elif _KEY_START.match(ch):
            word, i = _read_key(text, i)
            tokens.append(_classify_word(text, word, i, col))
        else:
            raise FilterSyntaxError(f"unexpected character {ch!r}", text, col)
    tokens.append(Token("EOF", "", n + 1))
    return tokens


def _continues_word(text: str, end: int) -> bool:
    # `1abc` is not a number followed by a key; treat the whole thing as an error via the key path.
    return end < len(text) and _KEY_START.match(text[end]) is not None


def unquote(quoted: str) -> str:
    r"""The value SigNoz's visitor reads from a quoted string: the quotes stripped, then `\\`
    and `\'` un-escaped (trimQuotes); any other backslash stays as written."""
    return quoted[1:-1].replace("\\\\", "\\").replace("\\'", "'")


def literal(value: str) -> str:
    """A quoted string that SigNoz reads back as exactly `value`: backslash, then quote escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _read_key(text: str, start: int) -> tuple[str, int]:
    """Segments joined by `.`; a segment may be all digits after the first (`items.0`); `[]`/`[*]`."""
    m = _KEY_SEGMENT.match(text, start)
    assert m  # the caller checked the first character
    i = m.end()
    while True:
        if text.startswith("[]", i):
            i += 2
        elif text.startswith("[*]", i):
            i += 3
        elif i < len(text) and text[i] == "." and (seg := _KEY_SEGMENT.match(text, i + 1)):
            i = seg.end()
        else:
            return text[start:i], i


def _classify_word(text: str, word: str, end: int, col: int) -> Token:
    lower = word.lower()
    if lower in KEYWORDS:
        return Token(KEYWORDS[lower], word, col)
    if lower in FUNCTIONS and text[end:].lstrip().startswith("("):
        return Token("FUNC", word, col)
    return Token("KEY", word, col)


# -- AST ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    text: str  # as written, e.g. `resource.service.name:string`
    name: str  # without context prefix and type hint: `service.name`
    context: str | None  # `resource`, `attribute`, ... when a prefix names one
    type_hint: str | None
    column: int = field(compare=False)


@dataclass(frozen=True)
class Value:
    kind: str  # "string" | "number" | "bool" | "variable" | "word"
    text: str  # unescaped string, number text, `true`, `$var`, or a bare word
    column: int = field(compare=False)
    raw: str = ""  # as written (quotes and escapes included); what `to_text` writes back

    @property
    def variable(self) -> str | None:
        """`service_name` for `$service_name`."""
        return self.text[1:] if self.kind == "variable" else None


@dataclass(frozen=True)
class Comparison:
    key: Key
    op: str  # "=", "!=", "<", "LIKE", "IN", "BETWEEN", "EXISTS", ... (`==` → `=`, `<>` → `!=`)
    values: tuple[Value, ...]
    negated: bool = False
    column: int = field(default=0, compare=False)
    brackets: str = ""  # how an IN list was written: "()", "[]", or "" for `IN value` / `IN $var`


@dataclass(frozen=True)
class Function:
    name: str  # canonical lower case: `has`, `hasany`, ...
    args: tuple[Key | Value | tuple[Value, ...], ...]  # a tuple is a `[...]` list
    column: int = field(compare=False)
    spelling: str = field(default="", compare=False)  # as written: `hasAny`


@dataclass(frozen=True)
class FullText:
    value: Value  # a free-text term: only the logs signal supports it


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


Node = Comparison | Function | FullText | Not | And | Or


@dataclass
class Filter:
    """A parsed filter; `root` is None for an empty expression (no filtering)."""

    text: str
    root: Node | None

    def walk(self) -> list[Node]:
        """Every node, depth first."""
        out: list[Node] = []
        stack = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            out.append(node)
            if isinstance(node, (And, Or)):
                stack.extend(reversed(node.operands))
            elif isinstance(node, Not):
                stack.append(node.operand)
        return out

    def comparisons(self) -> list[Comparison]:
        return [n for n in self.walk() if isinstance(n, Comparison)]

    def keys(self) -> list[Key]:
        keys: list[Key] = [c.key for c in self.comparisons()]
        for node in self.walk():
            if isinstance(node, Function):
                keys.extend(a for a in node.args if isinstance(a, Key))
        return keys

    def values(self) -> list[Value]:
        out: list[Value] = []
        for node in self.walk():
            if isinstance(node, Comparison):
                out.extend(node.values)
            elif isinstance(node, Function):
                for arg in node.args:
                    if isinstance(arg, Value):
                        out.append(arg)
                    elif isinstance(arg, tuple):
                        out.extend(arg)
            elif isinstance(node, FullText):
                out.append(node.value)
        return out

    def variables(self) -> list[str]:
        """Names referenced as `$name` (without the `$`), in order of appearance."""
        return [v.variable for v in self.values() if v.variable]

    def full_text_terms(self) -> list[FullText]:
        return [n for n in self.walk() if isinstance(n, FullText)]


def make_key(text: str, column: int) -> Key:
    """Split `context.name:type` into its parts."""
    body, hint = text, None
    if ":" in text:
        head, _, tail = text.rpartition(":")
        if head:
            body, hint = head, tail
    context = None
    first, dot, rest = body.partition(".")
    if dot and rest and first.lower() in CONTEXT_PREFIXES:
        context, body = CONTEXT_PREFIXES[first.lower()], rest
    return Key(text=text, name=body, context=context, type_hint=hint, column=column)


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, message: str, tok: Token | None = None) -> FilterSyntaxError:
        tok = tok or self.tok
        return FilterSyntaxError(message, self.text, tok.column)

    def expect(self, kind: str, what: str) -> Token:
        if self.tok.kind != kind:
            raise self.error(f"expected {what}, found {_describe(self.tok)}")
        return self.advance()

    # grammar
    def parse(self) -> Filter:
        if self.tok.kind == "EOF":
            return Filter(self.text, None)
        root = self.or_expr()
        if self.tok.kind != "EOF":
            if self.tok.kind == "RPAREN":
                raise self.error("unbalanced ')': no matching '('")
            raise self.error(f"unexpected {_describe(self.tok)}")
        return Filter(self.text, root)

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.tok.kind == "OR":
            self.advance()
            items.append(self.and_expr(after="OR"))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self, after: str | None = None) -> Node:
        items = [self.unary(after)]
        while True:
            if self.tok.kind == "AND":
                self.advance()
                items.append(self.unary("AND"))
            elif self.tok.kind in _STARTS_UNARY:
                items.append(self.unary())  # implicit AND: `a = 1 b = 2`
            else:
                break
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self, after: str | None = None) -> Node:
        if self.tok.kind == "NOT":
            self.advance()
            return Not(self.primary("NOT"))
        return self.primary(after)

    def primary(self, after: str | None = None) -> Node:
        tok = self.tok
        if tok.kind == "LPAREN":
            self.advance()
            if self.tok.kind == "RPAREN":
                raise self.error("empty parentheses: expected a condition")
            inner = self.or_expr()
            if self.tok.kind != "RPAREN":
                raise self.error(f"expected ')' to close the '(' at column {tok.column}, found {_describe(self.tok)}")
            self.advance()
            return inner
        if tok.kind == "FUNC":
            return self.function()
        if tok.kind == "KEY":
            return self.comparison()
        if tok.kind in ("QUOTED", "NUMBER", "BOOL"):
            return FullText(self.value())
        where = f" after {after}" if after else ""
        raise self.error(f"expected a condition{where}, found {_describe(tok)}")

    def comparison(self) -> Node:
        key_tok = self.advance()
        key = make_key(key_tok.text, key_tok.column)
        # An unknown `:type` hint is not an error: SigNoz reads it as no hint and resolves the key.
        tok = self.tok
        if tok.kind == "OP":
            self.advance()
            op = {"==": "=", "<>": "!="}.get(tok.text, tok.text)
            return Comparison(key, op, (self.value(f"after '{tok.text}'"),), column=key.column)
        negated = False
        if tok.kind == "NOT":
            self.advance()
            negated = True
            tok = self.tok
            if tok.kind not in PATTERN_OPS | {"BETWEEN", "IN", "EXISTS"}:
                raise self.error(
                    f"expected LIKE, ILIKE, REGEXP, CONTAINS, BETWEEN, IN or EXISTS after NOT, found {_describe(tok)}"
                )
        if tok.kind in PATTERN_OPS:
            self.advance()
            return Comparison(key, tok.kind, (self.value(f"after {tok.kind}"),), negated, key.column)
        if tok.kind == "BETWEEN":
            self.advance()
            low = self.value("after BETWEEN")
            self.expect("AND", "AND between the two BETWEEN bounds")
            high = self.value("after BETWEEN ... AND")
            return Comparison(key, "BETWEEN", (low, high), negated, key.column)
        if tok.kind == "IN":
            self.advance()
            brackets = {"LPAREN": "()", "LBRACK": "[]"}.get(self.tok.kind, "")
            return Comparison(key, "IN", self.in_values(), negated, key.column, brackets)
        if tok.kind == "EXISTS":
            self.advance()
            return Comparison(key, "EXISTS", (), negated, key.column)
        # A key with no operator is a bare word: a full-text term (SigNoz's grammar does the same).
        return FullText(Value("word", key_tok.text, key_tok.column, key_tok.text))

    def in_values(self) -> tuple[Value, ...]:
        opening = self.tok
        if opening.kind in ("LPAREN", "LBRACK"):
            closing = "RPAREN" if opening.kind == "LPAREN" else "RBRACK"
            self.advance()
            if self.tok.kind == closing:
                raise self.error("empty IN list")
            values = [self.value("in the IN list")]
            while self.tok.kind == "COMMA":
                self.advance()
                values.append(self.value("after ',' in the IN list"))
            if self.tok.kind != closing:
                want = ")" if closing == "RPAREN" else "]"
                raise self.error(f"expected ',' or '{want}' in the IN list, found {_describe(self.tok)}")
            self.advance()
            return tuple(values)
        return (self.value("after IN (a list, a value or a $variable)"),)

    def value(self, where: str = "") -> Value:
        tok = self.tok
        suffix = f" {where}" if where else ""
        if tok.kind == "QUOTED":
            self.advance()
            return Value("string", tok.text, tok.column, tok.raw)
        if tok.kind == "NUMBER":
            self.advance()
            return Value("number", tok.text, tok.column, tok.text)
        if tok.kind == "BOOL":
            self.advance()
            return Value("bool", tok.text.lower(), tok.column, tok.text)
        if tok.kind in ("KEY", "FUNC"):
            self.advance()
            kind = "variable" if tok.text.startswith("$") and len(tok.text) > 1 else "word"
            return Value(kind, tok.text, tok.column, tok.text)
        raise self.error(f"expected a value{suffix}, found {_describe(tok)}")

    def function(self) -> Function:
        name_tok = self.advance()
        name = name_tok.text.lower()
        self.expect("LPAREN", f"'(' after {name_tok.text}")
        args: list[Key | Value | tuple[Value, ...]] = []
        if self.tok.kind != "RPAREN":
            args.append(self.function_arg(first=True))
            while self.tok.kind == "COMMA":
                self.advance()
                args.append(self.function_arg(first=False))
        self.expect("RPAREN", f"',' or ')' in {name_tok.text}(...)")
        low, high = FUNCTIONS[name]
        if not low <= len(args) <= high:
            want = str(low) if low == high else f"{low} to {high}"
            raise FilterSyntaxError(
                f"{name_tok.text}() takes {want} argument(s), got {len(args)}", self.text, name_tok.column
            )
        return Function(name, tuple(args), name_tok.column, name_tok.text)

    def function_arg(self, first: bool) -> Key | Value | tuple[Value, ...]:
        tok = self.tok
        if tok.kind == "LBRACK":
            return self.in_values()
        if first and tok.kind == "KEY":
            self.advance()
            return make_key(tok.text, tok.column)  # has(key, value): the first argument is a field
        return self.value("as a function argument")


_STARTS_UNARY = {"NOT", "LPAREN", "FUNC", "KEY", "QUOTED", "NUMBER", "BOOL"}


def _describe(tok: Token) -> str:
    if tok.kind == "EOF":
        return "end of expression"
    if tok.kind == "QUOTED":
        return f"string '{tok.text}'"
    return f"'{tok.text}'"


def parse_filter(text: str) -> Filter:
    """Parse a filter expression; raises `FilterSyntaxError` with the column of the first fault."""
    return _Parser(text).parse()


# -- writing a tree back ---------------------------------------------------------------------------


def to_text(node: Node) -> str:
    """The filter text of a tree: every value as it was written, the structure made explicit
    (`AND` for an implicit AND, parentheses wherever precedence needs them). Parsing the result
    gives the same tree."""
    if isinstance(node, Or):
        return " OR ".join(_operand(n, Or) for n in node.operands)
    if isinstance(node, And):
        return " AND ".join(_operand(n, And) for n in node.operands)
    if isinstance(node, Not):
        return f"NOT {_operand(node.operand, Not)}"
    if isinstance(node, FullText):
        return node.value.raw
    if isinstance(node, Function):
        return f"{node.spelling or node.name}({', '.join(_argument(a) for a in node.args)})"
    return _comparison(node)


_BINDING = {Or: 0, And: 1, Not: 2}


def _operand(node: Node, parent: type) -> str:
    """An operand of an OR, AND or NOT, in parentheses unless it binds tighter than its parent
    (also `(a AND b) AND c` keeps its parentheses, so the tree reads back unchanged)."""
    text = to_text(node)
    return f"({text})" if _BINDING.get(type(node), 3) <= _BINDING[parent] else text


def _argument(arg: Key | Value | tuple[Value, ...]) -> str:
    if isinstance(arg, tuple):
        return "[" + ", ".join(v.raw for v in arg) + "]"
    return arg.text if isinstance(arg, Key) else arg.raw


def _comparison(cmp: Comparison) -> str:
    not_ = "NOT " if cmp.negated else ""
    key = cmp.key.text
    if cmp.op == "EXISTS":
        return f"{key} {not_}EXISTS"
    if cmp.op == "BETWEEN":
        low, high = cmp.values
        return f"{key} {not_}BETWEEN {low.raw} AND {high.raw}"
    if cmp.op == "IN":
        values = ", ".join(v.raw for v in cmp.values)
        opening, closing = cmp.brackets[:1], cmp.brackets[1:]
        return f"{key} {not_}IN {opening.strip()}{values}{closing.strip()}"
    return f"{key} {not_}{cmp.op} {cmp.values[0].raw}"


def as_unit(text: str) -> str:
    """A filter as one parenthesised unit, ready to be ANDed with other conditions: parsed, then
    written back from the tree, so nothing in it (an `OR`, a stray `)`) can escape the unit.
    "" for an empty filter. Raises `FilterSyntaxError` when it does not parse."""
    root = parse_filter(text).root
    return "" if root is None else f"({to_text(root)})"


def is_unit(text: str) -> bool:
    """Whether the text is one parenthesised group, `(a OR b)` (not `(a) OR (b)`), as `as_unit`
    writes it. False for text that does not tokenize."""
    try:
        tokens = tokenize(text)[:-1]  # without EOF
    except FilterSyntaxError:
        return False
    depth = 0
    for i, tok in enumerate(tokens):
        depth += (tok.kind == "LPAREN") - (tok.kind == "RPAREN")
        if depth == 0:
            return i == len(tokens) - 1 and tok.kind == "RPAREN" and tokens[0].kind == "LPAREN"
    return False
