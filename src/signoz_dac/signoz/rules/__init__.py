"""The strict SigNoz alert-rule schema (v0.138's `ruletypes`), one concern per module:

- models.py  PostableRule and everything it references, mirroring the OpenAPI (unknown fields rejected)
- checks.py  cross-field rules: selected query, thresholds, evaluation, units

`parse_rule` is the one entry point: strict decode, then the cross-field rules, every problem
collected into one `SchemaError` of JSON-path `Issue`s.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.v6.decode import issues_from_validation_error

from .models import PostableRule


def parse_rule(body: Any, source: str | None = None) -> PostableRule:
    """Decode and validate an alert rule body (a dict from JSON); raises SchemaError with JSON paths
    such as `condition.thresholds.spec[0].op`."""
    if not isinstance(body, dict):
        raise SchemaError([Issue("", f"a rule body must be a JSON object, got {type(body).__name__}")], source)
    try:
        return PostableRule.model_validate(body)
    except ValidationError as err:
        raise SchemaError(issues_from_validation_error(err, body), source) from None


def dump_rule(rule: PostableRule) -> dict[str, Any]:
    """The JSON body again, exactly the fields that were given."""
    return rule.model_dump(mode="json", exclude_unset=True)


__all__ = ["PostableRule", "dump_rule", "parse_rule"]
