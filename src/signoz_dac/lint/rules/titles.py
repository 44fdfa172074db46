"""Panel titles: every panel needs one, and two panels with the same title confuse readers."""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.dashboard import join
from signoz_dac.lint.registry import Hit, check, rule

TITLE_EMPTY = rule("panel-title-empty", "warning", "Every panel needs a title.")
TITLE_DUPLICATE = rule("panel-title-duplicate", "warning", "Panel titles should be unique within a dashboard.")


@check(TITLE_EMPTY, TITLE_DUPLICATE)
def check_titles(ctx: LintContext) -> Iterator[Hit]:
    seen: dict[str, str] = {}  # normalized title → key of the first panel that has it
    for panel in ctx.panels:
        path = join(join(panel.path, "display"), "name")
        title = panel.title
        if not isinstance(title, str) or not title.strip():
            yield Hit(TITLE_EMPTY, path, f"panel {panel.key} has no title; set display.name")
            continue
        norm = " ".join(title.split()).casefold()
        if norm in seen:
            yield Hit(
                TITLE_DUPLICATE,
                path,
                f'panel {panel.key} has the same title as panel {seen[norm]} ("{title.strip()}"); make them distinct',
            )
        else:
            seen[norm] = panel.key
