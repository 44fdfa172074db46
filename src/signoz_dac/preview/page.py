"""The preview page: one self-contained HTML file (inline CSS and SVG; no script, no fonts, no
images from anywhere), each dashboard laid out as SigNoz lays it out.

SigNoz's dashboard is a 12-column grid per section (each Grid layout, titled or not); a panel sits
at its layout item's x, y with its width and height in grid units. Sections are collapsible (open
by default, as in SigNoz). Panels placed in no layout are not shown, as in SigNoz.
A content security policy forbids every network load, so the page cannot reach out even by mistake.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from signoz_dac.preview.charts import (
    PALETTE,
    Line,
    Threshold,
    css_color,
    escape,
    histogram,
    histogram_chart,
    pie_chart,
    time_chart,
)
from signoz_dac.preview.evaluate import PanelResult
from signoz_dac.preview.rules import GroupResult, RuleEvaluation
from signoz_dac.preview.units import convert, format_value
from signoz_dac.preview.variables import VariableValue

PAGE_WIDTH = 1400  # px: the grid's width on the page
COLUMNS = 12
ROW_HEIGHT = 45  # px per grid row
GAP = 8  # px between grid cells
HEADER = 30  # px: a panel's title bar
PAD = 8  # px around a panel's body
COLUMN_WIDTH = (PAGE_WIDTH - (COLUMNS - 1) * GAP) / COLUMNS


@dataclass
class DataInfo:
    """Where a dashboard's numbers came from, for the page's header."""

    sources: list[str]
    spans: int
    start_ms: int
    end_ms: int
    note: str = ""


@dataclass
class DashboardPreview:
    source: str
    body: Mapping[str, Any]
    variables: list[VariableValue]
    panels: dict[str, PanelResult]
    data: DataInfo
    engine_missing: str = ""  # set when chDB is absent: how to get the numbers
    rules: list[RuleEvaluation] = field(default_factory=list)  # the definition's alert rules, evaluated
    rule_count: int = 0  # rules the definition has (evaluated or not: without chDB there are none)


def panel_box(width: int, height: int) -> tuple[float, float]:
    """The pixel size of a panel's body for a layout item of width × height grid units."""
    return (width * COLUMN_WIDTH + (width - 1) * GAP - 2 * PAD,
            height * ROW_HEIGHT + (height - 1) * GAP - HEADER - 2 * PAD)


def build_page(previews: list[DashboardPreview], generator: str) -> str:
    title = " · ".join(str(p.body.get("spec", {}).get("display", {}).get("name") or p.body.get("name")) for p in previews)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:; base-uri \'none\'; form-action \'none\'">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Preview: {escape(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<p class="banner">{escape(generator)}: a local preview, not a live SigNoz. '
        "Numbers are computed from the spans named under each dashboard.</p>",
    ]
    for preview in previews:
        parts.append(_dashboard(preview))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _dashboard(p: DashboardPreview) -> str:
    spec = p.body.get("spec", {})
    display = spec.get("display", {})
    name = str(p.body.get("name") or "")
    out = [f'<section class="dashboard" data-dashboard="{escape(name)}">',
           f"<h1>{escape(str(display.get('name') or name))}</h1>"]
    if display.get("description"):
        out.append(f'<p class="description">{escape(str(display["description"]))}</p>')
    tags = p.body.get("tags") or []
    if tags:
        out.append('<p class="tags">' + "".join(f"<span>{escape(t['key'])}: {escape(t['value'])}</span>" for t in tags) + "</p>")
    out.append(f'<p class="data">{_data_line(p)}</p>')
    if p.engine_missing:
        out.append(f'<p class="warning">{escape(p.engine_missing)}</p>')
    if p.variables:
        out.append('<div class="variables">' + "".join(
            f'<span class="variable" title="{escape(v.note)}"><b>${escape(v.name)}</b> {escape(v.shown or "—")}</span>'
            for v in p.variables) + "</div>")
    panels = spec.get("panels") or {}
    for layout in spec.get("layouts") or []:
        out.append(_section(layout.get("spec") or {}, panels, p))
    if p.rule_count:
        out.append(_rules(p))
    out.append("</section>")
    return "\n".join(out)


