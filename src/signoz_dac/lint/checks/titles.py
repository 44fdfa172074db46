"""Panel titles: every panel needs one, and two look-alike panels need different ones.

A number tile and a chart of the same measure share a title by design, and so may panels in
different sections (the section title tells them apart). Two panels of the same kind in the same
section with one title are the real trouble: a reader cannot tell which is which.
"""

from __future__ import annotations

from collections.abc import Iterator

from signoz_dac.lint.context import LintContext
from signoz_dac.lint.registry import Hit, check, finds
from signoz_dac.signoz.reading import join

TITLE_EMPTY = check("panel-title-empty", "warning", "Every panel needs a title.")
TITLE_DUPLICATE = check(
    "panel-title-duplicate", "warning", "Two panels of the same kind in the same section should not share a title."
)


@finds(TITLE_EMPTY, TITLE_DUPLICATE)
def check_titles(ctx: LintContext) -> Iterator[Hit]:
    seen: dict[tuple[str, str, int | None], str] = {}  # (title, kind, section) → key of the first such panel
    for panel in ctx.panels:
        path = join(join(panel.path, "display"), "name")
        title = panel.title
        if not isinstance(title, str) or not title.strip():
            yield Hit(TITLE_EMPTY, path, f"panel {panel.key} has no title; set display.name")
            continue
        norm = (" ".join(title.split()).casefold(), panel.plugin_kind, panel.section)
        if norm in seen:
            yield Hit(
                TITLE_DUPLICATE,
                path,
                f'panel {panel.key} has the same title as panel {seen[norm]} ("{title.strip()}"), the same kind and '
                "section; readers cannot tell them apart: make them distinct",
            )
        else:
            seen[norm] = panel.key
