"""Variables referenced but never defined (the panel breaks or silently matches nothing), and
variables defined but never used (a selector on the dashboard that changes nothing)."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.references import RESERVED, in_sql_code, references
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.reading import join
from signoz_dac.signoz.expressions.filter import FilterSyntaxError

UNDEFINED = check(
    "variable-undefined", "error", "Every $variable used in a filter, SQL or PromQL query must be defined (an alert rule has none)."
)
UNUSED = check("variable-unused", "warning", "Every defined variable should be used by some panel or variable.")


def _uses(ctx: LintContext) -> Iterator[tuple[str, str, str, bool]]:
    """(variable name, JSON path, where, must_exist) for every reference in the dashboard.

    Titles and links only count as uses: a link's `{{trace_id}}` may name a column of the clicked
    table row rather than a variable, so an unknown name there is not an error.
    """
    known = ctx.variable_names
    for query in ctx.queries:
        where = query.where
        found = query.filter
        if found is not None:
            text, path = found
            parsed = ctx.filter(text)
            # A filter that does not parse is reported by filter-syntax; still count its $names.
            if isinstance(parsed, FilterSyntaxError):
                names = [ref.name for ref in references(text, known) if ref.text.startswith("$")]
            else:
                names = parsed.variables()
            for name in names:
                yield name, path, where, True
        having = query.having
        if having is not None:
            for ref in references(having[0], known):
                if ref.text.startswith("$"):
                    yield ref.name, having[1], where, True
        if query.type in ("clickhouse_sql", "promql"):
            text = query.text
            for ref in references(text, known):
                yield ref.name, join(query.path, "query"), where, in_sql_code(text, ref)
    for var in ctx.variables:
        if var.plugin_kind == "signoz/QueryVariable":
            text = var.sql
            for ref in references(text, known):
                path = join(join(join(var.path, "plugin"), "spec"), "queryValue")
                yield ref.name, path, f"variable {var.name}", in_sql_code(text, ref)
    # Titles, descriptions and links may show variables; counting them avoids a false "unused".
    for panel in ctx.panels:
        display = panel.display
        for text in (display.name, display.description) if display is not None else ():
            for ref in references(text, known):
                yield ref.name, join(panel.path, "display"), panel.label, False
        for i, link in enumerate(panel.links):
            for ref in references(link.url if link is not None else "", known):
                yield ref.name, join(join(panel.path, "links"), i), panel.label, False
    for i, link in enumerate(ctx.links):
        for ref in references(link.url if link is not None else "", known):
            yield ref.name, join(join(join("spec", "links"), i), "url"), "dashboard link", False


@finds(UNDEFINED, UNUSED)
def check_variables(ctx: LintContext) -> Iterator[Hit]:
    defined = ctx.variable_names
    used: set[str] = set()
    reported: set[tuple[str, str]] = set()
    for name, path, where, must_exist in _uses(ctx):
        used.add(name)
        if not must_exist or name in defined or name in RESERVED or (name, path) in reported:
            continue
        reported.add((name, path))
        if ctx.is_rule:
            yield Hit(UNDEFINED, path, f"{where}: an alert rule has no variables, so ${name} is never replaced; "
                                       "write the value itself")  # fmt: skip
        else:
            names = ", ".join(sorted(defined)) or "none"
            yield Hit(UNDEFINED, path, f"{where}: variable ${name} is not defined (defined: {names})")
    for var in ctx.variables:
        if var.name and var.name not in used:
            yield Hit(
                UNUSED,
                join(var.path, "name"),
                f"variable {var.name} is not used by any panel or variable; remove it or reference it as ${var.name}",
            )
