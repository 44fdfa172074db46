"""`signoz-dac preview`: writes one page; bad input is exit 2 with file and line, and nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import signoz_dac
from signoz_dac.cli.app import app
from tests.conftest import REPO

DATA = Path(__file__).parent / "data"
PIPECAT = str(REPO / "dashboards" / "pipecat.yaml")


def run(*args: str):
    return CliRunner().invoke(app, ["preview", *args])


def test_writes_the_page(tmp_path) -> None:
    out = tmp_path / "site" / "preview.html"
    result = run(PIPECAT, "-f", str(out))
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    html = out.read_text()
    assert "Pipecat voice agent" in html and "the bundled sample pipecat-1.14.0.jsonl.gz" in html
    assert out.stat().st_mode & 0o644 == 0o644  # readable like any written file


def test_user_spans_and_variables(tmp_path) -> None:
    out = tmp_path / "p.html"
    result = run(PIPECAT, "--spans", str(DATA / "otlp-file-exporter.jsonl"), "--var", "service_name=otlp-agent", "-f", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "3 spans from" in html and "otlp-file-exporter.jsonl" in html
    assert "<b>$service_name</b> otlp-agent" in html
    # The input-token tile: 120. The second call (80 tokens) carries no model, and the LLM panels
    # filter on `gen_ai.request.model IN $llm_model`, as they would in SigNoz.
    assert 'data-value="120.0">120<' in html


@pytest.mark.parametrize("second", ["same name", "through a link"])
def test_a_span_file_given_twice_is_bad_input(tmp_path, second) -> None:
    """Loaded twice, its spans would count twice: every tile doubled, with exit 0."""
    spans = DATA / "otlp-file-exporter.jsonl"
    again = spans
    if second == "through a link":
        again = tmp_path / "again.jsonl"
        again.symlink_to(spans)
    out = tmp_path / "p.html"
    result = run(PIPECAT, "--spans", str(spans), "--spans", str(again), "-f", str(out))
    assert result.exit_code == 2, result.output
    assert f"--spans: {again} is the file {spans} again" in result.output
    assert not out.exists()


def test_a_json_dashboard(tmp_path) -> None:
    body = signoz_dac.render(signoz_dac.load_definition(PIPECAT))
    path = tmp_path / "d.json"
    path.write_text(json.dumps(body))
    result = run(str(path), "-f", str(tmp_path / "p.html"))
    assert result.exit_code == 0, result.output
    assert "bundled sample pipecat-1.14.0.jsonl.gz, the bundled sample livekit-1.8.9.jsonl.gz" in (tmp_path / "p.html").read_text()


@pytest.mark.parametrize(("args", "message"), [
    (["--spans", "{bad}"], r"bad\.json:2: invalid JSON"),
    (["--spans", "{missing}"], r"missing\.json: cannot read"),
    (["--var", "nope=1"], "no dashboard has a variable nope"),
    (["--var", "service_name"], "expected NAME=VALUE"),
])
def test_bad_input_is_exit_2_and_writes_nothing(tmp_path, args, message) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"spans": [\n  {oops}\n]}')
    args = [a.format(bad=bad, missing=tmp_path / "missing.json") for a in args]
    out = tmp_path / "p.html"
    result = run(PIPECAT, *args, "-f", str(out))
    assert result.exit_code == 2, result.output
    assert re_search(message, result.output)
    assert not out.exists()


@pytest.mark.parametrize(("span", "message"), [
    ({"startTimeUnixNano": "yesterday"}, r"odd\.json:1: 'yesterday' is not a time"),
    ({"attributes": [{"key": "n", "value": {"intValue": "many"}}]}, r"odd\.json:1: intValue 'many' is not an integer"),
    ({"startTimeUnixNano": "-5"}, r"odd\.json:1: span 'llm': start time -5 is before 1973"),
    ({"attributes": [{"key": "k", "value": {"stringValue": "\udfff"}}]}, r"odd\.json:1: span 'llm' holds text that is not Unicode"),
])
def test_a_span_that_cannot_be_read_is_exit_2_without_a_traceback(tmp_path, span, message) -> None:
    otlp = {"traceId": "a" * 32, "spanId": "b" * 16, "name": "llm", "startTimeUnixNano": "1700000040000000000",
            "endTimeUnixNano": "1700000041000000000", **span}
    bad = tmp_path / "odd.json"
    bad.write_text(json.dumps({"resourceSpans": [{"scopeSpans": [{"spans": [otlp]}]}]}, indent=2))
    out = tmp_path / "p.html"
    result = run(PIPECAT, "--spans", str(bad), "-f", str(out))
    assert result.exit_code == 2, result.output
    assert re_search(message, result.output) and "Traceback" not in result.output
    assert not out.exists()


def test_a_broken_definition_names_file_and_line(tmp_path) -> None:
    definition = tmp_path / "broken.yaml"
    definition.write_text((REPO / "dashboards" / "pipecat.yaml").read_text().replace("- type: error_rate", "- type: error_rat"))
    result = run(str(definition), "-f", str(tmp_path / "p.html"))
    assert result.exit_code == 2
    assert re_search(rf"{definition}:\d+:\d+: ", result.output)
    assert not (tmp_path / "p.html").exists()


def test_an_unwritable_output_is_exit_2(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = run(PIPECAT, "-f", str(blocker / "p.html"))
    assert result.exit_code == 2 and "cannot write" in result.output


@pytest.mark.slow  # a real signoz-dac process
def test_listed_in_help() -> None:
    result = subprocess.run([sys.executable, "-m", "signoz_dac.cli", "--help"], capture_output=True, text=True, check=True)
    assert "preview" in result.stdout


def re_search(pattern: str, text: str) -> bool:
    import re

    return re.search(pattern, text) is not None


def test_a_folder_is_previewed_as_its_definitions(tmp_path) -> None:
    """A folder gives its definitions as in every other command, each with its profile (whose
    sample spans it gets) and its alert rules. Before, a folder's definitions went through the
    JSON path: no profile (both frameworks' samples mixed in) and no alert rules on the page."""
    from tests.conftest import THRESHOLD_ALERT

    folder = tmp_path / "dashboards"
    folder.mkdir()
    (folder / "my-agent.yaml").write_text(THRESHOLD_ALERT.format(aggregation="count()", filter="name = 'turn'"))
    by_folder, by_file = tmp_path / "folder.html", tmp_path / "file.html"
    assert run(str(folder), "-f", str(by_folder)).exit_code == 0
    assert run(str(folder / "my-agent.yaml"), "-f", str(by_file)).exit_code == 0
    page = by_folder.read_text()
    assert "the bundled sample pipecat-1.14.0.jsonl.gz" in page and "livekit" not in page.lower()
    assert "Alert rules (1)" in page and "My agent: slow" in page
    assert page == by_file.read_text()


def test_ctrl_c_is_exit_130_with_one_line(tmp_path, monkeypatch) -> None:
    import signoz_dac.preview

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(signoz_dac.preview, "preview_html", interrupted)
    result = run(PIPECAT, "-f", str(tmp_path / "p.html"))
    assert result.exit_code == 130 and result.stderr == "error: interrupted\n"
    assert not (tmp_path / "p.html").exists()
