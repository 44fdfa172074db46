"""`preview`: dashboards and spans → one HTML page with every panel's numbers and every rule's verdict.

Spans come from the files given, or else from the sample capture of each dashboard's profile
(a SigNoz JSON dashboard has no profile: it gets the Pipecat and LiveKit samples). The time range
is the spans' extent, widened to whole minutes. Dashboards sharing a dataset share one engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from signoz_dac.errors import InputError
from signoz_dac.preview.engine import INSTALL_HINT, Engine, Reads
from signoz_dac.preview.evaluate import evaluate_panel
from signoz_dac.preview.page import DashboardPreview, DataInfo, build_page
from signoz_dac.preview.query import TimeRange
from signoz_dac.preview.rules import evaluate_rule
from signoz_dac.preview.samples import sample_path
from signoz_dac.preview.spans import read_spans
from signoz_dac.preview.variables import resolve_variables

GENERATOR = "signoz-dac preview"
DEFAULT_SAMPLES = ("pipecat-1.14.0.json", "livekit-1.8.9.json")


@dataclass
class Dashboard:
    """A dashboard to preview: its SigNoz body, where it came from, and (for a definition) its
    profile and its alert rules (rendered rule bodies)."""

    source: str
    body: Mapping[str, Any]
    profile: str | None = None
    rules: Sequence[Mapping[str, Any]] = ()


def time_range(first_ns: int, last_ns: int) -> TimeRange:
    """From the first span's start to the last one's end, widened to whole minutes (at least one)."""
    start_s = first_ns // 1_000_000_000
    end_s = last_ns // 1_000_000_000 + 1
    start = start_s - start_s % 60
    end = max(end_s + (-end_s % 60), start + 60)
    return TimeRange(start * 1000, end * 1000)


def _datasets(dashboards: Sequence[Dashboard], span_files: Sequence[Path]) -> list[tuple[tuple[Path, ...], list[Dashboard], str]]:
    """(span files, dashboards, note) per dataset, in first-use order."""
    if span_files:
        return [(tuple(span_files), list(dashboards), "")]
    groups: dict[tuple[Path, ...], list[Dashboard]] = {}
    for dashboard in dashboards:
        if dashboard.profile:
            from signoz_dac.profiles import get_profile

            files: tuple[Path, ...] = (sample_path(get_profile(dashboard.profile).catalog),)
        else:
            files = tuple(sample_path(name) for name in DEFAULT_SAMPLES)
        groups.setdefault(files, []).append(dashboard)
    note = "Bundled sample capture (pass --spans FILE for your own spans)."
    return [(files, group, note) for files, group in groups.items()]


def preview_html(dashboards: Sequence[Dashboard], span_files: Sequence[Path] = (),
                 overrides: Mapping[str, str] | None = None) -> str:
    """The preview page for the dashboards. Raises InputError for unreadable span files and
    variables the dashboards lack."""
    overrides = dict(overrides or {})
    unknown = set(overrides) - {
        str(v.get("spec", {}).get("name")) for d in dashboards for v in d.body.get("spec", {}).get("variables") or []
    }
    if unknown:
        raise InputError(f"--var: no dashboard has a variable {', '.join(sorted(unknown))}")
    _check_distinct(span_files)
    previews: dict[int, DashboardPreview] = {}
    for files, group, note in _datasets(dashboards, span_files):
        engine = Engine.start(files=files, reads=Reads.of(sql_texts(group)))
        if engine is not None:
            count, first, last = engine.extent()
        else:  # no chDB: read the files anyway, for the header and to report broken ones
            spans = [s for f in files for s in read_spans(f)]
            count, first, last = len(spans), min((s["start_ns"] for s in spans), default=0), max((s["end_ns"] for s in spans), default=0)
        rng = time_range(first, last)
        info = DataInfo([_shown(f) for f in files], count, rng.start_ms, rng.end_ms, note)
        try:
            for dashboard in group:
                previews[id(dashboard)] = _preview(dashboard, engine, rng, info, overrides)
        finally:
            if engine is not None:
                engine.close()
    return build_page([previews[id(d)] for d in dashboards], GENERATOR)


def _check_distinct(span_files: Sequence[Path]) -> None:
    """One file given twice (under two names, or through a link) would load its spans twice and
    double every count: bad input, not a silent doubling."""
    seen: dict[tuple[int, int] | Path, Path] = {}
    for path in span_files:
        try:
            info = os.stat(path)
            identity: tuple[int, int] | Path = (info.st_dev, info.st_ino)
        except OSError:
            identity = Path(os.path.abspath(path))  # reported as unreadable when it is read
        if identity in seen:
            raise InputError(f"--spans: {_shown(path)} is the file {_shown(seen[identity])} again; "
                             "give each span file once (its spans would be counted twice)")
        seen[identity] = path


def _preview(dashboard: Dashboard, engine: Engine | None, rng: TimeRange, info: DataInfo,
             overrides: Mapping[str, str]) -> DashboardPreview:
    names = {str(v.get("spec", {}).get("name")) for v in dashboard.body.get("spec", {}).get("variables") or []}
    variables = resolve_variables(dashboard.body, engine, rng, {k: v for k, v in overrides.items() if k in names})
    values = {v.name: v.value for v in variables}
    panels = {
        key: evaluate_panel(key, panel, engine, values, rng)
        for key, panel in (dashboard.body.get("spec", {}).get("panels") or {}).items()
    }
    missing = "" if engine is not None else (
        f"chDB is not installed, so the panels are empty: {INSTALL_HINT} computes their numbers from the spans."
    )
    # The rules are evaluated once, as SigNoz would at the end of the range.
    rules = [evaluate_rule(rule, engine, rng.end_ns) for rule in dashboard.rules] if engine is not None else []
    return DashboardPreview(dashboard.source, dashboard.body, variables, panels, info, engine_missing=missing,
                            rules=rules, rule_count=len(dashboard.rules))


def spans_range(spans: Sequence[Mapping[str, Any]]) -> TimeRange:
    """The time range `preview` uses for these spans."""
    return time_range(min((int(s["start_ns"]) for s in spans), default=0), max((int(s["end_ns"]) for s in spans), default=0))


def sql_texts(dashboards: Sequence[Dashboard]) -> list[str]:
    """Every ClickHouse SQL text of the dashboards: panel queries, query variables and alert rules."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("query", "queryValue") and isinstance(value, str):
                    out.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for dashboard in dashboards:
        walk(dashboard.body.get("spec", {}))
        walk(list(dashboard.rules))
    return out


def _shown(path: Path) -> str:
    from signoz_dac.preview.samples import HERE

    return f"the bundled sample {path.name}" if path.parent == HERE else str(path)
