"""`signoz-dac push`, table-driven over real HTTP against the emulator."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from signoz_dac.cli.remote import plain_http_warning, resolve_connection
from signoz_dac.errors import InputError
from signoz_dac.identity import is_managed
from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY, SigNozEmulator
from signoz_dac.testing.emulator import LOCK, UPDATE
from tests.client.support import CANARY, KEYS, VIEWER, body
from tests.support.sampled import sampled
from tests.support.versions import SERVERS, versions

from .cli_support import run, write_bodies

TWO_WAYS = versions("0.138", "0.134")  # v6 through /api/v2; v5 through /api/v1


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@versions(*SERVERS)
def test_builtin_dashboards_deploy_and_a_second_push_writes_nothing(emulator, builtin_bodies):
    first = run(["push"], url=emulator.url)
    assert first.code == 0, first.stderr
    names = sorted(builtin_bodies)
    assert emulator.names() == names
    assert all(name in first.stdout for name in names) and "created" in first.stdout

    emulator.reset_counters()
    second = run(["push"], url=emulator.url)
    assert second.code == 0 and emulator.writes == 0
    assert "20 unchanged" in second.stdout  # 2 dashboards and their 18 rules


@TWO_WAYS
def test_dry_run_writes_nothing_and_shows_the_plan(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "dry-a", "dry-b")
    result = run(["push", "--dry-run", *files], url=emulator.url)
    assert result.code == 0 and emulator.writes == 0 and emulator.dashboards == {}
    assert "dry run" in result.stdout and result.stdout.count("create") >= 2


@TWO_WAYS
def test_json_output(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "js-a")
    result = run(["push", "--output", "json", *files], url=emulator.url)
    report = result.json()
    assert result.code == report["exit_code"] == 0
    [row] = report["items"]
    assert row["name"] == "js-a" and row["action"] == "create" and row["result"] == "created"
    assert row["id"] == emulator.get("js-a")["id"]
    again = run(["push", "--output", "json", "--dry-run", *files], url=emulator.url).json()
    assert again["items"][0]["action"] == "unchanged" and again["dry_run"] is True


def _official_title() -> str:  # called by the test, not at collection: body() needs ../shared
    return body()["spec"]["display"]["name"]


def _ui_edit(emulator):
    emulator.edit("edited", lambda d: d["spec"]["display"].update(name="Edited in the UI"))


def _unmanaged(emulator):
    emulator.seed(body("edited", title="Made by hand"))


def _several(emulator):
    emulator.seed(body("edited"))
    emulator.seed(body("edited"))


# (title, prepare the server after a first push?, set up, flags, exit code, the stored title afterwards)
SCENARIOS = [
    ("drift is kept", True, _ui_edit, [], 1, "Edited in the UI"),
    ("drift overwritten with --force", True, _ui_edit, ["--force"], 0, _official_title),
    ("unmanaged name is a conflict", False, _unmanaged, [], 1, "Made by hand"),
    ("--adopt takes it over", False, _unmanaged, ["--adopt"], 0, _official_title),
    ("--force does not adopt", False, _unmanaged, ["--force"], 1, "Made by hand"),
]


@TWO_WAYS
@pytest.mark.parametrize(("title", "push_first", "setup", "flags", "code", "stored"),
                         sampled(SCENARIOS, every=2, id_is_a_value=True))
def test_drift_and_conflicts(emulator, tmp_path, title, push_first, setup, flags, code, stored):
    files = write_bodies(tmp_path / "in", "edited")
    if push_first:
        assert run(["push", *files], url=emulator.url).code == 0
    setup(emulator)
    result = run(["push", *flags, *files], url=emulator.url)
    assert result.code == code, result.stdout + result.stderr
    assert emulator.get("edited")["spec"]["display"]["name"] == (stored() if callable(stored) else stored)
    if code == 0:
        assert is_managed(emulator.get("edited"))
        assert run(["push", *files], url=emulator.url).code == 0  # converged


@versions("0.134", "0.134-flag")  # names are unique from 0.135
def test_several_dashboards_with_the_name_is_a_conflict(emulator, tmp_path):
    _several(emulator)
    files = write_bodies(tmp_path / "in", "edited")
    result = run(["push", "--adopt", "--force", *files], url=emulator.url)
    assert result.code == 1 and "2 dashboards" in result.stdout.replace("\n", " ")
    assert len(emulator.by_name("edited")) == 2


@TWO_WAYS
def test_lock(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "lockme")
    assert run(["push", "--lock", *files], url=emulator.url).code == 0
    assert emulator.get("lockme")["locked"]
    changed = write_bodies(tmp_path / "in", "lockme", title="Changed")
    assert run(["push", *changed], url=emulator.url).code == 0
    assert emulator.get("lockme")["locked"] and emulator.get("lockme")["spec"]["display"]["name"] == "Changed"


def test_a_failed_lock_is_reported_beside_the_write_it_follows(emulator, tmp_path):
    files = write_bodies(tmp_path / "a", "lock-fails")
    emulator.inject("status", route=LOCK, status=500)  # a 500 is not retried
    result = run(["push", "--lock", "--output", "json", *files], url=emulator.url)
    [item] = result.json()["items"]
    assert result.code == 3 and "error: dashboard lock-fails" in result.stderr
    assert (item["result"], item["id"], item["locked"]) == ("created", emulator.get("lock-fails")["id"], False)
    assert item["message"].startswith("lock failed: ")

    assert run(["push", "--lock", *files], url=emulator.url).code == 0  # now locked
    changed = write_bodies(tmp_path / "b", "lock-fails", title="Changed")
    emulator.inject("status", route=LOCK, status=500)  # the re-lock after the update
    result = run(["push", "--output", "json", *changed], url=emulator.url)
    [item] = result.json()["items"]
    assert result.code == 3 and (item["result"], item["locked"]) == ("updated", False)
    assert item["message"].startswith("lock failed: ") and not emulator.get("lock-fails")["locked"]

    emulator.edit("lock-fails", lambda d: d.update(locked=True))
    emulator.inject("status", route=UPDATE, status=500)
    emulator.inject("status", route=LOCK, status=500)  # putting the lock back after the failed update
    result = run(["push", "--force", "--output", "json", *files], url=emulator.url)
    [item] = result.json()["items"]
    assert result.code == 3 and item["result"] == "failed" and "lock failed: " in item["message"]


def _invalid_json(folder: Path) -> tuple[list[str], str]:
    path = folder / "broken.json"
    path.write_text('{\n  "schemaVersion": "v6",\n  "name": oops\n}')
    return [str(path)], "broken.json:3"


def _schema_error(folder: Path) -> tuple[list[str], str]:
    [path] = write_bodies(folder, "schema")
    text = Path(path).read_text().replace('"schemaVersion": "v6"', '"schemaVersion": "v6", "extra": 1')
    Path(path).write_text(text)
    return [path], "schema.json"


def _generate_name(folder: Path) -> tuple[list[str], str]:
    data = body("x")
    data.pop("name")
    data["generateName"] = True
    path = folder / "anon.json"
    path.write_text(__import__("json").dumps(data))
    return [str(path)], "generateName"


def _too_many_tags(folder: Path) -> tuple[list[str], str]:
    data = body("tagged")
    data["tags"] = [{"key": f"k{i}", "value": "v"} for i in range(9)]  # SigNoz allows 10; we add 2
    path = folder / "tagged.json"
    path.write_text(__import__("json").dumps(data))
    return [str(path)], "has 9 tags"


def _missing(folder: Path) -> tuple[list[str], str]:
    return [str(folder / "nope.yaml")], "nope.yaml: no such file"


def _bad_definition(folder: Path) -> tuple[list[str], str]:
    path = folder / "bad.yaml"
    path.write_text("name: bad\ntitle: [unclosed\n")
    return [str(path)], "bad.yaml:"


def _duplicate_names(folder: Path) -> tuple[list[str], str]:
    first = write_bodies(folder / "a", "twice")
    second = write_bodies(folder / "b", "twice")
    return first + second, "'twice' is also used"


@pytest.mark.parametrize("command", ["push", "diff"])
@pytest.mark.parametrize(
    "make", [_invalid_json, _schema_error, _generate_name, _too_many_tags, _missing, _bad_definition, _duplicate_names]
)
def test_bad_input_is_one_line_naming_the_file_and_exit_2(emulator, tmp_path, command, make):
    paths, expected = make(tmp_path)
    result = run([command, *paths], url=emulator.url)
    assert result.code == 2, result.stderr
    assert result.stderr.startswith("error: ") and expected in result.stderr
    assert result.stdout == ""
    assert sum(emulator.calls.values()) == 0  # validated before any request


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["push"], {}, "no SigNoz URL"),
        (["push", "--url", "ftp://x"], {}, "not an http(s) URL"),
        (["push", "--output", "yaml"], {}, "--output"),
        (["push", "--concurrency", "0"], {}, "--concurrency"),
    ],
)
def test_usage_errors_exit_2(emulator, args, env, expected, tmp_path):
    files = write_bodies(tmp_path / "in", "u")
    result = run([*args, *files], env=env)
    assert result.code == 2 and expected in result.stderr


def test_missing_key_exits_2(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "k")
    result = run(["push", *files], url=emulator.url, key=None)
    assert result.code == 2 and "SIGNOZ_API_KEY" in result.stderr


@pytest.mark.parametrize(
    ("source", "key"),
    [(source, key) for source in ("env", "file") for key in (CANARY + "\ninner", "cañary-" + CANARY, CANARY + " x")]
    + [("file", CANARY.encode() + b"\xff")],  # not UTF-8
)
def test_a_key_no_header_can_carry_is_bad_input_and_never_shown(emulator, tmp_path, key, source):
    """httpx would fail after connecting, quoting the key ("Illegal header value b'...'") or with a
    traceback; push refuses such a key up front (exit 2) without echoing it, and sends nothing."""
    files = write_bodies(tmp_path / "in", "bad-key")
    if source == "env":
        result = run(["push", *files], url=emulator.url, key=key)
    else:
        key_file = tmp_path / "key"
        key_file.write_bytes(key if isinstance(key, bytes) else key.encode() + b"\n")
        result = run(["push", "--api-key-file", str(key_file), *files], url=emulator.url, key=None)
    assert result.code == 2 and "API key" in result.stderr, result.text  # run() checks: no key, no traceback
    assert sum(emulator.calls.values()) == 0


@TWO_WAYS
@pytest.mark.parametrize(
    ("key", "status", "hint"), [("wrong-key", "401", "SIGNOZ_API_KEY"), (VIEWER, "403", "Editor")]
)
def test_auth_failures_exit_3_with_a_message(emulator, tmp_path, key, status, hint):
    files = write_bodies(tmp_path / "in", "auth")
    result = run(["push", *files], url=emulator.url, key=key)
    assert result.code == 3 and status in result.stderr and hint in result.stderr
    assert emulator.dashboards == {}


@TWO_WAYS
def test_viewer_key_is_enough_for_diff(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "view")
    assert run(["diff", "--summary", *files], url=emulator.url, key=VIEWER).code == 1


@pytest.mark.parametrize("command", ["push", "diff"])
@pytest.mark.parametrize("version", ["v0.91.0", "v0.90.2-abc", "v0.50.0", "0.8.1"])
def test_too_old_a_server_exits_3_with_one_line_saying_what_is_supported(tmp_path, version, command):
    with SigNozEmulator(version=version, api_keys=KEYS) as emulator:
        files = write_bodies(tmp_path / "in", "old")
        result = run([command, *files], url=emulator.url)
        assert result.code == 3 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith(f"error: SigNoz {emulator.version} at {emulator.url} is too old")
        assert "SigNoz 0.92.0 or newer" in line and "upgrade SigNoz" in line
        assert emulator.writes == 0 and set(emulator.calls) == {"GET /api/v1/version"}


@pytest.mark.parametrize("command", ["push", "diff"])
def test_bad_input_is_exit_2_even_with_the_server_down(tmp_path, command):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        url = emulator.url  # nothing listens there any more
    paths, expected = _too_many_tags(tmp_path)
    result = run([command, *paths], url=url)
    assert result.code == 2 and expected in result.stderr, result.text


def test_unreachable_server_exits_3(tmp_path):
    with SigNozEmulator(api_keys=KEYS) as emulator:
        url = emulator.url
    files = write_bodies(tmp_path / "in", "gone")
    result = run(["push", *files], url=url)
    assert result.code == 3 and "cannot reach" in result.stderr


def test_terraform_variable_names_and_key_file(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "tf")
    env = {"SIGNOZ_ENDPOINT": emulator.url, "SIGNOZ_ACCESS_TOKEN": CANARY}
    assert run(["push", *files], key=None, env=env).code == 0
    key_file = tmp_path / "key"
    key_file.write_text(CANARY + "\n")
    result = run(["diff", "--api-key-file", str(key_file), "--url", emulator.url, *files], key="wrong-key")
    assert result.code == 0  # the file beat $SIGNOZ_API_KEY


@pytest.mark.parametrize(
    ("flag", "env", "url", "key"),
    [
        (None, {"SIGNOZ_URL": "https://a.example", "SIGNOZ_API_KEY": "k1"}, "https://a.example", "k1"),
        ("https://flag.example/", {"SIGNOZ_URL": "https://a.example", "SIGNOZ_API_KEY": "k1"}, "https://flag.example", "k1"),
        (None, {"SIGNOZ_URL": "https://a.example", "SIGNOZ_ENDPOINT": "https://b.example", "SIGNOZ_API_KEY": "k1",
                "SIGNOZ_ACCESS_TOKEN": "k2"}, "https://a.example", "k1"),
        (None, {"SIGNOZ_ENDPOINT": "https://b.example", "SIGNOZ_ACCESS_TOKEN": "k2"}, "https://b.example", "k2"),
    ],
)
def test_configuration_precedence(flag, env, url, key):
    connection = resolve_connection(flag, None, env)
    assert (connection.url, connection.api_key) == (url, key)
    assert key not in repr(connection)


def test_configuration_errors():
    with pytest.raises(InputError, match="no API key"):
        resolve_connection("https://a.example", None, {"SIGNOZ_API_KEY": "  "})


@pytest.mark.parametrize(
    ("url", "warns"),
    [("http://signoz.internal:8080", True), ("http://10.0.0.5:8080", True), ("https://acme.us.signoz.cloud", False),
     ("http://localhost:8080", False), ("http://127.0.0.1:3301", False), ("http://[::1]:8080", False)],
)
def test_plain_http_warning(url, warns):
    warning = plain_http_warning(url)
    assert bool(warning) == warns
    if warns:
        assert "plain http" in warning and "API key" in warning


def test_progress_and_concurrency_flag_bound_in_flight_requests(tmp_path):
    files = write_bodies(tmp_path / "in", *[f"c-{i:02d}" for i in range(10)])
    with SigNozEmulator(api_keys=KEYS, latency=0.03) as emulator:
        result = run(["push", "--concurrency", "2", *files], url=emulator.url)
        assert result.code == 0 and len(emulator.dashboards) == 10
        assert emulator.max_in_flight == 2


def test_nothing_is_written_to_disk_and_the_key_appears_nowhere(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "quiet")
    before = {p for p in tmp_path.rglob("*")}
    for args in (["push", *files], ["diff", *files], ["push", "--output", "json", *files]):
        run(args, url=emulator.url)
    assert {p for p in tmp_path.rglob("*")} == before
    assert all(CANARY not in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file())


def test_the_key_is_only_sent_in_its_header(emulator):
    seen = []

    class Recording(httpx.HTTPTransport):  # a real transport to the emulator that keeps what it sends
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return super().handle_request(request)

    with client_module.SigNozClient(emulator.url, CANARY, transport=Recording()) as c:
        assert c.list_dashboards() == []  # the emulator only accepts the key in SIGNOZ-API-KEY
    assert seen and sum(emulator.calls.values()) == len(seen)  # the version, then the list
    for request in seen:
        assert request.headers["SIGNOZ-API-KEY"] == CANARY
        assert CANARY not in str(request.url) and CANARY not in request.content.decode()
        assert all(CANARY not in value for name, value in request.headers.items() if name.lower() != "signoz-api-key")


class _Terminal:
    def __init__(self):
        import io

        self.buffer = io.StringIO()

    def isatty(self):
        return True

    def write(self, text):
        return self.buffer.write(text)

    def flush(self):
        pass


@pytest.mark.parametrize(("total", "output", "tty", "shown"), [
    (10, "text", True, True), (2, "text", True, False), (10, "json", True, False), (10, "text", False, False)])
def test_progress_only_for_many_dashboards_on_a_terminal(monkeypatch, total, output, tty, shown):
    import sys

    from signoz_dac.cli import push as push_module

    terminal = _Terminal()
    if not tty:
        terminal.isatty = lambda: False
    monkeypatch.setattr(sys, "stderr", terminal)
    with push_module._progress(total, enabled=output == "text") as tick:
        assert (tick is not None) == shown
        for _ in range(total if tick else 0):
            tick(None)


# --- what each release shows ----------------------------------------------------------------------


@pytest.mark.parametrize("flag", [False, True], ids=["use_dashboard_v2 off", "use_dashboard_v2 on"])
def test_on_0134_dashboards_land_where_its_ui_shows_them_and_push_says_which_way(tmp_path, flag):
    from signoz_dac.signoz.v5 import ui_problems

    with SigNozEmulator(api_keys=KEYS, version="0.134.0", use_dashboard_v2=flag) as emulator:
        result = run(["push", "--no-alerts"], url=emulator.url)
        assert result.code == 0, result.text
        rows = list(emulator.dashboards.values())
        assert len(rows) == 2
        if flag:  # the v2 UI: v6 dashboards through /api/v2
            assert all(row["schemaVersion"] == "v6" and "data" not in row for row in rows)
            assert "has use_dashboard_v2 on: dashboards go through /api/v2/dashboards as v6 JSON" in result.stderr
        else:  # the v1 UI: v5 dashboards it lists (a title, tags) and opens (a layout)
            for row in rows:
                assert row["data"]["version"] == "v5" and ui_problems(row["data"]) == []
                assert row["data"]["title"] and row["data"]["tags"] and row["data"]["layout"]
            assert result.stderr == ("note: SigNoz v0.134.0: dashboards go through /api/v1/dashboards as v5 JSON, "
                                     "the format its UI shows while use_dashboard_v2 is off\n")


NO_V5_FORM = """\
name: my-agent
title: My agent
profile: pipecat
variables:
  - {kind: custom, name: env, values: "a,b", sort: numerical-asc}
