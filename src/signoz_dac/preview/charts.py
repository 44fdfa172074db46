"""Inline SVG charts for the preview page: time series (lines or bars), histograms and pies. No script,
no external assets: the page must open without a network."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape as html_escape

from signoz_dac.preview.units import format_value

# Unicode's explicit bidi controls: embeddings and overrides (LRE, RLE, LRO, RLO) end at PDF,
# isolates (LRI, RLI, FSI) at PDI; a paragraph break ends them all.
_EMBEDDINGS, _PDF = frozenset("\u202a\u202b\u202d\u202e"), "\u202c"
_ISOLATES, _PDI = frozenset("\u2066\u2067\u2068"), "\u2069"
_PARAGRAPH = frozenset("\n\r\u2029")


def escape(text: str) -> str:
    """Text from a definition or the spans, as page text or an attribute value: HTML-escaped, and every
    bidi embedding, override or isolate it opens closed at its end, so a label written with a
    right-to-left override reorders only itself, never the page's text after it."""
    open_: list[str] = []
    for char in text:
        if char in _EMBEDDINGS:
            open_.append(_PDF)
        elif char in _ISOLATES:
            open_.append(_PDI)
        elif char == _PDF and open_ and open_[-1] == _PDF:
            open_.pop()
        elif char == _PDI and _PDI in open_:
            while open_.pop() != _PDI:
                pass
        elif char in _PARAGRAPH:
            open_.clear()
    return html_escape(text) + "".join(reversed(open_))

# Series colours, in order (distinct on SigNoz's dark background).
PALETTE = ("#4E74F8", "#F2994A", "#2EB7B3", "#F25C78", "#A77BF3", "#7FCF5E", "#E8C547", "#5AB0E8", "#E87F5A", "#8C93A8")
# Threshold colour names SigNoz's editor offers, as CSS colours.
NAMED_COLORS = {
    "red": "#F5222D", "orange": "#FA8C16", "green": "#52C41A", "blue": "#4E74F8", "yellow": "#FADB14",
    "purple": "#A77BF3", "grey": "#8C93A8", "gray": "#8C93A8", "white": "#FFFFFF",
}  # fmt: skip
AXIS = "#5B6070"
GRID = "#23262F"
TEXT = "#A9ADB9"


def css_color(name: str | None, default: str = "#8C93A8") -> str:
    """A threshold colour (a SigNoz name such as "Red", or a CSS colour) as a safe CSS colour."""
    if not name:
        return default
    text = str(name).strip()
    if text.lower() in NAMED_COLORS:
        return NAMED_COLORS[text.lower()]
    if text.startswith("#") and len(text) in (4, 7, 9) and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text
    return default


@dataclass
class Line:
    label: str
    color: str
    points: dict[int, float]  # epoch seconds → value


@dataclass
class Threshold:
    value: float
    color: str
    label: str


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 5 × 10^k steps) covering [lo, hi]: whole counts stay whole."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    raw = (hi - lo) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    first = math.floor(lo / step) * step
    ticks = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 12))
    return ticks


_TIME_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400)


def time_ticks(start: int, end: int, max_ticks: int) -> list[int]:
    span = max(1, end - start)
    step = next((s for s in _TIME_STEPS if span / s <= max_ticks), 86400 * math.ceil(span / 86400 / max_ticks))
    first = math.ceil(start / step) * step
    return list(range(first, end + 1, step))


def clock(ts: int, span: int) -> str:
    moment = datetime.fromtimestamp(ts, tz=UTC)
    if span <= 3 * 3600:
        return moment.strftime("%H:%M:%S") if span <= 600 else moment.strftime("%H:%M")
    return moment.strftime("%m-%d %H:%M")


