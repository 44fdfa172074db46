"""Capture spans from the real frameworks, offline, one virtualenv per framework version.

usage: python tests/telemetry/capture/run.py OUTDIR [--cache .capture/venvs] [--only NAME,...]

For each capture below it creates (or reuses) a virtualenv under the cache dir, pip-installs the
pinned framework plus opentelemetry-sdk, runs the scenario script once per service name (a process
has one tracer provider, hence one `service.name`; the runs go in parallel), and merges the runs
into OUTDIR/<name>.json in the normalised span format. The frameworks' dependencies clash with each
other and with ours, which is why nothing here is imported into the test environment.
Network: only the package index, for the installs; the scenarios themselves use no network.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

# Every framework: a greeting-only call, short and long calls, a tool call, a barge-in, a failing LLM.
COMMON = ("multi_turn", "short_one_turn", "short_two_turns", "tool_call", "barge_in", "llm_error")
# Failures and models each framework shows its own way: Pipecat's TTS and STT outages (their spans
# never carry an error) and a speech-to-speech model; LiveKit's failing tool, LLM fallback and
# speech-to-speech model.
PIPECAT_SCENARIOS = (*COMMON, "tts_error", "stt_error", "realtime")
LIVEKIT_SCENARIOS = (*COMMON, "tool_error", "llm_fallback", "realtime")
# The same short calls again from a second service (another `service.name`), labelled apart.
SECOND_SERVICE = "voice-agent-eu"
SECOND_SCENARIOS = ("short_one_turn", "short_two_turns")
# LiveKit with the tracer provider set inside the entrypoint (LiveKit's own example does this): its
# own service.name and label, so the tests can tell the two setups apart.
IN_ENTRYPOINT_SERVICE = "voice-agent-provider-in-entrypoint"
IN_ENTRYPOINT_SCENARIOS = ("short_one_turn", "short_two_turns", "tool_call")


@dataclass(frozen=True)
class Run:
    """One process of a scenario script: one tracer provider, hence one `service.name`."""

    service: str
    scenarios: tuple[str, ...]
    label: str = ""  # prefix of the scenario labels in the capture, e.g. "second_service:"
    args: tuple[str, ...] = ()


# Pipecat runs its conversations concurrently in one process (one PipelineTask each).
PIPECAT_RUNS = (
    Run("voice-agent", PIPECAT_SCENARIOS),
    Run(SECOND_SERVICE, SECOND_SCENARIOS, "second_service:"),
)
# LiveKit gets one process (one AgentServer) per scenario: 1.7.1 leaves the session spans of
# concurrent jobs in one server unended, and separate processes also keep the capture short.
LIVEKIT_RUNS = (
    *(Run("voice-agent", (name,)) for name in LIVEKIT_SCENARIOS),
    *(Run(SECOND_SERVICE, (name,), "second_service:") for name in SECOND_SCENARIOS),
    *(Run(IN_ENTRYPOINT_SERVICE, (name,), "provider_in_entrypoint:", ("--provider-in-entrypoint",))
      for name in IN_ENTRYPOINT_SCENARIOS),
)


@dataclass(frozen=True)
class Capture:
    name: str  # also the venv and the output file name
    framework: str
    requirements: tuple[str, ...]
    script: str
    runs: tuple[Run, ...]
    # Pipecat's conversations share one process and follow a wall-clock script from its start: with
    # the CPU busy elsewhere the bot's greeting runs late and the caller talks over it, so this
    # capture runs alone. LiveKit's scenarios time themselves from their session's start and run
    # side by side.
    alone: bool = False


CAPTURES = (
    Capture(
        "pipecat-1.14.0",
        "pipecat-ai",
        ("pipecat-ai[tracing]==1.14.0", "opentelemetry-sdk"),
        "pipecat_scenarios.py",
        PIPECAT_RUNS,
        alone=True,
    ),
    Capture(
        "livekit-1.8.9",
        "livekit-agents",
        ("livekit-agents==1.8.9", "opentelemetry-sdk"),
        "livekit_scenarios.py",
        LIVEKIT_RUNS,
    ),
    Capture(
        "livekit-1.7.1",
        "livekit-agents",
        ("livekit-agents==1.7.1", "opentelemetry-sdk"),
        "livekit_scenarios.py",
        LIVEKIT_RUNS,
    ),
)


def ensure_venv(cache: Path, capture: Capture) -> Path:
    """A virtualenv with exactly these requirements; reused while the requirement list is unchanged."""
    root = cache / capture.name
    python = root / "bin" / "python"
    marker = root / "requirements.txt"
    wanted = "\n".join(capture.requirements) + "\n"
    if python.exists() and marker.exists() and marker.read_text() == wanted:
        return python
    started = time.time()
    venv.EnvBuilder(clear=True, with_pip=True).create(root)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *capture.requirements],
        check=True,
    )
    marker.write_text(wanted)
    print(f"[{capture.name}] venv ready in {time.time() - started:.0f} s", flush=True)
    return python


@dataclass
class Running:
    """A capture's scenario processes, started; `finish` waits for them and merges their output."""

    capture: Capture
    tmp: tempfile.TemporaryDirectory[str]
    procs: list[tuple[Path, subprocess.Popen[bytes], Run]]
    started: float


