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

SCENARIOS = ("multi_turn", "short_one_turn", "short_two_turns", "tool_call", "barge_in", "llm_error")
# The same two calls again from a second service (another `service.name`), labelled apart.
SECOND_SERVICE = (("voice-agent-eu", "short_one_turn,short_two_turns", "second_service:"),)
# Pipecat runs its conversations concurrently in one process (one PipelineTask each).
PIPECAT_RUNS = (("voice-agent", ",".join(SCENARIOS), ""), *SECOND_SERVICE)
# LiveKit gets one process (one AgentServer) per scenario: 1.7.1 leaves the session spans of
# concurrent jobs in one server unended, and separate processes also keep the capture short.
LIVEKIT_RUNS = (
    *(("voice-agent", name, "") for name in SCENARIOS),
    ("voice-agent-eu", "short_one_turn", "second_service:"),
    ("voice-agent-eu", "short_two_turns", "second_service:"),
)


@dataclass(frozen=True)
class Capture:
    name: str  # also the venv and the output file name
    framework: str
    requirements: tuple[str, ...]
    script: str
    # (service.name, scenarios, label prefix): one process each
    runs: tuple[tuple[str, str, str], ...]


CAPTURES = (
    Capture(
        "pipecat-1.14.0",
        "pipecat-ai",
        ("pipecat-ai[tracing]==1.14.0", "opentelemetry-sdk"),
        "pipecat_scenarios.py",
        PIPECAT_RUNS,
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


def run_capture(python: Path, capture: Capture, out_dir: Path) -> Path:
    started = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for i, (service, scenarios, _) in enumerate(capture.runs):
            part = Path(tmp) / f"part{i}.json"
            cmd = [str(python), str(HERE / capture.script), str(part), "--service-name", service, "--scenarios", scenarios]
            # No proxies or telemetry endpoints: the scenarios must not reach beyond 127.0.0.1.
            env = {k: v for k, v in os.environ.items() if not k.upper().endswith("_PROXY")}
            env.update({"OTEL_SDK_DISABLED": "false", "LIVEKIT_URL": "", "NO_PROXY": "*"})
            procs.append((part, subprocess.Popen(cmd, env=env)))
        parts = []
        for (part, proc), (_, _, prefix) in zip(procs, capture.runs):
            if proc.wait(timeout=600) != 0:
                raise SystemExit(f"[{capture.name}] {capture.script} failed with exit code {proc.returncode}")
            parts.append((json.loads(part.read_text()), prefix))
    merged = merge(parts)
    merged["captured_with"]["wall_seconds"] = round(time.time() - started, 1)
    out = out_dir / f"{capture.name}.json"
    out.write_text(dump(merged))
    print(f"[{capture.name}] {len(merged['spans'])} spans, {len(merged['scenarios'])} conversations "
          f"in {time.time() - started:.0f} s -> {out}", flush=True)
    return out


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
    """Compact JSON with one span per line: small, and `git diff` shows which spans changed."""
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
    args = ap.parse_args(argv)
    only = {n for n in args.only.split(",") if n}
    args.out_dir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    for capture in CAPTURES:
        if only and capture.name not in only:
            continue
        run_capture(ensure_venv(args.cache, capture), capture, args.out_dir)
    print(f"capture done in {time.time() - started:.0f} s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
