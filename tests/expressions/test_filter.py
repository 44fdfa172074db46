"""The filter-expression parser on a table of valid and invalid expressions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signoz_dac.signoz.expressions.filter import (
    And,
    Comparison,
    FilterSyntaxError,
    Not,
    Or,
    as_unit,
    literal,
    parse_filter,
    to_text,
)

VALID = [
    "",
    "   ",
    "service.name = 'api'",
    "service.name == \"api\"",
    "a != 1 AND b <> 2",
    "duration_nano >= 1e9 and duration_nano < 2.5E+10",
    "x > -3 OR y <= +4.5",
    # implicit AND, as SigNoz's own Pipecat/LiveKit dashboards write it
    "service.name in $service_name telemetry.sdk.language in $language gen_ai.request.model in $llm_model",
    "has_error = 'true' service.name IN $service_name",
    "name IN ('stt', 'llm', \"tts\")",
    "name IN ['stt', 'llm']",
    "name NOT IN ('x')",
    "name in 'single'",
    "gen_ai.request.model EXISTS",
    "gen_ai.request.model exist",
    "gen_ai.request.model NOT EXISTS",
    "http.url LIKE '%/v1/%' AND http.url NOT ILIKE '%health%'",
    "body REGEXP '^err' OR body NOT REGEXP 'ok$'",
    "body CONTAINS 'timeout' AND body NOT CONTAIN 'retry'",
    "latency BETWEEN 1 AND 5 AND other NOT BETWEEN 0.1 AND 0.2",
    "NOT has_error = true",
    "NOT (a = 1 OR b = 2) AND c = 3",
    "((a = 1))",
    "resource.service.name = 'x' AND attribute.http.route = '/a' AND span.name = 'turn'",
    "tag.env = 'prod' AND scope.name = 'pipecat'",
    "gen_ai.usage.input_tokens:number > 10",
    "resource.service.name:string = 'x'",
    "x:strng = 1",  # an unknown type hint: SigNoz ignores it
    "items[].name = 'a' AND items[*].id = 1 AND list.0 = 2",
    "has(tags, 'a') AND hasAny(tags, ['a', 'b']) AND hasAll(tags, ['a'])",
    "hasToken(body, 'error')",
    "search('timeout')",
    "search('timeout', body)",
    "msg = 'it\\'s fine' AND path = 'C:\\\\tmp'",
    "a = true AND b = FALSE",
    "k8s.pod-name/x = 'y'",
    "@timestamp = 1",
    "timeout",  # a full-text term: valid syntax (logs support it)
    "'quoted term'",
    "a = b",  # a bare word as a value
]

INVALID = [
    # (expression, expected 1-based column, a fragment of the message)
    ("a =", 4, "expected a value after '='"),
    ("a = 'x", 5, "unterminated string"),
    ("a = 1)", 6, "unbalanced ')'"),
    ("(a = 1", 7, "expected ')'"),
    ("()", 2, "empty parentheses"),
    ("a NOT = 3", 7, "after NOT"),
    ("a IN ()", 7, "empty IN list"),
    ("a IN ('x' 'y')", 11, "expected ',' or ')'"),
    ("a IN ['x',]", 11, "expected a value"),
    ("a IN", 5, "expected a value after IN"),
    ("AND a = 1", 1, "expected a condition"),
    ("a = 1 AND", 10, "expected a condition after AND"),
    ("a = 1 OR", 9, "expected a condition after OR"),
    ("a = 1 AND OR b = 2", 11, "expected a condition after AND"),
    ("NOT", 4, "expected a condition after NOT"),
    ("a BETWEEN 1", 12, "AND between the two BETWEEN bounds"),
    ("a BETWEEN 1 AND", 16, "expected a value"),
    ("a = 1 ! b", 7, "unexpected character '!'"),
    ("a ~ 1", 3, "unexpected character '~'"),
    ("has(tags)", 1, "takes 2 argument(s), got 1"),
    ("has(tags, 'a'", 14, "expected ',' or ')'"),
    ("search()", 1, "takes 1 to 2 argument(s), got 0"),
    ("a = =", 5, "expected a value"),
    ("service.name IN $svc AND", 25, "expected a condition after AND"),
]


@pytest.mark.parametrize("text", VALID)
def test_valid_expressions_parse(text: str) -> None:
    parse_filter(text)


@pytest.mark.parametrize(("text", "column", "fragment"), INVALID)
def test_invalid_expressions_name_the_column(text: str, column: int, fragment: str) -> None:
    with pytest.raises(FilterSyntaxError) as info:
        parse_filter(text)
    assert info.value.column == column, info.value.caret()
    assert fragment in info.value.message


def test_caret_points_at_the_column() -> None:
    with pytest.raises(FilterSyntaxError) as info:
        parse_filter("name = 'stt' AND")
    assert info.value.caret() == "name = 'stt' AND\n" + " " * 16 + "^ " + info.value.message


def test_precedence_not_binds_tighter_than_and_than_or() -> None:
    root = parse_filter("NOT a = 1 AND b = 2 OR c = 3").root
    assert isinstance(root, Or)
    left, right = root.operands
    assert isinstance(left, And) and isinstance(left.operands[0], Not)
    assert isinstance(right, Comparison) and right.key.name == "c"


def test_implicit_and_is_an_and() -> None:
    root = parse_filter("a = 1 b = 2 OR c = 3").root
    assert isinstance(root, Or) and isinstance(root.operands[0], And)


def test_keys_contexts_type_hints_and_variables() -> None:
    flt = parse_filter("resource.service.name:string IN $service_name AND attribute.x = 1 AND tag.y = 2")
    keys = flt.keys()
    assert (keys[0].context, keys[0].name, keys[0].type_hint) == ("resource", "service.name", "string")
    assert (keys[1].context, keys[1].name) == ("attribute", "x")
    assert (keys[2].context, keys[2].name) == ("attribute", "y")
    assert flt.variables() == ["service_name"]


def test_keywords_are_case_insensitive_and_values_unescaped() -> None:
    cmp = parse_filter("msg not like 'it\\'s'").comparisons()[0]
    assert (cmp.op, cmp.negated, cmp.values[0].text) == ("LIKE", True, "it's")
    assert parse_filter("a == 1").comparisons()[0].op == "="
    assert parse_filter("a <> 1").comparisons()[0].op == "!="


def test_full_text_terms_are_found() -> None:
    flt = parse_filter("service.name = 'x' tiemout")
    assert [t.value.text for t in flt.full_text_terms()] == ["tiemout"]


def test_quoted_values_read_as_signoz_reads_them() -> None:
    # Only \\ and \' are un-escaped; any other backslash stays (SigNoz's trimQuotes).
    values = [v.text for v in parse_filter(r"a = 'it\'s' AND b = 'C:\\tmp' AND c = 'a\nb' AND d = 'say \"hi\"'").values()]
    assert values == ["it's", "C:\\tmp", "a\\nb", 'say \\"hi\\"']


@pytest.mark.parametrize("value", ["plain", "it's", "C:\\tmp\\", "\\'", "a\\nb", "''", "x') OR (name = 'llm"])
def test_literal_reads_back_as_the_same_value(value: str) -> None:
    (read,) = parse_filter(f"a = {literal(value)}").values()
    assert read.text == value


@pytest.mark.parametrize("text", [t for t in VALID if t.strip()])
def test_to_text_reads_back_as_the_same_tree(text: str) -> None:
    tree = parse_filter(text).root
    assert tree is not None
    assert parse_filter(to_text(tree)).root == tree


def test_to_text_makes_structure_explicit() -> None:
    assert to_text(parse_filter("a = 1 b = 2 OR c = 3").root) == "a = 1 AND b = 2 OR c = 3"
    assert to_text(parse_filter("(a = 1 OR b = 2) c IN $v").root) == "(a = 1 OR b = 2) AND c IN $v"
    assert to_text(parse_filter("NOT (a = 1)").root) == "NOT a = 1"
    assert to_text(parse_filter("NOT (a = 1 AND b = 2)").root) == "NOT (a = 1 AND b = 2)"
    assert to_text(parse_filter("x  not   in  ['a','b']").root) == "x NOT IN ['a', 'b']"


def test_as_unit_keeps_a_filter_inside_its_parentheses() -> None:
    unit = as_unit("name = 'llm' OR name = 'tts'")
    assert unit == "(name = 'llm' OR name = 'tts')"
    root = parse_filter(f"has_error = true AND {unit}").root
    assert isinstance(root, And) and isinstance(root.operands[1], Or)
    assert as_unit("   ") == ""


@pytest.mark.parametrize("attack", ["x') OR (name = 'llm'", "x = 1) OR (name = 'llm'", "a = 1 OR (b = 2", "x = 'a' OR"])
def test_as_unit_refuses_what_does_not_parse(attack: str) -> None:
    with pytest.raises(FilterSyntaxError):
        as_unit(attack)


# Tokens that build filters of every shape, valid or not; hypothesis strings them together.
_PIECES = ["a", "b.c", "$v", "=", "!=", "IN", "NOT", "AND", "OR", "(", ")", "[", "]", ",", "'x'", "'it\\'s'",
           "1", "true", "EXISTS", "LIKE", "BETWEEN", "has", "x:number"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12))
def test_every_filter_that_parses_stays_one_unit(pieces: list[str]) -> None:
    text = " ".join(pieces)
    try:
        unit = as_unit(text)
    except FilterSyntaxError:
        return
    if not unit:
        return
    tree = parse_filter(text).root
    combined = parse_filter(f"has_error = true AND {unit}").root
    assert isinstance(combined, And) and combined.operands[1:] == (tree,)
