"""Which definition set a push works for: `--set`, else the git repository holding the definitions
(the same name in every clone and CI checkout of it, another name for another repository), else
the fallback `default`, which prune refuses."""

from __future__ import annotations

import pytest

from signoz_dac.cli.remote import resolve_set
from signoz_dac.errors import InputError
from signoz_dac.identity import DEFAULT_SET

from .lifecycle_support import git_checkout


@pytest.mark.parametrize(("remote", "name"), [
    ("https://github.com/Acme/Voice-Dashboards.git", "acme.voice-dashboards"),
    ("git@github.com:acme/voice-dashboards.git", "acme.voice-dashboards"),
    ("ssh://git@gitlab.example.com:2222/platform/voice/dashboards.git", "voice.dashboards"),
    # GitLab CI's checkout carries a job token in the URL: never part of the name.
    ("https://gitlab-ci-token:glcbt-SECRET123@gitlab.com/platform/dashboards.git", "platform.dashboards"),
    ("/srv/git/dashboards.git", "git.dashboards"),
])
def test_the_set_comes_from_the_git_remote(tmp_path, remote, name):
    repo = git_checkout(tmp_path / "clone", remote)
    (repo / "dashboards").mkdir()
    chosen = resolve_set(None, [repo / "dashboards" / "agent.yaml"])
    assert (chosen.name, chosen.chosen) == (name, True) and "SECRET" not in chosen.name + chosen.origin
    assert resolve_set(None, None, cwd=repo / "dashboards").name == name  # the built-in definitions: the cwd's


def test_two_clones_of_one_repository_share_a_set_and_another_repository_does_not(tmp_path):
    first = git_checkout(tmp_path / "laptop", "git@github.com:acme/voice.git")
    ci = git_checkout(tmp_path / "runner" / "voice" / "voice", "https://github.com/acme/voice")
    other = git_checkout(tmp_path / "other", "https://github.com/acme/voice-b.git")
    names = [resolve_set(None, [repo / "x.yaml"]).name for repo in (first, ci, other)]
    assert names == ["acme.voice", "acme.voice", "acme.voice-b"]


def test_without_a_remote_the_repository_folder_names_the_set(tmp_path):
    repo = git_checkout(tmp_path / "Voice Dashboards", None)
    assert resolve_set(None, [repo / "x.yaml"]).name == "voice-dashboards"


def test_a_long_name_is_cut_to_a_tag_value_and_stays_unique(tmp_path):
    base = "https://github.com/acme-corporation/voice-agent-observability-dashboards-{}.git"
    names = {resolve_set(None, [git_checkout(tmp_path / str(i), base.format(i)) / "x.yaml"]).name for i in (1, 2)}
    assert len(names) == 2 and all(len(n) == 32 for n in names)


def test_outside_git_the_fallback_is_not_chosen(tmp_path):
    chosen = resolve_set(None, [tmp_path / "x.yaml"])
    assert (chosen.name, chosen.chosen) == (DEFAULT_SET, False)


def test_set_flag(tmp_path):
    assert resolve_set("  Team-Voice ", None).name == "team-voice"  # SigNoz may re-case a tag: lower case
    # "acme/voice": SigNoz before 0.135 would store it as "acme_voice" (its v5 tags keep no "/").
    for bad in ("", "has space", "x" * 33, "-leading", "acme/voice"):
        with pytest.raises(InputError, match="--set: a definition set's name"):
            resolve_set(bad, None)