sections:
  - title: Latency
    panels:
      - type: turn_latency
"""


@pytest.mark.parametrize(("version", "hint"), [
    ("0.134.0", "turn use_dashboard_v2 on, set SIGNOZ_FLAGGER_CONFIG_BOOLEAN_USE__DASHBOARD__V2=true"),
    ("0.120.0", "upgrade SigNoz to 0.135 or newer"),
])
@pytest.mark.parametrize("command", ["push", "diff"])
def test_a_dashboard_with_no_v5_form_is_bad_input_saying_what_to_do(tmp_path, version, hint, command):
    path = tmp_path / "agent.yaml"
    path.write_text(NO_V5_FORM)
    with SigNozEmulator(api_keys=KEYS, version=version) as emulator:
        result = run([command, "--no-alerts", str(path)], url=emulator.url)
        assert result.code == 2, result.text
        [error, what_to_do] = result.problems.splitlines()
        assert error == ("error: dashboard 'my-agent' has no v5 form, the dashboards SigNoz v" + version + " shows: "
                         "spec.variables[0].spec.sort: the v5 UI sorts only none, alphabetical-asc, alphabetical-desc")
        assert what_to_do.startswith("  to push it: change the definition, or ") and hint in what_to_do
        assert emulator.writes == 0


@pytest.mark.parametrize("command", ["push", "diff"])
def test_use_dashboard_v2_on_where_v2_dashboards_cannot_be_listed_is_one_line_and_nothing_written(tmp_path, command):
    with SigNozEmulator(api_keys=KEYS, version="0.128.0", use_dashboard_v2=True) as emulator:
        result = run([command, "--no-alerts"], url=emulator.url)
        assert result.code == 3 and result.stdout == ""
        [line] = result.stderr.splitlines()
        assert line.startswith("error: SigNoz v0.128.0 has use_dashboard_v2 on") and "turn use_dashboard_v2 off" in line
        assert "nothing was written" in line and emulator.writes == 0


def test_dashboards_an_earlier_push_made_through_v2_where_the_ui_hides_them_are_named(tmp_path):
    """signoz-dac before this release pushed v6 through /api/v2 on 0.129-0.134, where the UI (with
    use_dashboard_v2 off) shows none of them: push says which, and writes what the UI shows."""
    files = write_bodies(tmp_path / "in", "hidden")
    with SigNozEmulator(api_keys=KEYS, version="0.134.0", use_dashboard_v2=True) as emulator:
        assert run(["push", *files], url=emulator.url).code == 0  # as through /api/v2
        hidden_id = emulator.get("hidden")["id"]
        emulator.use_dashboard_v2 = False  # the flag as it was all along: off
        emulator.seed(body("not-ours"), v1=False)
        result = run(["push", *files], url=emulator.url)
        assert result.code == 0, result.text
        lines = result.stderr.splitlines()
        assert lines[1] == (f"note: 1 dashboard signoz-dac pushed through /api/v2 earlier is not shown by this "
                            f"SigNoz's UI (use_dashboard_v2 is off): hidden (id {hidden_id}); push now writes "
                            "dashboards as v5 through /api/v1: delete those (DELETE /api/v2/dashboards/<id>), or "
                            "turn use_dashboard_v2 on to use them")
        shown = [d for d in emulator.dashboards.values() if "data" in d]
        assert len(shown) == 1 and shown[0]["name"] == "hidden"
