"""Rendering is byte-deterministic, and the shipped dashboards match their reviewed golden files.

The golden files in tests/golden/ were reviewed panel by panel when they were written. After an
intended change, regenerate them with `SIGNOZ_DAC_UPDATE_GOLDEN=1 pytest tests/render` and review
the `git diff` like any other change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import signoz_dac
from signoz_dac.resources import builtin_definitions
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("definition", builtin_definitions(), ids=lambda p: p.stem)
def test_matches_reviewed_golden_file(definition: Path):
    text = signoz_dac.dump(signoz_dac.render(signoz_dac.load_definition(definition)))
    name = signoz_dac.load_definition(definition).name
    golden = GOLDEN / f"{name}.json"
    if os.environ.get("SIGNOZ_DAC_UPDATE_GOLDEN") and text != golden.read_text(encoding="utf-8"):
        if os.environ.get("CI"):
            pytest.fail("SIGNOZ_DAC_UPDATE_GOLDEN is set under CI: golden files are reviewed, not rewritten")
        golden.write_text(text, encoding="utf-8")
        pytest.fail(f"rewrote {golden}: review `git diff` before committing it")
    assert golden.exists(), f"no golden file {golden}; see this module's docstring"
    assert text == golden.read_text(encoding="utf-8")


def test_rendering_twice_gives_identical_bytes(tmp_path):
    first = [signoz_dac.dump(signoz_dac.render(signoz_dac.load_definition(p))) for p in builtin_definitions()]
    second = [signoz_dac.dump(signoz_dac.render(signoz_dac.load_definition(p))) for p in builtin_definitions()]
    assert first == second


@pytest.mark.slow
def test_rendering_is_independent_of_hash_seed_and_process(tmp_path):
    # Set iteration order changes with PYTHONHASHSEED; output must not. Two seeds can agree by
    # chance on a small set, so eight are compared.
    outputs = []
    for seed in ("0", "1", "2", "3", "4", "5", "6", "7"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "signoz_dac.cli", "render", "-d", str(out)],
            check=True, env=env, capture_output=True, cwd=tmp_path,
        )
        # every file, the alert rules under <name>.alerts/ included
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert all(output == outputs[0] for output in outputs[1:])
    assert {n for n in outputs[0] if "/" not in n} == {"pipecat-voice-agent.json", "livekit-voice-agent.json"}
