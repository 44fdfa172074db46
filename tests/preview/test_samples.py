"""The sample captures shipped in the package: the committed captures, in the wheel, and enough
for `signoz-dac preview` right after `pip install`."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from signoz_dac.preview.samples import all_samples, sample_path
from signoz_dac.preview.spans import read_spans
from signoz_dac.profiles import PROFILES
from tests.conftest import REPO
from tests.preview.conftest import FIXTURES


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_each_profile_has_its_sample_and_it_is_the_committed_capture(profile: str) -> None:
    catalog = PROFILES[profile].catalog
    sample = sample_path(catalog)
    assert sample.is_file(), f"no bundled sample for {profile}: {sample}"
    assert read_spans(sample) == read_spans(FIXTURES / catalog)


def test_no_stray_samples() -> None:
    assert {p.name for p in all_samples()} == {p.name.replace(".json", ".jsonl.gz") for p in FIXTURES.glob("*.json")}


@pytest.mark.slow
def test_installed_wheel_previews_without_chdb(tmp_path) -> None:
    """A plain `pip install` (no extra): the page has the layout, empty panels and the hint."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = dist.glob("signoz_dac-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(venv / "bin" / "signoz-dac"), "preview", "-o", "p.html"], cwd=work,
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    html = (work / "p.html").read_text()
    assert "Pipecat voice agent" in html and "LiveKit voice agent" in html
    assert "the bundled sample pipecat-1.14.0.jsonl.gz" in html and "the bundled sample livekit-1.8.9.jsonl.gz" in html
    assert "chDB is not installed" in html and "pip install &#x27;signoz-dac[preview]&#x27;" in html
