"""The one place the preview imports SigNoz's expression parsers from (the filter grammar and the
trace/log aggregation functions). When the parsers move, repoint these imports and nothing else."""

from signoz_dac.lint.aggregation import FUNCTIONS as AGGREGATION_FUNCTIONS
from signoz_dac.lint.aggregation import Aggregation, AggregationError, parse_aggregation
from signoz_dac.lint.aggregation import _matching_paren as matching_paren  # the quote-aware `(`…`)` matcher
from signoz_dac.lint.filter_expr import (
    And,
    Comparison,
    Filter,
    FilterSyntaxError,
    FullText,
    Function,
    Key,
    Not,
    Or,
    Value,
    make_key,
    parse_filter,
)

__all__ = [
    "AGGREGATION_FUNCTIONS",
    "Aggregation",
    "AggregationError",
    "And",
    "Comparison",
    "Filter",
    "FilterSyntaxError",
    "FullText",
    "Function",
    "Key",
    "Not",
    "Or",
    "Value",
    "make_key",
    "matching_paren",
    "parse_filter",
    "parse_aggregation",
]
