"""Tool speed: whole-process time of `signoz-dac render` and `signoz-dac --help`.

Baseline: `python -c pass` (the interpreter's own start-up, the floor no command can beat).
Target: render (both built-in dashboards, into a temp dir) under 0.2 s, which is what grafanalib's
`generate-dashboard` takes for an 18-panel dashboard on this machine class.

When the target is missed, `where_the_time_goes()` runs the same render under `python -X importtime`
and in-process, and names the biggest costs: the report says what to make lazy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report import Row, fmt_ratio, fmt_seconds

RENDER_TARGET = 0.2  # seconds, whole process
SECTION = "tool speed (whole process, median)"


def cli_command() -> list[str]:
    """The installed console script next to this interpreter, else `python -m signoz_dac.cli`."""
    script = Path(sys.executable).with_name("signoz-dac")
    return [str(script)] if script.exists() else [sys.executable, "-m", "signoz_dac.cli"]


# An installed package has its .pyc files (pip compiles them); a sandbox that sets
# PYTHONDONTWRITEBYTECODE would make every run recompile the sources, which users never see.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    """Median whole-process seconds of each command; the commands are interleaved run by run so
    that load from other processes on the machine falls on all of them alike."""
    with tempfile.TemporaryDirectory(prefix="signoz-dac-bench-") as out:
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "signoz-dac --help": [*cli_command(), "--help"],
            "signoz-dac render": [*cli_command(), "render", "--output-dir", out],
        }
        for argv in commands.values():  # warm the OS file cache and .pyc files once
            _wall(argv)
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                samples[name].append(_wall(argv))
        rendered = sorted(p.name for p in Path(out).glob("*.json"))
    if not rendered:
        raise RuntimeError("signoz-dac render wrote no dashboards")
    return {name: statistics.median(values) for name, values in samples.items()}


def rows(runs: int) -> tuple[list[Row], list[str]]:
    medians = measure(runs)
    floor = medians["python -c pass"]
    out = [Row(SECTION, "python -c pass", fmt_seconds(floor), target="(floor)")]
    for name in ("signoz-dac --help", "signoz-dac render"):
        seconds = medians[name]
        is_render = name.endswith("render")
        out.append(Row(
            SECTION, name, fmt_seconds(seconds),
            baseline="python -c pass", baseline_value=fmt_seconds(floor),
            ratio=fmt_ratio(seconds / floor) + " of floor",
            target=f"< {fmt_seconds(RENDER_TARGET)}" if is_render else "",
            met=(seconds < RENDER_TARGET) if is_render else None,
        ))
    notes = [] if medians["signoz-dac render"] < RENDER_TARGET else where_the_time_goes()
    return out, notes


# -- where the time goes ---------------------------------------------------------------------------

_PHASES = r"""
import sys, time
t0 = time.perf_counter()
import typer
t1 = time.perf_counter()
from signoz_dac.cli import app as _app
t2 = time.perf_counter()
from signoz_dac.render import dump, render
from signoz_dac.resources import builtin_definitions
from signoz_dac.definitions import load_definition
t3 = time.perf_counter()
paths = builtin_definitions()
first = time.perf_counter()
for path in paths:
    dump(render(load_definition(path)))
t4 = time.perf_counter()
for path in paths:
    dump(render(load_definition(path)))
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
"""

_PHASE_NAMES = (
    "import typer",
    "import signoz_dac.cli.app (the commands)",
    "import render + spec (models, Jinja)",
    "first render of the built-ins (templates compiled)",
    "second render of the built-ins (warm)",
)


def import_costs(argv_tail: list[str]) -> dict[str, int]:
    """`python -X importtime` of the CLI running `argv_tail`: self time in µs summed per package
    (`signoz_dac.<subpackage>`, else the top-level distribution), whoever imported it first."""
    code = f"import sys; sys.argv = {['signoz-dac', *argv_tail]!r}; from signoz_dac.cli.app import main; main()"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=ENV)
    costs: dict[str, int] = {}
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        self_us, _cumulative, name = line[len("import time:"):].split("|")
        if not self_us.strip().isdigit():
            continue  # the header line
        parts = name.strip().split(".")
        package = ".".join(parts[:2]) if parts[0] == "signoz_dac" else parts[0]
        costs[package] = costs.get(package, 0) + int(self_us)
    return costs


def where_the_time_goes() -> list[str]:
    notes = ["signoz-dac render misses its target; where the time goes:"]
    phases = subprocess.run([sys.executable, "-c", _PHASES], capture_output=True, text=True, check=True, env=ENV)
    for name, seconds in zip(_PHASE_NAMES, (float(x) for x in phases.stdout.split())):
        notes.append(f"  {fmt_seconds(seconds):>9}  {name}")
    with tempfile.TemporaryDirectory(prefix="signoz-dac-bench-") as out:
        costs = import_costs(["render", "--output-dir", out])
    total = sum(costs.values())
    notes.append(f"  import self time by package under -X importtime (total {fmt_seconds(total / 1e6)}; the biggest):")
    for package, self_us in sorted(costs.items(), key=lambda kv: -kv[1])[:10]:
        notes.append(f"  {fmt_seconds(self_us / 1e6):>9}  {package}")
    return notes


if __name__ == "__main__":
    table_rows, table_notes = rows(int(os.environ.get("RUNS", "5")))
    from report import render_table

    print(render_table(table_rows))
    print("\n".join(table_notes))
