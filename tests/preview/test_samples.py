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
from tests.preview.conftest import committed_capture
from tests.telemetry.conftest import FIXTURES


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_each_profile_has_its_sample_and_it_is_the_committed_capture(profile: str) -> None:
    catalog = PROFILES[profile].catalog
    sample = sample_path(catalog)
    assert sample.is_file(), f"no bundled sample for {profile}: {sample}"
    assert read_spans(sample) == read_spans(committed_capture(profile))


def test_no_stray_samples() -> None:
    assert {p.name for p in all_samples()} == {p.name.replace(".json.gz", ".jsonl.gz") for p in FIXTURES.glob("*.json.gz")}


@pytest.mark.slow
def test_the_wheel_carries_the_samples(tmp_path) -> None:
    """tests/test_wheel.py installs the wheel and renders; here: the samples are in it too."""
    import zipfile

    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("signoz_dac-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for sample in all_samples():
        assert f"signoz_dac/preview/samples/{sample.name}" in names


BLOCK_CHDB = "import sys; sys.modules['chdb'] = None; from signoz_dac.cli.app import main; main()"


@pytest.mark.slow  # a real signoz-dac process
def test_preview_without_chdb_draws_the_layout_and_says_how(tmp_path) -> None:
    """What a plain `pip install` (no [preview] extra) gives: the layout, empty panels, the hint."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", BLOCK_CHDB, "preview", "-f", "p.html"], cwd=tmp_path,
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "p.html").read_text()
    assert "Pipecat voice agent" in html and "LiveKit voice agent" in html
    count = len(read_spans(sample_path(PROFILES["pipecat"].catalog)))
    assert f"{count} spans from the bundled sample pipecat-1.14.0.jsonl.gz" in html
    assert "chDB is not installed" in html and "pip install &#x27;signoz-dac[preview]&#x27;" in html
