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

from .cli_support import run, write_bodies
from tests.client.support import CANARY, KEYS, VIEWER, body


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_builtin_dashboards_deploy_and_a_second_push_writes_nothing(emulator, builtin_bodies):
    first = run(["push"], url=emulator.url)
    assert first.code == 0, first.stderr
    names = sorted(builtin_bodies)
    assert sorted(d["name"] for d in emulator.dashboards.values()) == names
    assert all(name in first.stdout for name in names) and "created" in first.stdout

    emulator.reset_counters()
    second = run(["push"], url=emulator.url)
    assert second.code == 0 and emulator.writes == 0
    assert "20 unchanged" in second.stdout  # 2 dashboards and their 18 rules


def test_dry_run_writes_nothing_and_shows_the_plan(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "dry-a", "dry-b")
    result = run(["push", "--dry-run", *files], url=emulator.url)
    assert result.code == 0 and emulator.writes == 0 and emulator.dashboards == {}
    assert "dry run" in result.stdout and result.stdout.count("create") >= 2


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


@pytest.mark.parametrize(("title", "push_first", "setup", "flags", "code", "stored"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
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


def test_several_dashboards_with_the_name_is_a_conflict(tmp_path):
    with SigNozEmulator(version="v0.134.0", api_keys=KEYS) as emulator:
        _several(emulator)
        files = write_bodies(tmp_path / "in", "edited")
        result = run(["push", "--adopt", "--force", *files], url=emulator.url)
        assert result.code == 1 and "2 dashboards" in result.stdout.replace("\n", " ")
        assert len(emulator.by_name("edited")) == 2


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


@pytest.mark.parametrize(
    ("key", "status", "hint"), [("wrong-key", "401", "SIGNOZ_API_KEY"), (VIEWER, "403", "Editor")]
)
def test_auth_failures_exit_3_with_a_message(emulator, tmp_path, key, status, hint):
    files = write_bodies(tmp_path / "in", "auth")
    result = run(["push", *files], url=emulator.url, key=key)
    assert result.code == 3 and status in result.stderr and hint in result.stderr
    assert emulator.dashboards == {}


def test_viewer_key_is_enough_for_diff(emulator, tmp_path):
    files = write_bodies(tmp_path / "in", "view")
    assert run(["diff", "--summary", *files], url=emulator.url, key=VIEWER).code == 1


@pytest.mark.parametrize("version", ["v0.126.1", "v0.120.0-abc"])
def test_too_old_a_server_exits_3_saying_what_is_supported(tmp_path, version):
    with SigNozEmulator(version=version, api_keys=KEYS) as emulator:
        files = write_bodies(tmp_path / "in", "old")
        result = run(["push", *files], url=emulator.url)
        assert result.code == 3
        assert version in result.stderr and "0.129.0 or newer" in result.stderr
        assert emulator.writes == 0


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
    assert seen and emulator.calls["GET /api/v2/dashboards"] == len(seen)
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