def start_capture(python: Path, capture: Capture) -> Running:
    tmp = tempfile.TemporaryDirectory()
    procs = []
    for i, run in enumerate(capture.runs):
        part = Path(tmp.name) / f"part{i}.json"
        cmd = [str(python), str(HERE / capture.script), str(part), "--service-name", run.service,
               "--scenarios", ",".join(run.scenarios), *run.args]
        # No proxies or telemetry endpoints: the scenarios must not reach beyond 127.0.0.1.
        env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
        env.update({"OTEL_SDK_DISABLED": "false", "LIVEKIT_URL": "", "NO_PROXY": "*"})
        procs.append((part, subprocess.Popen(cmd, env=env), run))
    return Running(capture, tmp, procs, time.time())


def finish_capture(running: Running, out_dir: Path) -> dict:
    capture = running.capture
    parts = []
    with running.tmp:
        for part, proc, run in running.procs:
            if proc.wait(timeout=600) != 0:
                raise SystemExit(f"[{capture.name}] {capture.script} {run} failed with exit code {proc.returncode}")
            parts.append((json.loads(part.read_text()), run.label))
    merged = merge(parts)
    merged["captured_with"]["wall_seconds"] = round(time.time() - running.started, 1)
    out = out_dir / f"{capture.name}.json"
    out.write_text(dump(merged))
    print(f"[{capture.name}] {len(merged['spans'])} spans, {len(merged['scenarios'])} conversations "
          f"in {time.time() - running.started:.0f} s -> {out}", flush=True)
    return merged


def merge(parts: list[tuple[dict, str]]) -> dict:
    first = parts[0][0]
    spans, scenarios = [], {}
    for part, prefix in parts:
        assert (part["framework"], part["version"]) == (first["framework"], first["version"])
        spans.extend(part["spans"])
        scenarios.update({trace: prefix + name for trace, name in part["scenarios"].items()})
    spans.sort(key=lambda s: (s["start_ns"], s["span_id"]))
    captured_with = {k: v for k, v in first["captured_with"].items() if k != "wall_seconds"}
    return {
        "framework": first["framework"],
        "version": first["version"],
        "captured_with": captured_with,
        "spans": spans,
        "scenarios": dict(sorted(scenarios.items(), key=lambda kv: kv[1])),
    }


def dump(capture: dict) -> str:
    """Compact JSON with one span per line (`zcat` a committed fixture to read it that way)."""
    head = {k: v for k, v in capture.items() if k not in ("spans", "scenarios")}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ',\n"spans": [']
    spans = [json.dumps(s, ensure_ascii=False, separators=(",", ":")) for s in capture["spans"]]
    lines.append(",\n".join(spans))
    lines.append('],\n"scenarios": ' + json.dumps(capture["scenarios"], indent=1) + "\n}\n")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--cache", type=Path, default=REPO / ".capture" / "venvs", help="where the virtualenvs live")
    ap.add_argument("--only", default="", help="comma-separated capture names, e.g. pipecat-1.14.0")
    ap.add_argument("--fixtures", type=Path, default=None,
                    help="also write each capture gzipped here (the committed test fixtures: tests/fixtures/telemetry)")
    args = ap.parse_args(argv)
    only = {n for n in args.only.split(",") if n}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    chosen = [c for c in CAPTURES if not only or c.name in only]
    pythons = {c.name: ensure_venv(args.cache, c) for c in chosen}
    # The scenarios mostly wait (they run in real time): the captures that may share the machine run at once.
    waves = [[c] for c in chosen if c.alone] + [[c for c in chosen if not c.alone]]
    for wave in waves:
        for r in [start_capture(pythons[c.name], c) for c in wave]:
            merged = finish_capture(r, args.out_dir)
            if args.fixtures:
                write_fixture(merged, args.fixtures / f"{r.capture.name}.json.gz")
    print(f"capture done in {time.time() - started:.0f} s", flush=True)


def write_fixture(capture: dict, path: Path) -> None:
    """The committed copy of a capture: the same JSON, gzipped byte-stably (no timestamp in the header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(dump(capture).encode(), compresslevel=9, mtime=0))
    print(f"[{capture['framework']} {capture['version']}] fixture -> {path} ({path.stat().st_size} bytes)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
