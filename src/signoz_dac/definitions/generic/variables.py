"""What every list variable takes, and the two list variables that need no telemetry profile.

- `kind: query`: values from a ClickHouse SQL query (`sql:`), SigNoz's QueryVariable;
- `kind: custom`: a fixed list, `values: "1,10,20"` (comma-separated; `\\,` escapes a comma and
  `label : value` names a value), SigNoz's CustomVariable.

`kind: dynamic` and `kind: text` (in spec/variables.py) take the options here too.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from signoz_dac.definitions.common import OptionError, VariableName
from signoz_dac.definitions.generic.model import Omittable, at, one_of, option
from signoz_dac.signoz.v6.enums import VARIABLE_SORTS

Sort = Annotated[str, one_of(*VARIABLE_SORTS)]


class ListOptions(Omittable):
    """A list of values to pick from, maybe several, maybe ALL."""

    style_key = "variable"
    name: VariableName = at("name")
    title: str | None = Field(None, max_length=128)  # shown in the variable's settings; default: the name
    description: str = at("display.description", "")
    allow_all: bool = at("allowAllValue", True)
    multiple: bool = at("allowMultiple", True)
    sort: Sort = option("sort")
    custom_all_value: str = option("customAllValue")  # SigNoz keeps it; its UI does not use it
    capturing_regexp: str = option("capturingRegexp")  # SigNoz keeps it; its UI does not use it

    @model_validator(mode="after")
    def _all_needs_multiple(self) -> ListOptions:
        # An option left out of the body is SigNoz's false, whatever the model's default says.
        allow_all = self.allow_all and "allow_all" not in self.omit
        multiple = self.multiple and "multiple" not in self.omit
        if allow_all and not multiple:
            at = "multiple" if "multiple" in self.model_fields_set else "allow_all"
            raise OptionError("allow_all needs multiple: true (SigNoz only offers ALL on multi-select variables)", at)
        if self.custom_all_value and not allow_all:
            raise OptionError("custom_all_value needs allow_all: true", "custom_all_value")
        return self


class WithDefault(ListOptions):
    # the value(s) selected when the dashboard opens
    default: list[str] | str | None = at("defaultValue", None)

    @model_validator(mode="after")
    def _list_default_needs_multiple(self) -> WithDefault:
        if isinstance(self.default, list) and not (self.multiple and "multiple" not in self.omit):
            raise OptionError("a list default needs multiple: true", "default")
        return self


class QueryVariable(WithDefault):
    """Values from a ClickHouse SQL query (its first column)."""

    kind: Literal["query"]
    sql: str = at("plugin.spec.queryValue", min_length=1)


class CustomVariable(WithDefault):
    """A fixed list of values."""

    kind: Literal["custom"]
    values: str = at("plugin.spec.customValue", min_length=1)
