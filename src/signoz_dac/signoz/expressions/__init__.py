"""SigNoz's expression languages, read as SigNoz reads them: one home for the strict models, render
and lint.

- `filter`: the query-builder filter language (`filter.expression`, the conditions of `countIf`);
- `aggregation`: trace and log aggregations (`p95(duration_nano)`, `sum(a) + sum(b)`);
- `formula`: formulas over query names (`A / (A + B)`), govaluate's language.
"""

from signoz_dac.signoz.expressions.aggregation import (
    Aggregation,
    AggregationError,
    Call,
    aggregation_problem,
    parse_aggregation,
    rule_aggregation_problem,
)
from signoz_dac.signoz.expressions.filter import Filter, FilterSyntaxError, as_unit, literal, parse_filter
from signoz_dac.signoz.expressions.formula import FormulaSyntaxError, formula_problem, formula_references
from signoz_dac.signoz.expressions.scan import ExpressionError

__all__ = [
    "Aggregation", "AggregationError", "Call", "ExpressionError", "Filter", "FilterSyntaxError",
    "FormulaSyntaxError", "aggregation_problem", "as_unit", "formula_problem", "formula_references",
    "literal", "parse_aggregation", "parse_filter", "rule_aggregation_problem",
]  # fmt: skip
