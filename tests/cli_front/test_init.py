"""`signoz-dac init`: a shipped definition, written to edit, from the installed package."""

from __future__ import annotations

import re

import pytest

import signoz_dac
from signoz_dac.profiles import PROFILES
from signoz_dac.resources import builtin_definitions
from tests.conftest import REPO

from .support import cli


def builtin_definition(name: str):
    return REPO / "dashboards" / f"{name}.yaml"


def test_init_writes_the_shipped_definition_with_its_comments(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "pipecat")
    assert result.exit_code == 0, result.output
    written = tmp_path / "pipecat.yaml"
    assert written.read_text() == builtin_definition("pipecat").read_text()
    assert "#" in written.read_text().splitlines()[0]
    assert result.stdout.strip() == "wrote pipecat.yaml (the pipecat dashboard); edit it, then: signoz-dac render pipecat.yaml"
    assert signoz_dac.render(signoz_dac.load_definition(written))["name"] == "pipecat-voice-agent"


@pytest.mark.parametrize("profile", ["livekit", "livekit-legacy"])
def test_init_livekit_profiles_render(tmp_path, profile):
    target = tmp_path / "agent.yaml"
    assert cli("init", profile, str(target)).exit_code == 0
    definition = signoz_dac.load_definition(target)
    assert definition.profile == profile
    text = target.read_text()
    assert ("1.5 - 1.8.1" in text.splitlines()[0]) == (profile == "livekit-legacy")
    assert signoz_dac.render(definition)["name"] == "livekit-voice-agent"
    assert signoz_dac.render_alerts(definition)


def test_every_profile_has_a_starting_definition():
    from signoz_dac.cli.init import SOURCES

    assert set(SOURCES) == set(PROFILES)


def test_init_into_a_folder(tmp_path):
    assert cli("init", "livekit", str(tmp_path)).exit_code == 0
    assert (tmp_path / "livekit.yaml").is_file()
    assert cli("init", "pipecat", f"{tmp_path}/new/").exit_code == 0  # a trailing slash: a folder to make
    assert (tmp_path / "new" / "pipecat.yaml").is_file()


def test_init_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "mine.yaml"
    target.write_text("name: mine\n")
    result = cli("init", "pipecat", str(target))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [f"error: {target} exists; pass --force to overwrite it"]
    assert target.read_text() == "name: mine\n"
    assert cli("init", "pipecat", str(target), "--force").exit_code == 0
    assert target.read_text() == builtin_definition("pipecat").read_text()


@pytest.mark.parametrize("args", [["pipecta"], []])
def test_a_bad_or_missing_profile_is_one_line_listing_the_choices(tmp_path, args):
    result = cli("init", *args, str(tmp_path / "x.yaml")) if args else cli("init")
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: ") and line.endswith("choose one of pipecat, livekit, livekit-legacy")
    assert not (tmp_path / "x.yaml").exists()


def test_builtin_definition_by_name():
    from signoz_dac.resources import builtin_definition

    assert builtin_definition("pipecat") in builtin_definitions()
    assert signoz_dac.builtin_definition("livekit").name == "livekit.yaml"
    with pytest.raises(ValueError, match="livekit, pipecat"):
        builtin_definition("nope")


def test_the_shipped_definitions_point_to_readme_sections_that_exist():
    headings = {m.group(1).strip() for m in re.finditer(r"^#+ (.+)$", (REPO / "README.md").read_text(), re.M)}
    for path in builtin_definitions():
        comments = "\n".join(line for line in path.read_text().splitlines() if line.lstrip().startswith("#"))
        named = re.findall(r'README \("([^"]+)"\)', comments)
        assert named, f"{path.name}: no pointer to the README"
        assert set(named) <= headings, (path.name, set(named) - headings)
