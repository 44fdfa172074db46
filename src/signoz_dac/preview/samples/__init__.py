"""Sample span captures shipped with the package, so `signoz-dac preview` has data right after install.

Each is a capture of the real framework (tests/fixtures/telemetry/<name>.json in the repository)
as gzip-compressed JSON lines, one normalised span per line; the tests check they match.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def sample_path(catalog: str) -> Path:
    """The sample for a profile's catalog name (e.g. `pipecat-1.14.0.json`)."""
    return HERE / (Path(catalog).stem + ".jsonl.gz")


def all_samples() -> list[Path]:
    return sorted(HERE.glob("*.jsonl.gz"))
