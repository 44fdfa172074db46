"""Run every benchmark and print one table with named baselines and ratios.

    python benchmarks/run.py [--scale small|default|large] [--runs N] [--only query,tool,startup,push,preview,import]

Exit status: 0 when the correctness checks pass (our SQL panels agree with the ground truth, an
unchanged re-push writes nothing), 1 when one fails. Times are reported, never asserted: a missed
target shows as MISSED in the table and does not change the exit status.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import Row, fmt_seconds, render_table

# conversations for the query-cost data (7 days; doubled for the retention check), dashboards to push
SCALES = {
    "small": {"conversations": 2_000, "dashboards": 10, "runs": 2, "preview_spans": 20_000},
    "default": {"conversations": 300_000, "dashboards": 50, "runs": 5, "preview_spans": 1_000_000},
    "large": {"conversations": 1_200_000, "dashboards": 50, "runs": 5, "preview_spans": 1_000_000},
}


def query_part(scale: dict, runs: int):
    import query_cost

    return query_cost.rows(scale["conversations"], runs)


def tool_part(scale: dict, runs: int):
    import tool_speed

    part_rows, part_notes = tool_speed.rows(max(runs, 3))
    return part_rows, part_notes, True  # nothing to check but that it ran


def startup_part(scale: dict, runs: int):
    import startup_speed

    part_rows, part_notes = startup_speed.rows(max(runs, 3))
    return part_rows, part_notes, True  # nothing to check but that it ran


def push_part(scale: dict, runs: int):
    import push_throughput

    return push_throughput.rows(scale["dashboards"])


def preview_part(scale: dict, runs: int):
    import preview_speed

    return preview_speed.rows(runs, scale["preview_spans"])  # checks: the span files load the generated rows


def import_part(scale: dict, runs: int):
    import import_speed

    return import_speed.rows(runs)


# each part returns (table rows, notes, whether its correctness checks passed)
PARTS = {"query": query_part, "tool": tool_part, "startup": startup_part, "push": push_part, "preview": preview_part, "import": import_part}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")).split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{os.cpu_count()} CPUs ({cpu}){memory}, Python {platform.python_version()}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=SCALES, default="default")
    parser.add_argument("--runs", type=int, help="timed runs per measurement (median); default by scale")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    runs = args.runs or scale["runs"]
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(unknown))}")

    print(f"signoz-dac benchmarks: scale {args.scale}, {runs} timed runs per figure (median)")
    print(f"machine: {machine()}", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    notes: list[str] = []
    ok = True
    for part in parts:
        try:
            part_rows, part_notes, part_ok = PARTS[part](scale, runs)
        except Exception as exc:  # noqa: BLE001  one broken part must not hide the others' figures
            part_rows, part_notes, part_ok = [], [f"{part}: FAILED: {type(exc).__name__}: {exc}"], False
        rows += part_rows
        notes += part_notes
        ok &= part_ok

    print()
    print(render_table(rows))
    if notes:
        print()
        print("\n".join(notes))
    print(f"\nbenchmarks took {fmt_seconds(time.perf_counter() - started)}; correctness checks "
          f"{'passed' if ok else 'FAILED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
