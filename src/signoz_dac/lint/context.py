"""Everything a check may look at, computed once per dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from signoz_dac.lint import dashboard
from signoz_dac.signoz.expressions.aggregation import Aggregation, AggregationError, parse_aggregation
from signoz_dac.lint.catalog import Catalog
from signoz_dac.signoz.expressions.filter import Filter, FilterSyntaxError, parse_filter


@dataclass
class LintContext:
    body: dict[str, Any]
    profile: str | None = None
    catalog: Catalog | None = None  # None: the profile rules have nothing to check against
    panels: list[dashboard.PanelView] = field(init=False)
    variables: list[dashboard.VariableView] = field(init=False)
    _filters: dict[str, Filter | FilterSyntaxError] = field(init=False, default_factory=dict)
    _aggregations: dict[str, Aggregation | AggregationError] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.panels = dashboard.panels(self.body)
        self.variables = dashboard.variables(self.body)

    @property
    def queries(self) -> list[dashboard.QueryView]:
        return [q for p in self.panels for q in p.queries]

    @property
    def variable_names(self) -> set[str]:
        return {v.name for v in self.variables if v.name}

    def filter(self, text: str) -> Filter | FilterSyntaxError:
        """The parsed filter, or the syntax error; several rules read the same expressions."""
        if text not in self._filters:
            try:
                self._filters[text] = parse_filter(text)
            except FilterSyntaxError as err:
                self._filters[text] = err
        return self._filters[text]

    def aggregation(self, text: str) -> Aggregation | AggregationError:
        if text not in self._aggregations:
            try:
                self._aggregations[text] = parse_aggregation(text)
            except AggregationError as err:
                self._aggregations[text] = err
        return self._aggregations[text]


def filter_of(query: dashboard.QueryView) -> tuple[str, str] | None:
    """(expression, path) of a builder or trace-operator query's filter, when it has a string one."""
    flt = query.spec.get("filter")
    if isinstance(flt, dict) and isinstance(flt.get("expression"), str):
        return flt["expression"], dashboard.join(dashboard.join(query.path, "filter"), "expression")
    return None


def aggregations_of(query: dashboard.QueryView) -> list[tuple[str, str, dict[str, Any]]]:
    """(expression, path, entry) for each traces/logs aggregation with an expression string."""
    out = []
    for i, entry in enumerate(dashboard.as_list(query.spec.get("aggregations"))):
        if isinstance(entry, dict) and isinstance(entry.get("expression"), str):
            path = dashboard.join(dashboard.join(dashboard.join(query.path, "aggregations"), i), "expression")
            out.append((entry["expression"], path, entry))
    return out
