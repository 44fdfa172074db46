"""Filter expressions built for panels: a user's OR never escapes the panel's own conditions."""

from __future__ import annotations

import pytest

from signoz_dac.render.filters import all_of, literal


@pytest.mark.parametrize(
    "user",
    [
        "deployment.environment = 'prod' OR deployment.environment = 'staging'",
        "deployment.environment = 'prod'\nOR deployment.environment = 'staging'",
        "deployment.environment = 'prod'\tor\tdeployment.environment = 'staging'",
        "(a = 1)OR(b = 2)",
    ],
)
def test_a_part_with_or_is_parenthesised(user):
    assert all_of("name = 'llm'", user) == f"name = 'llm' AND ({user.strip()})"


def test_parts_without_or_are_joined_as_they_are():
    assert all_of("name = 'llm'", "", "  ", "has_error = true") == "name = 'llm' AND has_error = true"
    assert all_of("name = 'orchestrator'") == "name = 'orchestrator'"  # 'or' inside a word is not OR


def test_literals_escape_quotes_and_backslashes():
    assert literal("it's") == "'it\\'s'"
    assert literal("a\\b") == "'a\\\\b'"
