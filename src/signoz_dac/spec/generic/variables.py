"""What every list variable takes, and the two list variables that need no telemetry profile.

- `kind: query`: values from a ClickHouse SQL query (`sql:`), SigNoz's QueryVariable;
- `kind: custom`: a fixed list, `values: "1,10,20"` (comma-separated; `\\,` escapes a comma and
  `label : value` names a value), SigNoz's CustomVariable.

`kind: dynamic` and `kind: text` (in spec/variables.py) take the options here too.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from signoz_dac.spec.common import VariableName
from signoz_dac.spec.generic.model import Enum, Omittable, option

SORTS = (
    "none", "alphabetical-asc", "alphabetical-desc", "numerical-asc", "numerical-desc", "alphabetical-ci-asc",
    "alphabetical-ci-desc",
)


class ListOptions(Omittable):
    """A list of values to pick from, maybe several, maybe ALL."""

    style_key = "variable"
    name: VariableName
    title: str | None = Field(None, max_length=128)  # shown in the variable's settings; default: the name
    description: str = ""
    allow_all: bool = True
    multiple: bool = True
    sort: Enum(*SORTS) = option()  # type: ignore[valid-type]
    custom_all_value: str = option()  # SigNoz keeps it; its UI does not use it
    capturing_regexp: str = option()  # SigNoz keeps it; its UI does not use it

    @model_validator(mode="after")
    def _all_needs_multiple(self) -> ListOptions:
        if self.allow_all and not self.multiple:
            raise ValueError("allow_all needs multiple: true (SigNoz only offers ALL on multi-select variables)")
        if self.custom_all_value and not self.allow_all:
            raise ValueError("custom_all_value needs allow_all: true")
        return self


class WithDefault(ListOptions):
    default: list[str] | str | None = None  # the value(s) selected when the dashboard opens

    @model_validator(mode="after")
    def _list_default_needs_multiple(self) -> WithDefault:
        if isinstance(self.default, list) and not self.multiple:
            raise ValueError("a list default needs multiple: true")
        return self


class QueryVariable(WithDefault):
    """Values from a ClickHouse SQL query (its first column)."""

    kind: Literal["query"]
    sql: str = Field(min_length=1)


class CustomVariable(WithDefault):
    """A fixed list of values."""

    kind: Literal["custom"]
    values: str = Field(min_length=1)
