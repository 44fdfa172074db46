"""Push throughput against the SigNoz emulator with 50 ms of injected latency on every request.

50 dashboards (the built-ins under distinct names) are pushed at concurrency 1, 4 and 8 into a fresh
emulator each time, then pushed again unchanged. What is timed is what `signoz-dac push` does after
reading its inputs: version check → plan (list, then one GET per dashboard we manage) → apply.

Named baselines, measured or derived in the same run:
- "latency floor": the fewest sequential round trips the requests made could take at that
  concurrency (version, list, then the per-dashboard requests `concurrency` at a time), × 50 ms;
- "list round trip": one `GET /api/v2/dashboards` page, measured; the target for an unchanged
  re-push is about one of these per page (50 dashboards are one page of 200).

The emulator runs in its own process, as SigNoz would: in ours its request handling would compete
with the client for the GIL and inflate the client's times.
"""

from __future__ import annotations

import copy
import json
import math
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from report import Row, fmt_ratio, fmt_seconds, median_seconds

LATENCY = 0.05
DASHBOARDS = 50
CONCURRENCIES = (1, 4, 8)
PAGE = 200
API_KEY = "benchmark-key"


# -- the emulator in a child process -------------------------------------------------------------

def _serve(conn, latency: float) -> None:
    from signoz_dac.testing import SigNozEmulator

    with SigNozEmulator(api_keys={API_KEY: "editor"}, latency=latency) as emulator:
        conn.send(emulator.url)
        while True:
            command = conn.recv()
            if command == "calls":
                conn.send(dict(emulator.calls))
            elif command == "reset":
                emulator.reset_counters()
                conn.send(None)
            elif command == "count":
                conn.send(len(emulator.dashboards))
            else:  # "stop"
                conn.send(None)
                return


class RemoteEmulator:
    """A SigNozEmulator in a child process; `calls()` returns its per-route request counters."""

    def __init__(self, latency: float):
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, latency), daemon=True)

    def __enter__(self) -> RemoteEmulator:
        self._process.start()
        if not self._conn.poll(60):
            raise RuntimeError("the emulator process did not start")
        self.url = self._conn.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._ask("stop")
        self._process.join(10)
        if self._process.is_alive():
            self._process.terminate()

    def _ask(self, command: str):
        self._conn.send(command)
        return self._conn.recv()

    def calls(self) -> Counter[str]:
        return Counter(self._ask("calls"))

    def reset(self) -> None:
        self._ask("reset")

    def count(self) -> int:
        return self._ask("count")


# -- inputs ----------------------------------------------------------------------------------------

def write_variants(folder: Path, count: int = DASHBOARDS) -> None:
    """`count` SigNoz JSON bodies: the built-in dashboards in turn, each under its own name."""
    from signoz_dac.definitions import load_definition
    from signoz_dac.render import dump, render
    from signoz_dac.resources import builtin_definitions

    bases = [render(load_definition(path)) for path in builtin_definitions()]
    for i in range(count):
        body = copy.deepcopy(bases[i % len(bases)])
        body["name"] = f"{body['name']}-{i:03d}"
        body["spec"]["display"]["name"] = f"{body['spec']['display']['name']} #{i}"
        (folder / f"{body['name']}.json").write_text(dump(body), encoding="utf-8")


def by_method(calls: Counter[str]) -> str:
    methods: Counter[str] = Counter()
    for route, n in calls.items():
        methods[route.split(" ", 1)[0]] += n
    return " ".join(f"{method} {n}" for method, n in sorted(methods.items()))


def writes(calls: Counter[str]) -> int:
    return sum(n for route, n in calls.items() if route.split(" ", 1)[0] in ("POST", "PUT", "PATCH", "DELETE"))


def push(url: str, bodies, concurrency: int) -> tuple[float, Counter[str]]:
    """One push as the CLI does it (version check, plan, apply), timed; outcome counts."""
    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.sync import apply, make_plan

    with SigNozClient(url, API_KEY, max_connections=max(4, concurrency)) as client:
        start = time.perf_counter()
        client.check_version()
        plan = make_plan(client, bodies, concurrency=concurrency)
        results = apply(client, plan, concurrency=concurrency)
        seconds = time.perf_counter() - start
    return seconds, Counter(str(r.outcome) for r in results)


