"""Preview speed: `signoz-dac preview` as a whole process, chDB's start-up included.

1. A shipped dashboard on its bundled sample capture (what `signoz-dac preview dashboards/pipecat.yaml`
   does right after install). Target < 3 s. Baseline: `signoz-dac render` of the same definition,
   the command every user already runs (the floor of anything that renders the dashboard).
2. The same dashboard on a file of synthetic spans (1 M at the default scale): the generator of
   synthetic_traces.py fills a scratch chDB, which writes the spans as JSON lines in the format our
   captures use; the preview then loads that file. Target < 10 s at 1 M. Baseline: figure 1.

The synthetic spans carry tokens, models, errors and `metrics.ttfb`, not the turn-latency
attributes, so those panels scan their spans and find no values.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import Row, fmt_count, fmt_ratio, fmt_seconds

REPO = Path(__file__).resolve().parents[1]
SECTION = "preview (whole process, median)"
BUNDLED_TARGET = 3.0  # seconds
LARGE_TARGET = 10.0  # seconds, at 1 M spans
LARGE_SPANS = 1_000_000
SPANS_PER_CONVERSATION = 23.5  # what synthetic_traces generates on average
DATA_END = 1767830400  # 2026-01-08 00:00:00 UTC
HOURS = 6  # the synthetic spans cover the shipped dashboards' default range
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

EXPORT = """
INSERT INTO FUNCTION file({path}, 'TSVRaw', 'line String')
SELECT concat(
    '{{"trace_id":', toJSONString(toString(trace_id)), ',"span_id":', toJSONString(span_id),
    ',"parent_span_id":', toJSONString(parent_span_id), ',"name":', toJSONString(toString(name)),
    ',"kind":"SPAN_KIND_', upper(kind_string), '","status_code":"STATUS_CODE_', upper(status_code_string),
    '","status_message":', toJSONString(status_message),
    ',"start_ns":', toString(toUnixTimestamp64Nano(timestamp)),
    ',"end_ns":', toString(toUnixTimestamp64Nano(timestamp) + duration_nano),
    ',"attributes":{{', arrayStringConcat(arrayConcat(
        arrayMap((k, v) -> concat(toJSONString(k), ':', toJSONString(v)), mapKeys(attributes_string), mapValues(attributes_string)),
        arrayMap((k, v) -> concat(toJSONString(k), ':', toString(v)), mapKeys(attributes_number), mapValues(attributes_number)),
        arrayMap((k, v) -> concat(toJSONString(k), ':', if(v, 'true', 'false')), mapKeys(attributes_bool), mapValues(attributes_bool))
    ), ','), '}},"resource":', toJSONString(resources_string),
    ',"scope":{{"name":"synthetic","version":""}},"events":[]}}')
FROM signoz_traces.signoz_index_v3
SETTINGS output_format_json_escape_forward_slashes = 0
"""


def write_spans(path: str, spans: int) -> int:
    """Generate about `spans` synthetic spans in a scratch chDB and write them as JSON lines (run in
    a child process: chDB holds one session per process). Returns the number written."""
    from chdb import session

    from signoz_dac.testing.traces_store import format_value, schema_statements
    from synthetic_traces import insert_sql

    folder = tempfile.mkdtemp(prefix="signoz-dac-bench-spans-")
    db = session.Session(folder)
    try:
        for statement in schema_statements():
            db.query(statement)
        conversations = max(1, int(spans / SPANS_PER_CONVERSATION))
        start = DATA_END - HOURS * 3600
        chunk = 50_000
        for begin in range(0, conversations, chunk):
            count = min(chunk, conversations - begin)
            db.query(insert_sql(first=begin, count=count, start_s=start + HOURS * 3600 * begin // conversations,
                                end_s=start + HOURS * 3600 * (begin + count) // conversations, data_end_s=DATA_END))
        db.query(EXPORT.format(path=format_value(path)))
        return int(db.query("SELECT count() FROM signoz_traces.signoz_index_v3", "CSV").bytes().decode().strip())
    finally:
        db.close()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


def cli() -> list[str]:
    script = Path(sys.executable).with_name("signoz-dac")
    return [str(script)] if script.exists() else [sys.executable, "-m", "signoz_dac.cli"]


def _run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of a child process. CPU time shows what the command costs even
    when other processes share the machine's cores."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _median(argv: list[str], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds over `runs` runs, after one warm-up run."""
    _run(argv)  # warm the file cache and .pyc files once
    samples = [_run(argv) for _ in range(runs)]
    return statistics.median(w for w, _ in samples), statistics.median(c for _, c in samples)


