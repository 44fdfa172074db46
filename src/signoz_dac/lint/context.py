"""Everything a check may look at, computed once per dashboard or alert rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from signoz_dac.lint.catalog import Catalog
from signoz_dac.signoz import reading
from signoz_dac.signoz.expressions import (
    Aggregation,
    AggregationError,
    Filter,
    FilterSyntaxError,
    parse_aggregation,
    parse_filter,
)
from signoz_dac.signoz.v6.panels import Link


@dataclass
class LintContext:
    body: dict[str, Any]
    profile: str | None = None
    catalog: Catalog | None = None  # None: the profile rules have nothing to check against
    is_rule: bool = field(init=False)  # an alert rule: queries, but no panels, variables or layout
    panels: list[reading.PanelAt] = field(init=False)
    variables: list[reading.VariableAt] = field(init=False)
    links: list[Link | None] = field(init=False)  # the dashboard's own links
    owners: list[reading.Owner] = field(init=False)  # the panels, or the one alert rule
    queries: list[reading.QueryAt] = field(init=False)
    _filters: dict[str, Filter | FilterSyntaxError] = field(init=False, default_factory=dict)
    _aggregations: dict[str, Aggregation | AggregationError] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        # Read through the strict models, leniently: a body that breaks SigNoz's rules is still linted.
        self.is_rule = reading.is_rule(self.body)
        if self.is_rule:
            self.panels, self.variables, self.links = [], [], []
            self.owners = [reading.read_rule(self.body)]
        else:
            dashboard = reading.read_dashboard(self.body)
            self.panels, self.variables, self.links = dashboard.panels, dashboard.variables, dashboard.links
            self.owners = list(self.panels)
        self.queries = [q for owner in self.owners for q in owner.queries]

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

    def parsed_filter(self, query: reading.QueryAt) -> Filter | None:
        """A query's filter when it has one that parses."""
        found = query.filter
        parsed = self.filter(found[0]) if found else None
        return parsed if isinstance(parsed, Filter) else None
