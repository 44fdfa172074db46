"""Formula expressions: what govaluate (and so SigNoz, on save) accepts, and the names they use."""

from __future__ import annotations

import json

import pytest

from signoz_dac.signoz.expressions.formula import FormulaSyntaxError, formula_problem, formula_references
from tests.conftest import require_shared

VALID = [
    ("A / B", {"A", "B"}),
    ("A/(A+B)", {"A", "B"}),
    ("(A / B) * 100", {"A", "B"}),
    ("A * -1", {"A"}),
    ("-A + B", {"A", "B"}),
    ("sqrt(A) + log10(B)", {"A", "B"}),
    ("abs(A - B)", {"A", "B"}),
    ("A > 0 ? A / B : 0", {"A", "B"}),
    ("A == B || A != 0", {"A", "B"}),
    ("A ** 2", {"A"}),
    ("a / b", {"a", "b"}),  # names are matched case-insensitively later, not here
    ("A.count / B", {"A", "B"}),
    ("[A] + 1", {"A"}),
    ("1.5 * A", {"A"}),
    ("now() - A", {"A"}),
]

INVALID = [
    # (expression, 1-based column, a fragment of the message)
    ("A +", 4, "unexpected end"),
    ("A B", 3, "unexpected 'B'"),
    ("(A / B", 7, "unclosed '('"),
    ("A / B)", 6, "unbalanced ')'"),
    ("A*-1", 2, "unknown operator '*-'"),
    ("foo(A)", 1, "unknown function foo()"),
    ("A / 'x", 5, "unterminated string"),
    ("1.2.3 + A", 1, "not a number"),
    ("A $ B", 3, "unknown operator '$'"),
    ("A.", 1, "may not end with '.'"),
]


@pytest.mark.parametrize(("text", "names"), VALID)
def test_valid_formulas_and_their_names(text: str, names: set[str]) -> None:
    assert formula_problem(text) is None
    assert formula_references(text) == names


@pytest.mark.parametrize(("text", "column", "fragment"), INVALID)
def test_invalid_formulas(text: str, column: int, fragment: str) -> None:
    with pytest.raises(FormulaSyntaxError) as info:
        formula_references(text)
    assert info.value.column == column, info.value.caret()
    assert fragment in info.value.message
    assert fragment in (formula_problem(text) or "")


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_formula(blank: str) -> None:
    assert formula_problem(blank) == "must not be blank"


def test_formulas_in_signozs_vectors() -> None:
    """Every formula in SigNoz's query and rule vectors parses or not as SigNoz says."""
    root = require_shared() / "fixtures" / "signoz-vectors"
    seen = 0
    for name in ("query-validation.json", "rule-validation.json"):
        for case in json.loads((root / name).read_text()):
            text = json.dumps(case.get("query") or case.get("rule") or {})
            doc = json.loads(text)
            formulas = [
                env["spec"]["expression"]
                for env in _envelopes(doc)
                if env.get("type") == "builder_formula" and isinstance(env.get("spec", {}).get("expression"), str)
            ]
            for expression in formulas:
                seen += 1
                if case["valid"]:
                    assert formula_problem(expression) is None, (case["id"], expression)
                elif "expression cannot be blank" in (case.get("error_contains") or ""):
                    assert formula_problem(expression) is not None, (case["id"], expression)
    assert seen >= 5


def _envelopes(doc):
    if isinstance(doc, dict):
        if "type" in doc and "spec" in doc:
            yield doc
        for value in doc.values():
            yield from _envelopes(value)
    elif isinstance(doc, list):
        for value in doc:
            yield from _envelopes(value)
