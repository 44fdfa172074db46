"""The server's own rules (SigNoz v0.138's validation on save), reported with JSON paths.

The rules themselves live in the strict models (`signoz_dac.signoz.v6` for dashboards,
`signoz_dac.signoz.rules` for alert rules); lint only reports what they find, so that one run shows
both what SigNoz would refuse and everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.errors import SchemaError
from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds

SCHEMA = check("schema", "error", "The body must pass SigNoz's own validation (what the server checks on save).")


@finds(SCHEMA)
def check_schema(ctx: LintContext) -> Iterator[Hit]:
    from signoz_dac.signoz.rules import parse_rule
    from signoz_dac.signoz.v6 import parse_dashboard

    try:
        if ctx.is_rule:
            parse_rule(ctx.body)
        else:
            # SigNoz's own exports use generateName and the server accepts it; only push needs a name.
            parse_dashboard(ctx.body, allow_generate_name=True)
    except SchemaError as err:
        for issue in err.issues:
            yield Hit(SCHEMA, str(getattr(issue, "path", "") or ""), str(getattr(issue, "message", issue)))
