"""The SigNoz alert-rule schema (v0.138's `ruletypes`), one concern per module:

- models.py  PostableRule and everything it references, decoded as SigNoz decodes them
- checks.py  what SigNoz checks on every decode, and on a write

`parse_rule` is the one entry point: decode, then (unless only decoding) what a write checks, every
problem collected into one `SchemaError` of JSON-path `Issue`s. `stored_rule` is what SigNoz returns
when it reads a rule back.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.v6.base import DECODE, KEEP_UNKNOWN, STAGE, STORE, given_body
from signoz_dac.signoz.v6.decode import issues_from_validation_error

from .models import PostableRule

# What a read re-applies (rt/api_params.go): SigNoz stores the request as it came and fills these in
# every time it decodes it.
DEFAULT_VERSION = "v5"
DEFAULT_SCHEMA_VERSION = "v1"
V1_DEFAULT_EVAL_WINDOW = "5m"
V1_DEFAULT_FREQUENCY = "1m"
# A v1 rule is returned without what the server builds for it from the v1 fields.
V1_NOT_RETURNED = ("evaluation", "notificationSettings", "schemaVersion")


def parse_rule(body: Any, source: str | None = None, *, decode_only: bool = False) -> PostableRule:
    """Decode and validate an alert rule body (a dict from JSON) as SigNoz does on POST and PUT;
    `decode_only=True` checks only what SigNoz's decoder checks (what every read of a stored rule
    runs). Raises SchemaError with JSON paths such as `condition.thresholds.spec[0].op`."""
    if not isinstance(body, dict):
        raise SchemaError([Issue("", f"a rule body must be a JSON object, got {type(body).__name__}")], source)
    try:
        return PostableRule.model_validate(body, context={STAGE: DECODE} if decode_only else None)
    except ValidationError as err:
        raise SchemaError(issues_from_validation_error(err, body), source) from None


def stored_rule(body: Any, *, keep_unknown: bool = False) -> dict[str, Any]:
    """The rule as SigNoz returns it on a read (its own fields, such as `id`, aside): decoded, with
    the defaults a read re-applies, every field written as SigNoz's Go struct writes it, and for a
    v1 rule without what the server derives from it. Raises SchemaError if it does not decode.

    `keep_unknown=True` keeps the keys SigNoz v0.138 would drop (a newer server's fields), for a
    comparison that must notice them."""
    context = {STORE: True, KEEP_UNKNOWN: keep_unknown}
    stored = parse_rule(body, decode_only=True).model_dump(mode="json", context=context)
    stored["version"] = stored.get("version") or DEFAULT_VERSION
    query_type = ((stored.get("condition") or {}).get("compositeQuery") or {}).get("queryType")
    if query_type == "promql":
        stored["ruleType"] = "promql_rule"
    elif not stored.get("ruleType"):
        stored["ruleType"] = "threshold_rule"
    if stored.get("schemaVersion", DEFAULT_SCHEMA_VERSION) in ("", DEFAULT_SCHEMA_VERSION):
        stored["evalWindow"] = stored.get("evalWindow") or V1_DEFAULT_EVAL_WINDOW
        stored["frequency"] = stored.get("frequency") or V1_DEFAULT_FREQUENCY
        for field in V1_NOT_RETURNED:
            stored.pop(field, None)
        stored.get("condition", {}).pop("thresholds", None)
    return stored


__all__ = ["PostableRule", "given_body", "parse_rule", "stored_rule"]