def time_chart(lines: list[Line], start: int, end: int, step: int | None, unit: str,
               thresholds: list[Threshold], width: float, height: float, *, bars: bool = False,
               stacked: bool = False, show_points: bool = False) -> str:
    """Lines (or bars) of values over [start, end) in epoch seconds, the y axis in the panel's unit."""
    left, right, top, bottom = 64, 10, 10, 22
    plot_w, plot_h = max(10.0, width - left - right), max(10.0, height - top - bottom)
    values = [v for line in lines for v in line.points.values()]
    if stacked and bars:
        totals: dict[int, float] = {}
        for line in lines:
            for ts, v in line.points.items():
                totals[ts] = totals.get(ts, 0.0) + v
        values += list(totals.values())
    values += [t.value for t in thresholds]
    lo = min([0.0, *values])
    hi = max([0.0, *values]) or 1.0
    ticks = nice_ticks(lo, hi * (1.08 if hi > 0 else 1), 4)
    y0, y1 = ticks[0], ticks[-1]

    def x(ts: float) -> float:
        return left + (ts - start) / max(1, end - start) * plot_w

    def y(v: float) -> float:
        return top + plot_h - (v - y0) / (y1 - y0 or 1) * plot_h

    out = [f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMidYMid meet" '
           f'xmlns="http://www.w3.org/2000/svg" role="img">']
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>')
        label = escape(_trim(format_value(t, unit, "full")))  # every digit a round tick has, no more
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="{TEXT}" font-size="11">{label}</text>')
    span = end - start
    for ts in time_ticks(start, end, max(2, int(plot_w // 80))):
        anchor = "end" if x(ts) > left + plot_w - 30 else "middle"
        out.append(f'<line x1="{x(ts):.1f}" x2="{x(ts):.1f}" y1="{top}" y2="{top + plot_h:.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{x(ts):.1f}" y="{height - 6:.1f}" text-anchor="{anchor}" fill="{TEXT}" font-size="11">{clock(ts, span)}</text>')
    out.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y(max(y0, min(0, y1))):.1f}" '
               f'y2="{y(max(y0, min(0, y1))):.1f}" stroke="{AXIS}"/>')
    if bars:
        out += _bars(lines, step or 60, x, y, stacked, y0)
    else:
        for line in lines:
            pts = sorted(line.points.items())
            if len(pts) > 1:
                path = " ".join(f"{x(ts):.1f},{y(v):.1f}" for ts, v in pts)
                out.append(f'<polyline points="{path}" fill="none" stroke="{line.color}" stroke-width="2" '
                           f'stroke-linejoin="round" data-series="{escape(line.label)}"/>')
            if show_points or len(pts) == 1:
                for ts, v in pts:
                    out.append(f'<circle cx="{x(ts):.1f}" cy="{y(v):.1f}" r="3" fill="{line.color}"/>')
    placed: list[tuple[float, float]] = []  # (baseline, left end) of the labels so far
    for level in sorted(thresholds, key=lambda level: -level.value):
        out.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y(level.value):.1f}" y2="{y(level.value):.1f}" '
                   f'stroke="{level.color}" stroke-dasharray="6 4" stroke-width="1.5"/>')
        if level.label:
            baseline, x_end = y(level.value) - 4, left + plot_w - 4
            for other, other_left in placed:  # lines close together: labels side by side
                if abs(other - baseline) < 12:
                    x_end = min(x_end, other_left - 8)
            placed.append((baseline, x_end - 6 * len(level.label)))
            out.append(f'<text x="{x_end:.1f}" y="{baseline:.1f}" text-anchor="end" '
                       f'fill="{level.color}" font-size="11">{escape(level.label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _trim(label: str) -> str:
    """An axis label without padding zeros: "500 ms", not "500.00 ms"."""
    m = re.match(r"^(-?\d+)(\.\d+)?(.*)$", label)
    if not m or not m.group(2):
        return label
    fraction = m.group(2).rstrip("0")
    return m.group(1) + (fraction if fraction != "." else "") + m.group(3)


def _bars(lines: list[Line], step: int, x, y, stacked: bool, base: float) -> list[str]:
    out = []
    width = max(1.0, (x(step) - x(0)) * 0.8)
    offsets: dict[int, float] = {}
    count = max(1, len(lines))
    for i, line in enumerate(lines):
        for ts, v in sorted(line.points.items()):
            if stacked:
                bottom = offsets.get(ts, 0.0)
                offsets[ts] = bottom + v
                x0, w = x(ts) + (x(step) - x(0)) * 0.1, width
                y_top, y_bottom = y(bottom + v), y(bottom)
            else:
                w = width / count
                x0 = x(ts) + (x(step) - x(0)) * 0.1 + i * w
                y_top, y_bottom = y(max(v, 0)), y(min(v, 0) if base < 0 else max(base, min(v, 0)))
            out.append(f'<rect x="{x0:.1f}" y="{min(y_top, y_bottom):.1f}" width="{w:.1f}" '
                       f'height="{abs(y_bottom - y_top):.1f}" fill="{line.color}"/>')
    return out


DEFAULT_BUCKET_COUNT = 30  # a Histogram panel that sets neither bucketCount nor bucketWidth


@dataclass
class Histogram:
    """Values binned into equal buckets: bucket i is [start + i·width, start + (i+1)·width); the
    largest value goes in the last bucket. `counts` has one list per drawn series."""

    start: float
    width: float
    counts: list[tuple[str, str, list[int]]]  # (label, colour, count per bucket)

    @property
    def edges(self) -> list[float]:
        size = len(self.counts[0][2]) if self.counts else 0
        return [self.start + i * self.width for i in range(size + 1)]


MAX_BUCKETS = 500  # more bars than a panel has pixels


def histogram(series: list[Line], bucket_count: float | None = None, bucket_width: float | None = None,
              merge: bool = False) -> Histogram:
    """A Histogram panel's bins: every point of every series is a value. `bucket_width` (when > 0)
    sets the buckets' width, else `bucket_count` (default 30) equal buckets span the smallest to the
    largest value; with `merge` (mergeAllActiveQueries) all series share one count, else each series
    is counted apart over the same buckets. More than MAX_BUCKETS buckets is a ValueError."""
    values = [v for line in series for v in line.points.values() if math.isfinite(v)]
    if not values:
        return Histogram(0.0, 1.0, [])
    lo, hi = min(values), max(values)
    if bucket_width and bucket_width > 0:
        width = float(bucket_width)
        size = max(1, math.floor((hi - lo) / width) + 1)
    else:
        size = max(1, int(bucket_count or DEFAULT_BUCKET_COUNT))
        width = (hi - lo) / size if hi > lo else 1.0
    if size > MAX_BUCKETS:  # a width in the wrong unit (1 over nanoseconds) would ask for millions
        what = f"bucketWidth {bucket_width:g}" if bucket_width and bucket_width > 0 else f"bucketCount {size}"
        raise ValueError(f"{what} makes {size} buckets over the values ({lo:g} to {hi:g}); "
                         f"the preview draws at most {MAX_BUCKETS}")

    def count(points: list[float]) -> list[int]:
        counts = [0] * size
        for v in points:
            counts[min(size - 1, int((v - lo) // width))] += 1
        return counts

    if merge:
        return Histogram(lo, width, [("all queries", PALETTE[0], count(values))])
    return Histogram(lo, width, [(line.label, line.color, count([v for v in line.points.values() if math.isfinite(v)]))
                                 for line in series])


def histogram_chart(h: Histogram, width: float, height: float, decimals: object = None) -> str:
    """Bars of counts per bucket (series side by side in a bucket), the buckets' edges below."""
    left, right, top, bottom = 48, 10, 10, 22
    plot_w, plot_h = max(10.0, width - left - right), max(10.0, height - top - bottom)
    peak = max((c for _, _, counts in h.counts for c in counts), default=1) or 1
    ticks = [t for t in nice_ticks(0, peak * 1.08, 4) if t == int(t)] or [0, peak]
    y1 = ticks[-1] or 1
    edges = h.edges
    buckets = len(edges) - 1

    def y(v: float) -> float:
        return top + plot_h - v / y1 * plot_h

    out = [f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMidYMid meet" '
           f'xmlns="http://www.w3.org/2000/svg" role="img">']
    for t in ticks:
        out.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="{GRID}"/>')
        out.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" fill="{TEXT}" font-size="11">{t:g}</text>')
    slot = plot_w / max(1, buckets)
    every = max(1, math.ceil(buckets / max(1, int(plot_w // 70))))  # edge labels that fit
    for i, edge in enumerate(edges):
        if i % every == 0 or i == buckets:
            x = left + i * slot
            anchor = "start" if i == 0 else ("end" if i == buckets else "middle")
            label = escape(_trim(format_value(edge, "none", decimals if decimals not in (None, "") else 2)))
            out.append(f'<text x="{x:.1f}" y="{height - 6:.1f}" text-anchor="{anchor}" fill="{TEXT}" font-size="11">{label}</text>')
    drawn = max(1, len(h.counts))
    for j, (label, color, counts) in enumerate(h.counts):
        bar = slot * 0.9 / drawn
        for i, c in enumerate(counts):
            if c:
                x = left + i * slot + slot * 0.05 + j * bar
                out.append(f'<rect x="{x:.1f}" y="{y(c):.1f}" width="{max(1.0, bar - 1):.1f}" height="{y(0) - y(c):.1f}" '
                           f'fill="{color}" data-series="{escape(label)}" data-bucket="{i}" data-count="{c}">'
                           f"<title>{escape(label)}: {c}</title></rect>")
    out.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{AXIS}"/>')
    out.append("</svg>")
    return "".join(out)


def pie_chart(slices: list[tuple[str, float, str]], size: float) -> str:
    """A pie of (label, value, colour); negative and zero slices are left out."""
    total = sum(v for _, v, _ in slices if v > 0)
    r = size / 2 - 4
    c = size / 2
    out = [f'<svg class="pie" viewBox="0 0 {size:.0f} {size:.0f}" xmlns="http://www.w3.org/2000/svg" role="img">']
    if total <= 0:
        return out[0] + "</svg>"
    positive = [(label, v, color) for label, v, color in slices if v > 0]
    if len(positive) == 1:
        label, _, color = positive[0]
        out.append(f'<circle cx="{c}" cy="{c}" r="{r:.1f}" fill="{color}"><title>{escape(label)}</title></circle>')
    else:
        angle = -math.pi / 2
        for label, v, color in positive:
            sweep = v / total * 2 * math.pi
            end = angle + sweep
            x1, y1 = c + r * math.cos(angle), c + r * math.sin(angle)
            x2, y2 = c + r * math.cos(end), c + r * math.sin(end)
            large = 1 if sweep > math.pi else 0
            out.append(f'<path d="M{c},{c} L{x1:.2f},{y1:.2f} A{r:.1f},{r:.1f} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
                       f'fill="{color}" stroke="#121317" stroke-width="1"><title>{escape(label)}</title></path>')
            angle = end
    out.append("</svg>")
    return "".join(out)
