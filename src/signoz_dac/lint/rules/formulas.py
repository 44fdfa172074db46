"""Formulas without a legend show up as `F1` in legends and tooltips (contract §3.9)."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.dashboard import as_str, join
from signoz_dac.lint.registry import Hit, check, rule

FORMULA_LEGEND = rule("formula-legend", "warning", "A formula shown in a chart needs a legend, or it is labelled F1.")

# A Number panel shows one value and no legend, so its formula's legend is never seen.
_NO_LEGEND_PANELS = {"signoz/NumberPanel"}


@check(FORMULA_LEGEND)
def check_formula_legends(ctx: LintContext) -> Iterator[Hit]:
    for query in ctx.queries:
        if query.type != "builder_formula" or query.disabled or query.panel.plugin_kind in _NO_LEGEND_PANELS:
            continue
        if not as_str(query.spec.get("legend")).strip():
            expr = as_str(query.spec.get("expression"))
            yield Hit(
                FORMULA_LEGEND,
                join(query.path, "legend"),
                f"{query.panel.label}: formula {query.name or '?'} ({expr}) has no legend and will show as "
                f"{query.name or 'F1'}; set legend, e.g. \"{{{{service.name}}}}\" or a plain label",
            )
