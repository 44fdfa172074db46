"""The one table every benchmark contributes rows to, and the median timer they share."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Row:
    """One measured figure, optionally against a named baseline measured in the same run.

    `ratio` is baseline / ours for costs (so 12× means "12 times cheaper than the baseline"),
    or whatever `ratio_note` says. `target` is text such as "≥ 50×"; `met` is None when the
    row has no target.
    """

    section: str
    measure: str
    ours: str
    baseline: str = ""
    baseline_value: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls of `fn` (no warm-up call: callers warm up when they mean to)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def fmt_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def fmt_count(n: int) -> str:
    return f"{n:,}"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:.1f}×" if ratio < 100 else f"{ratio:,.0f}×"


def status(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


def render_table(rows: list[Row]) -> str:
    """A plain-text table, one block per section (fixed-width, readable in a CI log)."""
    header = ("measure", "ours", "baseline", "baseline value", "ratio", "target", "status")
    cells = [(r.measure, r.ours, r.baseline, r.baseline_value, r.ratio, r.target, status(r.met)) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(header)]

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(header), line(tuple("-" * w for w in widths))]
    section = None
    for row, cell in zip(rows, cells):
        if row.section != section:
            section = row.section
            out.append(f"[{section}]")
        out.append(line(cell))
    return "\n".join(out)
