"""Which definition set a push works for: `--set`, else the git repository holding the definitions
(the same name in every clone and CI checkout of it, another name for another repository), else
the fallback `default`, which prune refuses."""

from __future__ import annotations

import subprocess

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


# -- the repository read from its files, as git reads it ------------------------------------------


def _as_git_says(where):
    from signoz_dac.cli.remote import _git

    return _git(where, "config", "--get", "remote.origin.url"), _git(where, "rev-parse", "--show-toplevel")


def _strip(answer):
    return tuple(value.strip() if value else None for value in answer)


@pytest.mark.parametrize("config", [
    "",
    '[remote "origin"]\n\turl = https://github.com/acme/voice.git\n',
    '[Remote "origin"]\n\tURL=git@github.com:acme/voice.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    '[remote "origin"]\n\turl = https://a/one.git\n[remote "origin"]\n\turl = https://a/two.git\n',  # the last wins
    '[remote "Origin"]\n\turl = https://github.com/acme/not-origin.git\n',  # subsections are case-sensitive
    '[remote "upstream"]\n\turl = https://github.com/acme/upstream.git\n',
    '# comment\n[remote "origin"]\n\t; another\n\turl = https://github.com/acme/voice\n\tpushurl = https://x/y\n',
    '[remote "origin"] # a comment after the name\n\turl = https://github.com/acme/commented.git\n',
    '[remote "origin"]\n\turl = "https://github.com/acme/quoted.git"\n',
    '[remote "origin"]\n\turl = https://github.com/acme/voice.git # a comment\n',
    '[include]\n\tpath = other.config\n',
])
def test_the_repository_is_read_as_git_reads_it(tmp_path, config):
    from signoz_dac.cli.remote import _origin_and_top

    repo = git_checkout(tmp_path / "repo", None)
    (repo / "other.config").write_text('[remote "origin"]\n\turl = https://github.com/acme/included.git\n')
    with open(repo / ".git" / "config", "a") as handle:
        handle.write(config)
    (repo / "sub" / "dir").mkdir(parents=True)
    for where in (repo, repo / "sub" / "dir", tmp_path):
        assert _strip(_origin_and_top(where)) == _strip(_as_git_says(where)), where


def test_a_worktree_is_read_as_git_reads_it(tmp_path):
    from signoz_dac.cli.remote import _origin_and_top

    repo = git_checkout(tmp_path / "repo", "https://github.com/acme/voice.git")
    for command in (["commit", "-q", "--allow-empty", "-m", "x"], ["worktree", "add", "-q", str(tmp_path / "wt")]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *command], cwd=repo, check=True,
                       capture_output=True)
    assert _strip(_origin_and_top(tmp_path / "wt")) == ("https://github.com/acme/voice.git", str((tmp_path / "wt").resolve()))
    assert _strip(_origin_and_top(tmp_path / "wt")) == _strip(_as_git_says(tmp_path / "wt"))


def test_a_plain_checkout_needs_no_git_process(tmp_path, monkeypatch):
    repo = git_checkout(tmp_path / "clone", "git@github.com:acme/voice.git")

    def no_git(*args, **kwargs):
        raise AssertionError(f"git was run: {args}")

    monkeypatch.setenv("HOME", str(tmp_path))  # whatever the user's own git settings say
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setattr(subprocess, "run", no_git)
    assert resolve_set(None, [repo / "x.yaml"]).name == "acme.voice"
    assert resolve_set(None, [tmp_path / "elsewhere" / "x.yaml"]).name == DEFAULT_SET