def _data_line(p: DashboardPreview) -> str:
    start = datetime.fromtimestamp(p.data.start_ms / 1000, tz=UTC)
    end = datetime.fromtimestamp(p.data.end_ms / 1000, tz=UTC)
    minutes = (p.data.end_ms - p.data.start_ms) / 60000
    sources = ", ".join(p.data.sources)
    text = (f"{p.data.spans:,} spans from {sources}; time range {start:%Y-%m-%d %H:%M:%S} → {end:%H:%M:%S} UTC "
            f"({minutes:g} min). Definition: {p.source}.")
    if p.data.note:
        text += f" {p.data.note}"
    return escape(text)


def _section(layout: Mapping[str, Any], panels: Mapping[str, Any], p: DashboardPreview) -> str:
    items = layout.get("items") or []
    rows = max((int(i.get("y", 0)) + int(i.get("height", 1)) for i in items), default=1)
    title = (layout.get("display") or {}).get("title")
    grid = [f'<div class="grid" style="grid-template-rows: repeat({rows}, {ROW_HEIGHT}px)">']
    for item in items:
        key = str((item.get("content") or {}).get("$ref", "")).rsplit("/", 1)[-1]
        if key in panels:
            grid.append(_panel(key, panels[key], item, p.panels.get(key)))
    grid.append("</div>")
    if not title:
        return "".join(grid)
    return f'<details class="section" open><summary>{escape(str(title))}</summary>{"".join(grid)}</details>'


def _panel(key: str, panel: Mapping[str, Any], item: Mapping[str, Any], result: PanelResult | None) -> str:
    spec = panel.get("spec", {})
    display = spec.get("display", {})
    plugin = spec.get("plugin", {})
    kind = str(plugin.get("kind", "")).removeprefix("signoz/").removesuffix("Panel")
    x, y, w, h = (int(item.get(k, 0)) for k in ("x", "y", "width", "height"))
    box = panel_box(w, h)
    body = _body(kind, plugin.get("spec") or {}, result, box)
    description = str(display.get("description") or "")
    warn = ""
    if result and result.warnings:
        warn = f'<span class="warn" title="{escape("; ".join(result.warnings))}">!</span>'
    style = f"grid-column: {x + 1} / span {w}; grid-row: {y + 1} / span {h}"
    return (f'<article class="panel kind-{escape(kind.lower())}" data-panel="{escape(key)}" data-x="{x}" data-y="{y}" '
            f'data-w="{w}" data-h="{h}" style="{style}">'
            f'<header><h3 title="{escape(description)}">{escape(str(display.get("name") or key))}</h3>{warn}</header>'
            f'<div class="body">{body}</div></article>')


def _body(kind: str, spec: Mapping[str, Any], result: PanelResult | None, box: tuple[float, float]) -> str:
    if result is None:
        return '<p class="status">Not computed.</p>'
    if result.status == "no-engine":
        return f'<p class="status">{escape(result.reason)}</p>'
    if result.status == "not-evaluated":
        return f'<p class="status">{escape(result.reason)}</p>'
    if result.status == "failed":
        return f'<p class="status failed">Query failed: {escape(result.reason)}</p>'
    formatting = spec.get("formatting") or {}
    unit = str(formatting.get("unit") or "none")
    decimals = formatting.get("decimalPrecision")
    if kind == "Number":
        return _number(result, spec, unit, decimals, box)
    if kind in ("TimeSeries", "BarChart"):
        return _time_series(kind, result, spec, unit, box)
    if kind == "PieChart":
        return _pie(result, unit, decimals, box)
    if kind == "Table":
        return _table(result, spec, decimals)
    if kind == "List":
        return _list(result)
    if kind == "Histogram":
        return _histogram(result, spec, box)
    return f'<p class="status">The {escape(kind)} panel kind is not drawn by the preview.</p>'


