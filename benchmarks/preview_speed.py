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


PHASES = r"""
import sys, time
t0 = time.perf_counter()
import signoz_dac
from signoz_dac.preview.engine import Engine
from signoz_dac.preview.evaluate import evaluate_panel
from signoz_dac.preview.page import DashboardPreview, DataInfo, build_page
from signoz_dac.preview.pipeline import time_range
from signoz_dac.preview.variables import resolve_variables
body = signoz_dac.render(signoz_dac.load_definition(sys.argv[1]))
t1 = time.perf_counter()
engine = Engine(files=[sys.argv[2]], json_columns=False)  # as preview does: no SQL of pipecat.yaml reads them
count, first, last = engine.extent()
t2 = time.perf_counter()
rng = time_range(first, last)
variables = resolve_variables(body, engine, rng)
values = {v.name: v.value for v in variables}
panels = {k: evaluate_panel(k, p, engine, values, rng) for k, p in body["spec"]["panels"].items()}
t3 = time.perf_counter()
build_page([DashboardPreview("d", body, variables, panels, DataInfo(["f"], count, rng.start_ms, rng.end_ms))], "bench")
t4 = time.perf_counter()
engine.close()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, sum(p.status == "ok" for p in panels.values()), len(panels))
"""


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
                SECTION, f"preview {name}.yaml, bundled capture", _timed(bundled[name]),
                baseline="signoz-dac render (same definition)", baseline_value=_timed(render),
                ratio=fmt_ratio(bundled[name][0] / render[0]) + " of render",
                target=f"< {fmt_seconds(BUNDLED_TARGET)}", met=bundled[name][0] < BUNDLED_TARGET,
            ))
        spans_file = str(Path(tmp) / "spans.jsonl")
        started = time.perf_counter()
        made = subprocess.run([sys.executable, __file__, "--write-spans", spans_file, str(large_spans)],
                              capture_output=True, text=True, env=ENV, cwd=Path(__file__).parent)
        if made.returncode != 0:
            raise RuntimeError(f"generating spans failed: {made.stderr[-1000:]}")
        written = int(made.stdout.strip().splitlines()[-1])
        size = os.path.getsize(spans_file)
        notes.append(f"preview: {fmt_count(written)} synthetic spans over {HOURS} h written as JSON lines "
                     f"({size / 1e6:,.0f} MB) in {fmt_seconds(time.perf_counter() - started)}")
        large = _median([*cli(), "preview", pipecat, "--spans", spans_file, "-o", html], max(1, min(runs, 3)))
        at_target = written >= LARGE_SPANS * 0.95
        out.append(Row(
            SECTION, f"preview pipecat.yaml, {fmt_count(written)} synthetic spans", _timed(large),
            baseline="the same on the bundled capture", baseline_value=_timed(bundled["pipecat"]),
            ratio=fmt_ratio(large[0] / bundled["pipecat"][0]) + " of it",
            target=f"< {fmt_seconds(LARGE_TARGET)} at 1 M" if at_target else "(1 M at the default scale)",
            met=(large[0] < LARGE_TARGET) if at_target else None,
        ))
        phases = subprocess.run([sys.executable, "-c", PHASES, pipecat, spans_file], capture_output=True, text=True,
                                check=True, env=ENV).stdout.split()
        render_s, load_s, evaluate_s, page_s = (float(x) for x in phases[:4])
        notes.append(
            f"preview of {fmt_count(written)} spans, in process: imports + render {fmt_seconds(render_s)}, "
            f"chDB start + load {fmt_seconds(load_s)}, variables + {phases[5]} panels ({phases[4]} computed) "
            f"{fmt_seconds(evaluate_s)}, page {fmt_seconds(page_s)}"
        )
    return out, notes


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--write-spans":
        print(write_spans(sys.argv[2], int(sys.argv[3])))
    else:
        from report import render_table

        table, table_notes = rows(int(os.environ.get("RUNS", "3")), int(os.environ.get("SPANS", str(LARGE_SPANS))))
        print(render_table(table))
        print("\n".join(table_notes))
