"""Dashboard variables: the values the preview sends with each query, chosen as SigNoz's UI chooses them."""

from __future__ import annotations

from typing import Any

import pytest

from signoz_dac.preview.query import TimeRange
from signoz_dac.preview.substitution import render_query
from signoz_dac.preview.variables import resolve_variables

RANGE = TimeRange(1_700_000_040_000, 1_700_000_100_000)


def custom(values: str, *, multiple: bool = False, sort: str | None = None, **spec: Any) -> dict[str, Any]:
    body_spec: dict[str, Any] = {"name": "v", "allowMultiple": multiple,
                                 "plugin": {"kind": "signoz/CustomVariable", "spec": {"customValue": values}}, **spec}
    if sort:
        body_spec["sort"] = sort
    return {"spec": {"variables": [{"kind": "ListVariable", "spec": body_spec}]}}


def value(body: dict[str, Any], overrides: dict[str, str] | None = None) -> Any:
    [variable] = resolve_variables(body, None, RANGE, overrides)
    return variable.value


def test_a_value_set_on_the_command_line_is_the_option_as_the_ui_sends_it() -> None:
    """Custom values that are numbers are numbers in SigNoz's UI; `--var v=20` selects the option 20, so a
    SQL panel's `LIMIT {{v}}` gets `LIMIT 20`, not `LIMIT '20'`."""
    assert value(custom("10,20,30"), {"v": "20"}) == 20
    assert value(custom("10,20,30", multiple=True), {"v": "10,30"}) == [10, 30]
    assert render_query("SELECT 1 LIMIT {{v}}", {"v": value(custom("10,20,30"), {"v": "20"})}, 0, 60_000) == "SELECT 1 LIMIT 20"
    assert value(custom("a,b"), {"v": "c"}) == "c"  # not an option: sent as written


@pytest.mark.parametrize(("values", "sort", "first"), [
    ("b,a,C", None, "b"), ("b,a,C", "none", "b"), ("b,a,C", "alphabetical-asc", "C"),
    ("b,a,C", "alphabetical-desc", "b"), ("b,a,C", "alphabetical-ci-asc", "a"), ("b,a,C", "alphabetical-ci-desc", "C"),
    ("2,10,1", "numerical-asc", 1), ("2,10,1", "numerical-desc", 10), ("2,10,1", "alphabetical-asc", 1),
])
def test_without_a_default_the_first_option_in_the_variables_sort_order(values: str, sort: str | None, first: Any) -> None:
    assert value(custom(values, sort=sort)) == first


def test_custom_values_that_are_numbers_become_numbers_and_only_those() -> None:
    from signoz_dac.preview.variables import parse_custom_values

    assert parse_custom_values("1, 2.5, -3, 1e3, .5, a : 7") == [1, 2.5, -3, 1000, 0.5, 7]
    # words Python's float() reads as numbers are text in the UI, and reach SQL quoted
    assert parse_custom_values("nan,inf,1_000") == ["nan", "inf", "1_000"]  # JavaScript: Number("nan") is NaN
    assert render_query("SELECT {{v}}", {"v": value(custom("nan,2"))}, 0, 60_000) == "SELECT 'nan'"
