"""Dashboard variables: ListVariable (dynamic, query or custom values) and TextVariable.

Mirrors `DashboardtypesVariable*`. Both the variable kind and the list plugin kind are
discriminated unions on `kind`; their `{kind, spec}` envelopes are lenient, as SigNoz's are.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from . import checks
from .base import NOT_NULL, DefaultValue, Lenient, NonEmptyStr, Strict, checked, raise_issues
from .enums import DEFAULT_DYNAMIC_SIGNAL, DEFAULT_SORT, DynamicVariableSignal, ListVariableSort
from .panels import Display

VariableName = Annotated[str, checked(checks.variable_name_problem)]

# The names SigNoz fills from the panel's time range when it substitutes variables into ClickHouse
# SQL (pkg/querybuilder/time.go, AssignReservedVars), in the same pass as the dashboard's own
# variables: a dashboard variable of one of these names collides with the time range there.
SQL_TIME_VARIABLES = frozenset(
    {
        "start_timestamp", "end_timestamp", "start_timestamp_ms", "end_timestamp_ms",
        "SIGNOZ_START_TIME", "SIGNOZ_END_TIME", "start_timestamp_nano", "end_timestamp_nano",
        "start_datetime", "end_datetime",
    }
)  # fmt: skip


def parse_custom_values(text: str) -> list[Any]:
    """A custom variable's options as SigNoz's UI reads its `customValue`: comma separated, `\\,` a
    literal comma, `label : value`, and numeric strings become numbers
    (frontend/src/lib/dashboardVariables/customCommaValuesParser.ts)."""
    out: list[Any] = []
    for part in re.split(r"(?<!\\),", text):
        part = part.replace("\\,", ",").strip()
        if not part:
            continue
        if " : " in part:
            part = part.split(" : ", 1)[1].strip()
        if _NUMBER.fullmatch(part):  # decimal numbers only: Python's float() also takes nan, inf and 1_000
            number = float(part)
            out.append(int(number) if number.is_integer() and "." not in part else number)
        else:
            out.append(part)
    return out


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


class DynamicVariableSpec(Strict):
    """Values looked up from telemetry: `name` is an attribute key such as `service.name`."""

    name: NonEmptyStr
    signal: DynamicVariableSignal = DEFAULT_DYNAMIC_SIGNAL  # an explicit "" is rejected


class QueryVariableSpec(Strict):
    queryValue: NonEmptyStr  # ClickHouse SQL


class CustomVariableSpec(Strict):
    customValue: NonEmptyStr  # "a,b,c"


class DynamicVariablePlugin(Lenient):
    kind: Literal["signoz/DynamicVariable"]
    spec: DynamicVariableSpec


class QueryVariablePlugin(Lenient):
    kind: Literal["signoz/QueryVariable"]
    spec: QueryVariableSpec


class CustomVariablePlugin(Lenient):
    kind: Literal["signoz/CustomVariable"]
    spec: CustomVariableSpec


VariablePlugin = Annotated[
    DynamicVariablePlugin | QueryVariablePlugin | CustomVariablePlugin, Field(discriminator="kind")
]


class ListVariableSpec(Strict):
    OMIT_EMPTY = frozenset({"display", "defaultValue", "customAllValue", "capturingRegexp", "plugin"})

    display: Display | None = None
    name: VariableName = Field(default="", validate_default=True)
    defaultValue: Annotated[DefaultValue | None, NOT_NULL] = None
    allowAllValue: bool = False
    allowMultiple: bool = False
    customAllValue: str = ""
    capturingRegexp: str = ""
    sort: ListVariableSort = DEFAULT_SORT
    plugin: Annotated[VariablePlugin | None, NOT_NULL] = None

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.list_variable(self))
        return self


class TextVariableSpec(Strict):
    OMIT_EMPTY = frozenset({"display"})

    display: Display | None = None
    name: VariableName = Field(default="", validate_default=True)
    value: str = ""
    constant: bool = False

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.text_variable(self))
        return self


class ListVariable(Lenient):
    kind: Literal["ListVariable"]
    spec: ListVariableSpec


class TextVariable(Lenient):
    kind: Literal["TextVariable"]
    spec: TextVariableSpec


Variable = Annotated[ListVariable | TextVariable, Field(discriminator="kind")]