def list_round_trip(url: str, runs: int = 3) -> float:
    from signoz_dac.signoz.client import SigNozClient

    with SigNozClient(url, API_KEY) as client:
        client.list_dashboards()  # open the connection first: a round trip, not a TCP handshake
        return median_seconds(client.list_dashboards, runs)


def cli_repush(url: str, folder: Path, concurrency: int) -> tuple[float, int]:
    """The whole `signoz-dac push` process over the same files (everything already in place):
    seconds, and how many dashboards it reported unchanged."""
    script = Path(sys.executable).with_name("signoz-dac")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "signoz_dac.cli"]
    env = {**os.environ, "SIGNOZ_URL": url, "SIGNOZ_API_KEY": API_KEY}
    start = time.perf_counter()
    proc = subprocess.run([*argv, "push", str(folder), "--concurrency", str(concurrency), "--output", "json"],
                          env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"`signoz-dac push` exited {proc.returncode}: {last}")
    summary = json.loads(proc.stdout)["summary"]
    return seconds, summary.get("unchanged", 0)


def rows(count: int = DASHBOARDS) -> tuple[list[Row], list[str], bool]:
    """The table rows, notes, and whether every unchanged re-push made zero write calls."""
    from signoz_dac.sources import load_bodies

    section = f"push: {count} dashboards, {LATENCY * 1000:.0f} ms a request (emulator)"
    out: list[Row] = []
    notes: list[str] = []
    no_writes = True
    pages = max(1, math.ceil(count / PAGE))
    with tempfile.TemporaryDirectory(prefix="signoz-dac-bench-") as tmp:
        folder = Path(tmp)
        write_variants(folder, count)
        bodies = load_bodies([folder])
        for concurrency in CONCURRENCIES:
            with RemoteEmulator(LATENCY) as emulator:
                seconds, outcomes = push(emulator.url, bodies, concurrency)
                calls = emulator.calls()
                if outcomes.get("created") != count or emulator.count() != count:
                    raise RuntimeError(f"first push: expected {count} created, got {dict(outcomes)}")
                floor = LATENCY * (2 + math.ceil((sum(calls.values()) - 2) / concurrency))
                out.append(Row(
                    section, f"first push, concurrency {concurrency}", f"{fmt_seconds(seconds)} ({by_method(calls)})",
                    baseline="latency floor", baseline_value=fmt_seconds(floor),
                    ratio=fmt_ratio(seconds / floor) + " of floor",
                ))

                emulator.reset()
                seconds, outcomes = push(emulator.url, bodies, concurrency)
                calls = emulator.calls()
                if outcomes.get("unchanged") != count:
                    raise RuntimeError(f"re-push: expected {count} unchanged, got {dict(outcomes)}")
                emulator.reset()
                round_trip = list_round_trip(emulator.url)
                no_writes &= writes(calls) == 0
                out.append(Row(
                    section, f"re-push unchanged, concurrency {concurrency}", f"{fmt_seconds(seconds)} ({by_method(calls)})",
                    baseline=f"list round trip × {pages} page", baseline_value=fmt_seconds(round_trip * pages),
                    ratio=fmt_ratio(seconds / (round_trip * pages)) + " of it",
                    target="0 writes, ≤ 2× list RTT",
                    met=writes(calls) == 0 and seconds <= 2 * round_trip * pages,
                ))
                if concurrency == 4:
                    emulator.reset()
                    measure = "re-push unchanged, whole `signoz-dac push` process, concurrency 4"
                    try:
                        cli_seconds, unchanged = cli_repush(emulator.url, folder, concurrency)
                    except RuntimeError as exc:
                        no_writes = False
                        out.append(Row(section, measure, f"FAILED: {exc}", target="0 writes", met=False))
                        continue
                    calls = emulator.calls()
                    no_writes &= writes(calls) == 0 and unchanged == count
                    out.append(Row(section, measure, f"{fmt_seconds(cli_seconds)} ({by_method(calls)})",
                                   target="0 writes", met=writes(calls) == 0 and unchanged == count))
    notes.append(
        "push: requests by method are in brackets; an unchanged re-push's GETs are one list page plus one "
        "GET per managed dashboard (the list shape carries no spec, so the plan fetches each body to "
        "check it for UI edits)."
    )
    return out, notes, no_writes


if __name__ == "__main__":
    from report import render_table

    table_rows, table_notes, _ = rows()
    print(render_table(table_rows))
    print("\n".join(table_notes))
