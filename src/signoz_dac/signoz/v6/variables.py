"""Dashboard variables: ListVariable (dynamic, query or custom values) and TextVariable.

Mirrors `DashboardtypesVariable*`. Both the variable kind and the list plugin kind are
discriminated unions on `kind`.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from . import rules
from .base import NOT_NULL, DefaultValue, Strict, checked, raise_issues
from .enums import ENUM_DEFAULTS, DynamicVariableSignal, ListVariableSort
from .panels import Display

VariableName = Annotated[str, checked(rules.variable_name_problem)]


class DynamicVariableSpec(Strict):
    """Values looked up from telemetry: `name` is an attribute key such as `service.name`."""

    name: str
    signal: DynamicVariableSignal  # "" is rejected; SigNoz's default is "all"


class QueryVariableSpec(Strict):
    queryValue: str  # ClickHouse SQL


class CustomVariableSpec(Strict):
    customValue: str  # "a,b,c"


class DynamicVariablePlugin(Strict):
    kind: Literal["signoz/DynamicVariable"]
    spec: DynamicVariableSpec


class QueryVariablePlugin(Strict):
    kind: Literal["signoz/QueryVariable"]
    spec: QueryVariableSpec


class CustomVariablePlugin(Strict):
    kind: Literal["signoz/CustomVariable"]
    spec: CustomVariableSpec


VariablePlugin = Annotated[
    Union[DynamicVariablePlugin, QueryVariablePlugin, CustomVariablePlugin], Field(discriminator="kind")
]


class ListVariableSpec(Strict):
    display: Display
    name: VariableName
    defaultValue: Annotated[DefaultValue | None, NOT_NULL] = None
    allowAllValue: bool = False
    allowMultiple: bool = False
    customAllValue: str = ""
    capturingRegexp: str = ""
    sort: ListVariableSort = ENUM_DEFAULTS["ListVariable.sort"]  # type: ignore[assignment]
    plugin: Annotated[VariablePlugin | None, NOT_NULL] = None

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.list_variable(self))
        return self


class TextVariableSpec(Strict):
    display: Display
    name: VariableName
    value: str
    constant: bool = False

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.text_variable(self))
        return self


class ListVariable(Strict):
    kind: Literal["ListVariable"]
    spec: ListVariableSpec


class TextVariable(Strict):
    kind: Literal["TextVariable"]
    spec: TextVariableSpec


Variable = Annotated[Union[ListVariable, TextVariable], Field(discriminator="kind")]