_OPERATORS = {
    "above": lambda v, t: v > t, "below": lambda v, t: v < t, "above_or_equal": lambda v, t: v >= t,
    "below_or_equal": lambda v, t: v <= t, "equal": lambda v, t: v == t, "not_equal": lambda v, t: v != t,
}  # fmt: skip


def _matching_threshold(value: float, thresholds: list[Mapping[str, Any]], unit: str) -> Mapping[str, Any] | None:
    """The first threshold the value meets (in the threshold's own unit when it has one)."""
    for t in thresholds or []:
        target = t.get("value")
        if target is None:
            continue
        compare = _OPERATORS.get(str(t.get("operator") or "above").lower(), _OPERATORS["above"])
        if compare(convert(value, unit, t.get("unit") or unit), float(target)):
            return t
    return None


def _number(result: PanelResult, spec: Mapping[str, Any], unit: str, decimals: Any, box: tuple[float, float]) -> str:
    value = result.value
    text = format_value(value, unit, decimals)
    style = f"font-size: {max(16, min(56, box[1] * 0.45, box[0] / max(4, len(text)) * 1.6)):.0f}px"
    match = _matching_threshold(value, spec.get("thresholds") or [], unit) if value is not None else None
    if match is not None:
        color = css_color(match.get("color"))
        if str(match.get("format") or "text").lower() == "background":
            style += f"; background: {color}; color: #0b0c0e"
        else:
            style += f"; color: {color}"
    css = "number" if value is not None else "number empty"
    return f'<div class="{css}" style="{style}" data-value="{"" if value is None else repr(value)}">{escape(text)}</div>'


def _time_series(kind: str, result: PanelResult, spec: Mapping[str, Any], unit: str, box: tuple[float, float]) -> str:
    if not result.series:
        return '<p class="status">No data</p>'
    legend = spec.get("legend") or {}
    custom = legend.get("customColors") or {}
    lines = [Line(s.label, css_color(custom.get(s.label), PALETTE[i % len(PALETTE)]), s.points)
             for i, s in enumerate(result.series)]
    thresholds = [
        Threshold(convert(float(t["value"]), t.get("unit") or unit, unit), css_color(t.get("color")), str(t.get("label") or ""))
        for t in spec.get("thresholds") or [] if t.get("value") is not None
    ]
    right = str(legend.get("position") or "bottom") == "right"
    width, height = (box[0] * 0.75, box[1]) if right else (box[0], box[1] - _legend_height([line.label for line in lines], box[0]))
    start, end = result.time_range
    chart = time_chart(
        lines, start=start, end=end, step=result.step, unit=unit,
        thresholds=thresholds, width=width, height=height, bars=kind == "BarChart",
        stacked=bool((spec.get("visualization") or {}).get("stackedBarChart")),
        show_points=bool((spec.get("chartAppearance") or {}).get("showPoints")),
    )
    items = "".join(f'<span><i style="background:{line.color}"></i>{escape(line.label)}</span>' for line in lines)
    return f'<div class="chart-wrap {"legend-right" if right else ""}">{chart}<div class="legend">{items}</div></div>'


def _histogram(result: PanelResult, spec: Mapping[str, Any], box: tuple[float, float]) -> str:
    """The distribution of the query's values (each point of each series), as SigNoz's Histogram
    panel shows it: counts per bucket, the series apart unless mergeAllActiveQueries."""
    if not result.series:
        return '<p class="status">No data</p>'
    buckets = spec.get("histogramBuckets") or {}
    lines = [Line(s.label, PALETTE[i % len(PALETTE)], s.points) for i, s in enumerate(result.series)]
    try:
        h = histogram(lines, buckets.get("bucketCount"), buckets.get("bucketWidth"), bool(buckets.get("mergeAllActiveQueries")))
    except ValueError as exc:
        return f'<p class="status">{escape(str(exc))}</p>'
    chart = histogram_chart(h, box[0], box[1] - _legend_height([label for label, _, _ in h.counts], box[0]))
    items = "".join(f'<span><i style="background:{color}"></i>{escape(label)}</span>' for label, color, _ in h.counts)
    return f'<div class="chart-wrap">{chart}<div class="legend">{items}</div></div>'


