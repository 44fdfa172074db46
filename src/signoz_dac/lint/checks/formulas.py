"""Formulas: a legend, so a chart does not label them `F1`; and names of queries that exist, which
SigNoz does not check on save (only when the query runs, and then the formula has nothing to
compute). Formula names match query names case-insensitively."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.reading import join
from signoz_dac.signoz.expressions import FormulaSyntaxError, formula_references

FORMULA_LEGEND = check("formula-legend", "warning", "A formula shown in a chart needs a legend, or it is labelled F1.")
FORMULA_REFERENCE = check("formula-reference", "error", "A formula may only name queries of its own panel or alert.")

# A Number panel shows one value and no legend, so its formula's legend is never seen.
_NO_LEGEND_PANELS = {"signoz/NumberPanel"}


@finds(FORMULA_LEGEND)
def check_formula_legends(ctx: LintContext) -> Iterator[Hit]:
    if ctx.is_rule:
        return  # an alert's series are not drawn with legends
    for query in ctx.queries:
        if query.type != "builder_formula" or query.disabled or query.owner.plugin_kind in _NO_LEGEND_PANELS:
            continue
        if not query.legend.strip():
            expr = query.expression
            yield Hit(
                FORMULA_LEGEND,
                join(query.path, "legend"),
                f"{query.owner.label}: formula {query.name or '?'} ({expr}) has no legend and will show as "
                f"{query.name or 'F1'}; set legend, e.g. \"{{{{service.name}}}}\" or a plain label",
            )


@finds(FORMULA_REFERENCE)
def check_formula_references(ctx: LintContext) -> Iterator[Hit]:
    for owner in ctx.owners:
        names = {q.name.upper() for q in owner.queries if q.name}
        for query in owner.queries:
            if query.type != "builder_formula":
                continue
            try:
                used = formula_references(query.expression)
            except FormulaSyntaxError:
                continue  # the schema rule reports it: SigNoz refuses it on save
            for name in sorted(n for n in used if n.upper() not in names):
                yield Hit(
                    FORMULA_REFERENCE,
                    join(query.path, "expression"),
                    f"{owner.label}: formula {query.name or '?'} uses {name}, which is not a query here "
                    f"({', '.join(sorted(names)) or 'none'}), so it fails when it runs",
                )