def _timed(seconds: tuple[float, float]) -> str:
    return f"{fmt_seconds(seconds[0])} (CPU {fmt_seconds(seconds[1])})"


# One preview in a fresh process, timed by phase: imports + render, chDB start, spans (loaded from the
# bundled sample, or generated in place by synthetic_traces, which is not counted), the field
# catalog + variables, the panels, the page. Prints JSON.
PHASES = r"""
import json, sys, time
t0 = time.perf_counter()
import signoz_dac
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.evaluate import evaluate_panel
from signoz_dac.preview.fields import FieldCatalog
from signoz_dac.preview.page import DashboardPreview, DataInfo, build_page
from signoz_dac.preview.pipeline import time_range
from signoz_dac.preview.samples import sample_path
from signoz_dac.preview.variables import resolve_variables
definition, spans = sys.argv[1], int(sys.argv[2])
body = signoz_dac.render(signoz_dac.load_definition(definition))
t1 = time.perf_counter()
engine = Engine()
t2 = time.perf_counter()
generated = 0.0
if spans:
    from synthetic_traces import insert_sql
    end, hours = %(end)d, %(hours)d
    conversations = max(1, int(spans / %(per)s))
    for begin in range(0, conversations, 50_000):
        n = min(50_000, conversations - begin)
        engine.store.execute(insert_sql(first=begin, count=n, start_s=end - hours * 3600 + hours * 3600 * begin // conversations,
                                        end_s=end - hours * 3600 + hours * 3600 * (begin + n) // conversations, data_end_s=end))
    generated = time.perf_counter() - t2
else:
    engine.store.load_file(str(sample_path("pipecat-1.14.0.json")))
t3 = time.perf_counter()
engine.catalog = FieldCatalog.from_store(engine.store)
count, first, last = engine.extent()
rng = time_range(first, last)
variables = resolve_variables(body, engine, rng)
values = {v.name: v.value for v in variables}
t4 = time.perf_counter()
panels = {k: evaluate_panel(k, p, engine, values, rng) for k, p in body["spec"]["panels"].items()}
t5 = time.perf_counter()
build_page([DashboardPreview("d", body, variables, panels, DataInfo(["f"], count, rng.start_ms, rng.end_ms))], "bench")
t6 = time.perf_counter()
engine.close()
print(json.dumps({"spans": count, "render": t1 - t0, "start": t2 - t1, "load": (t3 - t2) - generated,
                  "generated": generated, "variables": t4 - t3, "panels": t5 - t4, "page": t6 - t5,
                  "computed": sum(p.status == "ok" for p in panels.values()), "count": len(panels)}))
""" % {"end": DATA_END, "hours": HOURS, "per": SPANS_PER_CONVERSATION}


def phases(definition: str, spans: int, runs: int) -> dict[str, float]:
    """The median of each phase over `runs` fresh processes (0 spans: the bundled sample)."""
    import json

    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PHASES, definition, str(spans)], capture_output=True, text=True,
                             env=ENV, cwd=Path(__file__).parent)
        if out.returncode != 0:
            raise RuntimeError(f"preview phases failed: {out.stderr[-1000:]}")
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def preview_seconds(p: dict[str, float]) -> float:
    """A preview's own time: everything but generating the synthetic spans."""
    return p["render"] + p["start"] + p["load"] + p["variables"] + p["panels"] + p["page"]


