"""The server's own structural rules (SigNoz v0.138's validation), reported with JSON paths.

The rules themselves live in `signoz_dac.signoz.v6`; lint only reports what they find, so that one
run shows both the structural faults and everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.errors import SchemaError
from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, rule

SCHEMA = rule("schema", "error", "The body must pass SigNoz's own v6 validation (what the server checks on save).")


@check(SCHEMA)
def check_schema(ctx: LintContext) -> Iterator[Hit]:
    try:
        from signoz_dac.signoz.v6 import parse_dashboard
    except ImportError:
        return  # the schema models are not available in this build; the other rules still run
    try:
        # SigNoz's own exports use generateName and the server accepts it; only push needs a name.
        parse_dashboard(ctx.body, allow_generate_name=True)
    except SchemaError as err:
        for issue in err.issues:
            yield Hit(SCHEMA, str(getattr(issue, "path", "") or ""), str(getattr(issue, "message", issue)))
