"""`layout`, rows and `panelMap` -> v6 Grid layouts, as SigNoz converts them
(`pkg/types/dashboardtypes/perses_v1_to_v2_layouts.go`).

- Layout entries are taken in (y, x) order; the first entry for a widget id wins.
- Entries above the first row form an untitled Grid (emitted only when it holds something). Each
  `row` widget in the layout opens a Grid titled with the row's title (at most 256 characters),
  `collapse.open` = not collapsed. An expanded row owns the entries below it up to the next row;
  a collapsed row's children come from `panelMap[row].widgets`, and the entries that follow a
  collapsed row go to the untitled Grid.
- A panel is placed once: layout entries first, then collapsed rows' children. Entries for a
  widget that produced no panel are dropped.
- In each Grid the items are sorted by (y, x), clamped to the 12-column grid (x >= 0, width <=
  12, x + width <= 12, y >= 0, height >= 1) and compacted upwards the way react-grid-layout does,
  so every section starts at y = 0.
- Before any of this, widgets that are not placed anywhere, are placed with a width <= 0, or have
  no query to run are dropped (`retain_placed_widgets`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .panels import panel_key
from .read import as_dict, as_list, as_number, as_text
from .vocabulary import GRID_COLUMNS, MAX_SECTION_TITLE, ROW, clip


@dataclass
class _Box:
    key: str
    x: int
    y: int
    w: int
    h: int


def _box(raw: Any) -> _Box | None:
    raw = as_dict(raw)
    key = panel_key(as_text(raw.get("i")))
    if not key:
        return None
    x, y, w, h = (int(as_number(raw.get(f)) or 0) for f in ("x", "y", "w", "h"))
    return _Box(key, x, y, w, h)


def _collapsed(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("collapsed") is True


def _children(entry: Any) -> list[Any]:
    return as_list(entry.get("widgets")) if isinstance(entry, dict) else []


def _placed_widths(data: dict[str, Any]) -> dict[str, int]:
    """Every widget id that has a place (layout or a row's children), with its first width."""
    widths: dict[str, int] = {}
    entries = list(as_list(data.get("layout")))
    for entry in as_dict(data.get("panelMap")).values():
        entries += _children(entry)
    for raw in entries:
        box = _box(raw)
        if box is not None:
            widths.setdefault(box.key, box.w)
    return widths


def _has_query(widget: dict[str, Any]) -> bool:
    query = as_dict(widget.get("query"))
    query_type = query.get("queryType")
    if query_type == "builder":
        return bool(as_list(as_dict(query.get("builder")).get("queryData")))
    if query_type in ("promql", "clickhouse_sql"):
        return any(as_text(as_dict(e).get("query")).strip() for e in as_list(query.get(query_type)))
    return False


def retain_placed_widgets(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The widgets that can become panels: placed with a positive width and with a query.
    Rows stay (they title the sections)."""
    widths = _placed_widths(data)
    kept = []
    for widget in map(as_dict, as_list(data.get("widgets"))):
        if widget.get("panelTypes") == ROW:
            kept.append(widget)
            continue
        width = widths.get(panel_key(as_text(widget.get("id"))))
        if width is not None and width > 0 and _has_query(widget):
            kept.append(widget)
    return kept


@dataclass
class _Section:
    title: str | None  # None: the untitled grid of entries above the first row
    open: bool = True
    entries: list[_Box] = field(default_factory=list)  # from `layout`
    children: list[_Box] = field(default_factory=list)  # from `panelMap`, collapsed rows only
    items: list[_Box] = field(default_factory=list)  # what is placed, in order


def _collides(a: _Box, b: _Box) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def compact(boxes: list[_Box]) -> list[_Box]:
    """Clamp to the grid, sort by (y, x), then float each item up as react-grid-layout's vertical
    compaction does: up while nothing is in the way, then below whatever it overlaps."""
    for box in boxes:
        box.w = min(box.w, GRID_COLUMNS)
        box.x = min(max(box.x, 0), GRID_COLUMNS - box.w)
        box.y = max(box.y, 0)
        box.h = max(box.h, 1)
    placed: list[_Box] = []
    for box in sorted(boxes, key=lambda b: (b.y, b.x)):
        bottom = max((p.y + p.h for p in placed), default=0)
        box.y = min(box.y, bottom)
        while box.y > 0 and not any(_collides(_Box("", box.x, box.y - 1, box.w, box.h), p) for p in placed):
            box.y -= 1
        while hit := next((p for p in placed if _collides(box, p)), None):
            box.y = hit.y + hit.h
        placed.append(box)
    return sorted(placed, key=lambda b: (b.y, b.x))


def _sections(data: dict[str, Any]) -> tuple[_Section, list[_Section]]:
    rows = {}
    for widget in map(as_dict, as_list(data.get("widgets"))):
        key = panel_key(as_text(widget.get("id")))
        if widget.get("panelTypes") == ROW and key and key not in rows:
            rows[key] = widget
    panel_map = as_dict(data.get("panelMap"))
    entries: dict[str, tuple[_Box, str]] = {}
    for raw in as_list(data.get("layout")):
        box = _box(raw)
        if box is not None and box.key not in entries:
            entries[box.key] = (box, as_text(as_dict(raw).get("i")))
    root = _Section(None)
    sections: list[_Section] = []
    current = root
    for box, raw_id in sorted(entries.values(), key=lambda e: (e[0].y, e[0].x)):
        if box.key not in rows:
            current.entries.append(box)
            continue
        entry = panel_map.get(raw_id)
        section = _Section(clip(as_text(rows[box.key].get("title")), MAX_SECTION_TITLE), open=not _collapsed(entry))
        sections.append(section)
        if section.open:
            current = section
        else:
            section.children = [b for b in map(_box, _children(entry)) if b is not None]
            current = root
    return root, sections


def _grid(section: _Section) -> dict[str, Any]:
    items = [
        {"x": b.x, "y": b.y, "width": b.w, "height": b.h, "content": {"$ref": f"#/spec/panels/{b.key}"}}
        for b in compact(section.items)
    ]
    if section.title is None:
        return {"kind": "Grid", "spec": {"items": items}}
    display = {"title": section.title, "collapse": {"open": section.open}}
    return {"kind": "Grid", "spec": {"display": display, "items": items}}


def convert_layouts(data: dict[str, Any], panels: dict[str, Any]) -> list[dict[str, Any]]:
    """The v6 `spec.layouts` for a v5 dashboard whose widgets became `panels`."""
    root, sections = _sections(data)
    placed: set[str] = set()

    def place(section: _Section, boxes: list[_Box]) -> None:
        for box in boxes:
            if box.key in panels and box.key not in placed:
                placed.add(box.key)
                section.items.append(box)

    for section in [root, *sections]:
        place(section, section.entries)
    for section in sections:
        place(section, section.children)
    grids = [_grid(root)] if root.items else []
    return grids + [_grid(section) for section in sections]