def describe(p: dict[str, float]) -> str:
    return (f"imports + render {fmt_seconds(p['render'])}, chDB start {fmt_seconds(p['start'])}, "
            f"load {fmt_seconds(p['load'])}, catalog + variables {fmt_seconds(p['variables'])}, "
            f"{p['count']:.0f} panels ({p['computed']:.0f} computed) {fmt_seconds(p['panels'])}, page {fmt_seconds(p['page'])}")


def rows(runs: int, large_spans: int) -> tuple[list[Row], list[str]]:
    out: list[Row] = []
    notes: list[str] = []
    pipecat = str(REPO / "dashboards" / "pipecat.yaml")
    with tempfile.TemporaryDirectory(prefix="signoz-dac-bench-preview-") as tmp:
        html = str(Path(tmp) / "p.html")
        render = _median([*cli(), "render", pipecat, "--output-dir", tmp], runs)
        bundled = {}
        for name in ("pipecat", "livekit"):
            definition = str(REPO / "dashboards" / f"{name}.yaml")
            bundled[name] = _median([*cli(), "preview", definition, "-o", html], runs)
            out.append(Row(
                SECTION, f"signoz-dac preview {name}.yaml (bundled capture)", _timed(bundled[name]),
                baseline="signoz-dac render (same definition)", baseline_value=_timed(render),
                ratio=fmt_ratio(bundled[name][0] / render[0]) + " of render",
                target=f"< {fmt_seconds(BUNDLED_TARGET)}", met=bundled[name][0] < BUNDLED_TARGET,
            ))
        small = phases(pipecat, 0, runs)
        large = phases(pipecat, large_spans, max(1, min(runs, 3)))
        at_target = large["spans"] >= LARGE_SPANS * 0.95
        out.append(Row(
            SECTION, f"preview pipecat.yaml over {fmt_count(int(large['spans']))} synthetic spans in chDB",
            fmt_seconds(preview_seconds(large)),
            baseline="the same over the bundled capture", baseline_value=fmt_seconds(preview_seconds(small)),
            ratio=fmt_ratio(preview_seconds(large) / preview_seconds(small)) + " of it",
            target=f"< {fmt_seconds(LARGE_TARGET)} at 1 M" if at_target else "(1 M at the default scale)",
            met=(preview_seconds(large) < LARGE_TARGET) if at_target else None,
        ))
        notes.append(f"preview over {fmt_count(int(large['spans']))} synthetic spans (fresh process each; generating "
                     f"them in chDB, {fmt_seconds(large['generated'])}, not counted): {describe(large)}")
        notes.append(f"preview over the bundled capture ({fmt_count(int(small['spans']))} spans): {describe(small)}")
        spans_file = str(Path(tmp) / "spans.jsonl")
        started = time.perf_counter()
        made = subprocess.run([sys.executable, __file__, "--write-spans", spans_file, str(large_spans)],
                              capture_output=True, text=True, env=ENV, cwd=Path(__file__).parent)
        if made.returncode != 0:
            raise RuntimeError(f"generating spans failed: {made.stderr[-1000:]}")
        written = int(made.stdout.strip().splitlines()[-1])
        size = os.path.getsize(spans_file)
        from_file = _median([*cli(), "preview", pipecat, "--spans", spans_file, "-o", html], 1)
        out.append(Row(
            SECTION, f"signoz-dac preview pipecat.yaml --spans ({fmt_count(written)} spans, {size / 1e6:,.0f} MB JSON lines)",
            _timed(from_file), baseline="the preview over the same spans in chDB",
            baseline_value=fmt_seconds(preview_seconds(large)),
            ratio=fmt_ratio(from_file[0] / preview_seconds(large)) + " of it", target="(parsing the JSON included)",
        ))
        notes.append(f"the JSON-lines file was written in {fmt_seconds(time.perf_counter() - started)}; reading it is "
                     "ClickHouse parsing every span's attributes and resource JSON (see benchmarks/README.md)")
    return out, notes


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--write-spans":
        print(write_spans(sys.argv[2], int(sys.argv[3])))
    else:
        from report import render_table

        table, table_notes = rows(int(os.environ.get("RUNS", "3")), int(os.environ.get("SPANS", str(LARGE_SPANS))))
        print(render_table(table))
        print("\n".join(table_notes))