def _legend_height(labels: list[str], width: float) -> float:
    """The height the legend under a chart takes (at most two rows are shown), so that the chart's
    SVG gets the rest of the panel and keeps its proportions."""
    rows, used = 1, 0.0
    for label in labels:
        item = 27 + 6.5 * len(label)  # swatch, gap and text at 12 px
        if used and used + item > width - 64:
            rows, used = rows + 1, 0.0
        used += item
    return 6 + 18 * min(rows, 2)


def _pie(result: PanelResult, unit: str, decimals: Any, box: tuple[float, float]) -> str:
    slices = [(s.label, s.points.get(0, 0.0), PALETTE[i % len(PALETTE)]) for i, s in enumerate(result.series)]
    if not slices:
        return '<p class="status">No data</p>'
    total = sum(v for _, v, _ in slices if v > 0) or 1.0
    size = min(box[1], box[0] * 0.5)
    legend = "".join(
        f'<li><i style="background:{color}"></i><span class="label">{escape(label)}</span>'
        f'<span class="val">{escape(format_value(v, unit, decimals))} ({v / total * 100:.1f}%)</span></li>'
        for label, v, color in slices
    )
    return f'<div class="pie-wrap">{pie_chart(slices, size)}<ul class="legend">{legend}</ul></div>'


