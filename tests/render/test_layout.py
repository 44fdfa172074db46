"""Auto layout on SigNoz's 12-column grid."""

from __future__ import annotations

import pytest

from signoz_dac.definitions.generic.panels import GenericPanel, SqlPanel
from signoz_dac.render.layout import place


def view(key: str, width: int, height: int, kind: str = "time_series") -> GenericPanel:
    return SqlPanel(type="sql", kind=kind, id=key, title=key, sql="SELECT 1", size={"width": width, "height": height})


def cells(item):
    return {(x, y) for x in range(item.x, item.x + item.width) for y in range(item.y, item.y + item.height)}


@pytest.mark.parametrize(
    "sizes",
    [[(6, 6)] * 5, [(3, 3)] * 7, [(12, 8), (4, 6), (4, 6), (4, 6)], [(5, 2), (7, 9), (3, 3), (9, 1), (12, 1), (1, 1)]],
)
def test_no_overlaps_and_inside_the_grid(sizes):
    items = place([view(f"p{i}", w, h) for i, (w, h) in enumerate(sizes)])
    taken: set = set()
    for item in items:
        assert item.x >= 0 and item.x + item.width <= 12 and item.y >= 0
        assert not (cells(item) & taken)
        taken |= cells(item)
    assert len(items) == len(sizes)


def test_tiles_come_first_then_charts_take_the_lowest_free_spot():
    items = place([view("chart-a", 6, 6), view("tile-a", 3, 3, "number"), view("chart-b", 6, 6), view("tile-b", 3, 3, "number")])
    where = {i.key: (i.x, i.y) for i in items}
    # Two tiles fill half a row; the first chart takes the free half beside them.
    assert where == {"tile-a": (0, 0), "tile-b": (3, 0), "chart-a": (6, 0), "chart-b": (0, 3)}


def test_each_section_starts_at_the_top(builtin_bodies):
    for body in builtin_bodies.values():
        for layout in body["spec"]["layouts"]:
            assert min(item["y"] for item in layout["spec"]["items"]) == 0
