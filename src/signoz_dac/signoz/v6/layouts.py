"""Layouts: Perses Grid layouts on SigNoz's 12-column grid.

Only `Grid` is accepted (Perses `Tabs` is not). A titled grid is a collapsible section. Whether a
`$ref` resolves and whether a panel is placed twice needs the whole spec: see checks.dashboard_spec.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from . import checks
from .base import NOT_NULL, LayoutTitle, Lenient, Strict, raise_issues


class JSONRef(Strict):
    ref: str = Field(alias="$ref")  # "#/spec/panels/<key>"


class GridItem(Strict):
    x: int = 0
    y: int = 0
    width: int
    height: int
    content: JSONRef | None = None  # a reference to a panel; checked with the whole spec

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.grid_item(self))
        return self


class GridCollapse(Strict):
    open: bool = False


class GridDisplay(Strict):
    title: LayoutTitle = ""
    collapse: Annotated[GridCollapse | None, NOT_NULL] = None


class GridLayoutSpec(Strict):
    OMIT_EMPTY = frozenset({"display", "repeatVariable"})

    @model_validator(mode="before")
    @classmethod
    def _item_count(cls, data: Any) -> Any:
        # SigNoz counts a grid's items before it looks at any of them.
        if isinstance(data, dict):
            raise_issues(checks.grid_item_count(data.get("items")))
        return data

    display: Annotated[GridDisplay | None, NOT_NULL] = None
    items: list[GridItem] | None = None
    repeatVariable: str = ""


class Layout(Lenient):  # the {kind, spec} envelope: SigNoz ignores other keys
    kind: Literal["Grid"]
    spec: GridLayoutSpec

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.layout(self))
        return self