def _table(result: PanelResult, spec: Mapping[str, Any], decimals: Any) -> str:
    table = result.table
    if table is None or not table.rows:
        return '<p class="status">No data</p>'
    units = (spec.get("formatting") or {}).get("columnUnits") or {}
    thresholds = spec.get("thresholds") or []
    head = "".join(('<th class="num">' if numeric else "<th>") + f"{escape(table.title(i))}</th>"
                   for i, numeric in enumerate(table.numeric))
    body = []
    for row in table.rows:
        cells = []
        for column, cell, numeric in zip(table.columns, row, table.numeric):
            if numeric and cell is not None:
                unit = str(units.get(column) or "none")
                style = ""
                match = _matching_threshold(float(cell), [t for t in thresholds if t.get("columnName") == column], unit)
                if match is not None:
                    color = css_color(match.get("color"))
                    style = f' style="{"background" if match.get("format") == "background" else "color"}: {color}"'
                cells.append(f'<td class="num"{style}>{escape(format_value(cell, unit, decimals))}</td>')
            else:
                cells.append(f"<td>{escape('' if cell is None else str(cell))}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _list(result: PanelResult) -> str:
    table = result.table
    if table is None or not table.rows:
        return '<p class="status">No data</p>'
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    body = []
    for row in table.rows:
        cells = []
        for column, cell in zip(table.columns, row):
            if column == "timestamp" and cell is not None:
                moment = datetime.fromtimestamp(int(cell) / 1e9, tz=UTC)
                text = moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"
            elif column in ("duration_nano", "durationNano") and cell is not None:
                text = format_value(cell, "ns", 2)
            else:
                text = "" if cell is None else str(cell)
            cells.append(f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'


def _rules(p: DashboardPreview) -> str:
    """The definition's alert rules, each evaluated once as SigNoz would at the end of the spans'
    range: a row per rule and group, with the value the levels compare and the verdict."""
    at = datetime.fromtimestamp(p.data.end_ms / 1000, tz=UTC)
    title = f"Alert rules ({p.rule_count})"
    if not p.rules:
        body = f'<p class="status">{escape(p.engine_missing or "The rules were not evaluated.")}</p>'
        return f'<details class="section rules" open><summary>{title}</summary>{body}</details>'
    note = (f"Each rule evaluated once, as SigNoz would at {at:%Y-%m-%d %H:%M} UTC (the end of the spans): "
            "its selected query over the window before, compared level by level.")
    rows = []
    for r in p.rules:
        groups: list[GroupResult | None] = [*r.groups] or [None]
        for i, group in enumerate(groups):
            cells = []
            if i == 0:
                span = f' rowspan="{len(groups)}"' if len(groups) > 1 else ""
                name = (f'<b title="{escape(r.description)}">{escape(r.alert)}</b><span class="rule-id">{escape(r.rule_id)}</span>')
                levels = "".join(f'<div><span class="level level-{escape(_level_class(level.name))}">{escape(level.name)}'
                                 f"</span> {escape(level.describe())}</div>" for level in r.levels)
                window = f"{r.selected} over {_minutes(r.window_s)}" if r.window_s else r.selected
                cells += [f"<td{span}>{name}</td>", f'<td{span}><div class="muted">{escape(window)}</div>{levels}</td>']
            cells += _rule_group_cells(r, group)
            rows.append(f'<tr data-rule="{escape(r.rule_id)}">{"".join(cells)}</tr>')
    table = ('<div class="table-wrap"><table class="rule-table"><thead><tr><th>Rule</th><th>Condition</th><th>Group</th>'
             f'<th class="num">Value</th><th>Verdict</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>')
    return (f'<details class="section rules" open><summary>{title}</summary><p class="data">{escape(note)}</p>'
            f"{table}</details>")


def _rule_group_cells(r: RuleEvaluation, group: Any) -> list[str]:
    """Group, value and verdict cells of one row of the rules table."""
    if r.status != "ok":
        reason = r.reason if r.status == "not-evaluated" else f"Query failed: {r.reason}"
        return [f'<td colspan="3" class="status-cell">{escape(reason)}</td>']
    if group is None:
        if r.alert_on_absent:
            after = f" once it lasts {r.absent_for_min} min" if r.absent_for_min else ""
            return ['<td class="muted">—</td>', '<td class="muted">No data</td>',
                    f'<td><span class="verdict fires">fires: no data{escape(after)}</span></td>']
        return ['<td class="muted">—</td>', '<td class="muted">No data</td>', '<td><span class="verdict quiet">quiet</span></td>']
    labels = ", ".join(f"{k}={'' if v is None else v}" for k, v in group.labels.items()) or "(all)"
    value = r.levels[0].decides(group.points) if r.levels else None
    shown = format_value(value, r.unit or "none")
    if group.too_few_points:
        verdict = '<span class="verdict quiet">quiet: too few points</span>'
    elif group.firing:
        worst = _level_class(group.firing[-1] if "critical" not in group.firing else "critical")
        verdict = f'<span class="verdict fires level-{escape(worst)}">fires: {escape(", ".join(group.firing))}</span>'
    else:
        verdict = '<span class="verdict quiet">quiet</span>'
    return [f"<td>{escape(labels)}</td>", f'<td class="num">{escape(shown)}</td>', f"<td>{verdict}</td>"]


def _level_class(name: str) -> str:
    return name.lower() if name.lower() in ("critical", "error", "warning", "info") else "other"


def _minutes(seconds: int) -> str:
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


_CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; padding: 16px 20px 40px; background: #0b0c0e; color: #c0c1c3;
  font: 13px/1.4 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }}
