"""Auto layout: place each section's panels on SigNoz's 12-column grid, in definition order.

Number tiles come first, as a row of headline figures; then the charts. Skyline packing puts
every panel at the lowest free spot, leftmost on ties. Positions restart at y=0 in each section,
because SigNoz checks overlaps per layout.
"""

from __future__ import annotations

from signoz_dac.definitions.generic.panels import GenericPanel, panel_size
from signoz_dac.render.generic import panel_key
from signoz_dac.render.views import Item

COLUMNS = 12


def place(panels: list[GenericPanel]) -> tuple[Item, ...]:
    skyline = [0] * COLUMNS  # the first free row of each column
    items = []
    tiles_first = sorted(panels, key=lambda p: p.kind != "number")  # stable: definition order otherwise
    for panel in tiles_first:
        width, height = panel_size(panel)
        width = min(width, COLUMNS)
        best_x, best_y = 0, None
        for x in range(COLUMNS - width + 1):
            y = max(skyline[x : x + width])
            if best_y is None or y < best_y:
                best_x, best_y = x, y
        assert best_y is not None
        for column in range(best_x, best_x + width):
            skyline[column] = best_y + height
        items.append(Item(panel_key(panel), best_x, best_y, width, height))
    return tuple(items)