.banner {{ max-width: {PAGE_WIDTH}px; margin: 0 auto 12px; padding: 6px 10px; border: 1px solid #2a2f3d;
  border-radius: 4px; color: #8c93a8; font-size: 12px; }}
.dashboard {{ max-width: {PAGE_WIDTH}px; margin: 0 auto 40px; }}
h1 {{ font-size: 20px; font-weight: 600; color: #eceef2; margin: 8px 0 4px; }}
.description, .data {{ margin: 2px 0; color: #8c93a8; }}
.tags span {{ display: inline-block; margin-right: 6px; padding: 1px 8px; border-radius: 10px; background: #1d212d;
  color: #a9adb9; font-size: 12px; }}
.warning {{ padding: 8px 10px; background: #3a2a12; color: #fac06a; border-radius: 4px; }}
.variables {{ display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }}
.variable {{ padding: 4px 10px; background: #16181d; border: 1px solid #23262f; border-radius: 4px; }}
.variable b {{ color: #8c93a8; font-weight: 500; margin-right: 4px; }}
.section {{ margin-top: 14px; }}
.section > summary {{ cursor: pointer; padding: 6px 4px; font-size: 15px; font-weight: 600; color: #eceef2;
  border-bottom: 1px solid #23262f; margin-bottom: {GAP}px; }}
.grid {{ display: grid; grid-template-columns: repeat({COLUMNS}, minmax(0, 1fr)); gap: {GAP}px; width: 100%; }}
.panel {{ background: #121317; border: 1px solid #1d212d; border-radius: 4px; display: flex; flex-direction: column;
  min-width: 0; min-height: 0; overflow: hidden; }}
.panel > header {{ height: {HEADER}px; display: flex; align-items: center; padding: 0 10px; border-bottom: 1px solid #1d212d; }}
.panel h3 {{ margin: 0; font-size: 13px; font-weight: 500; color: #dfe1e6; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; flex: 1; }}
.warn {{ color: #fac06a; font-weight: 700; padding-left: 6px; cursor: help; }}
.body {{ flex: 1; padding: {PAD}px; min-height: 0; position: relative; }}
.status {{ margin: 0; height: 100%; display: flex; align-items: center; justify-content: center; text-align: center;
  color: #8c93a8; font-style: italic; padding: 0 12px; }}
.status.failed {{ color: #f5727a; font-style: normal; }}
.number {{ height: 100%; display: flex; align-items: center; justify-content: center; font-weight: 500;
  color: #eceef2; border-radius: 3px; }}
.number.empty {{ color: #8c93a8; font-style: italic; font-size: 16px !important; }}
.chart-wrap {{ height: 100%; display: flex; flex-direction: column; }}
.chart-wrap.legend-right {{ flex-direction: row; }}
.chart {{ flex: 1; min-height: 0; width: 100%; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 2px 12px; font-size: 12px; color: #a9adb9; max-height: 36px;
  overflow: hidden; padding: 2px 4px 0 64px; margin: 0; list-style: none; }}
.legend i {{ display: inline-block; width: 10px; height: 3px; margin-right: 5px; vertical-align: middle; }}
.pie-wrap {{ height: 100%; display: flex; align-items: center; gap: 12px; }}
.pie {{ height: 100%; flex: none; }}
.pie-wrap .legend {{ flex-direction: column; max-height: none; padding: 0; }}
.pie-wrap .legend i {{ height: 10px; border-radius: 2px; }}
.pie-wrap .legend li {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.pie-wrap .legend .val {{ color: #eceef2; margin-left: 8px; }}
.table-wrap {{ height: 100%; overflow: auto; }}
table {{ width: 100%; border-collapse: collapse; font-size: 12px; }}
th {{ text-align: left; color: #8c93a8; font-weight: 500; border-bottom: 1px solid #23262f; padding: 4px 6px;
  position: sticky; top: 0; background: #121317; }}
td {{ border-bottom: 1px solid #1a1d24; padding: 4px 6px; color: #dfe1e6; white-space: nowrap; }}
td.num, th.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.rules .table-wrap {{ height: auto; }}
.rule-table td {{ white-space: normal; vertical-align: top; font-size: 13px; padding: 6px 8px; }}
.rule-table th {{ font-size: 12px; }}
.rule-id {{ display: block; color: #8c93a8; font-size: 11px; }}
.muted {{ color: #8c93a8; }}
.status-cell {{ color: #8c93a8; font-style: italic; }}
.level {{ display: inline-block; min-width: 58px; font-size: 11px; color: #8c93a8; }}
.level-critical {{ color: #f5727a; }}
.level-warning {{ color: #fac06a; }}
.verdict {{ display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; white-space: nowrap; }}
.verdict.quiet {{ background: #1d2a22; color: #7fcf5e; }}
.verdict.fires {{ background: #3a1d20; color: #f5727a; }}
.verdict.fires.level-warning {{ background: #3a2a12; color: #fac06a; }}
"""
