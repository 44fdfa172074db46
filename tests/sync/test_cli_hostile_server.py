"""`signoz-dac push` and `diff` against a hostile or broken server (the emulator's faults, real HTTP on
127.0.0.1): every case ends with the documented exit code and one clear line on stderr, never a
traceback, never the key, never a forged CI annotation or a terminal escape sequence."""

from __future__ import annotations

import httpx
import pytest

from signoz_dac.signoz import client as client_module
from signoz_dac.testing import FAST_RETRY
from signoz_dac.testing.emulator import CHANNELS, CREATE, GET, LIST, RULE_CREATE, RULE_GET, RULES_LIST, VERSION
from signoz_dac.testing.faults import COMMIT_THEN_REPLY, REPLY
from tests.alerts_push.support import DASHBOARD, definition
from tests.client.support import CANARY
from tests.support.sampled import sampled

from .cli_support import run

HTML = "<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>"


@pytest.fixture(autouse=True)
def fast_client(monkeypatch, tmp_path):
    monkeypatch.setattr(client_module, "DEFAULT_RETRY", FAST_RETRY)
    monkeypatch.setattr(client_module, "DEFAULT_TIMEOUT", httpx.Timeout(10.0))
    monkeypatch.chdir(tmp_path)


def ok(data):
    return {"status": "success", "data": data}


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


def assert_clean(result) -> None:
    """Nothing a server sent can act on the terminal or the CI log; the key is nowhere (`run` checks
    that, and that there is no traceback)."""
    for line in (result.stdout + result.stderr).splitlines():
        assert line.isprintable() or line == "", repr(line)
        assert not line.lstrip().startswith("::"), line
    assert "canary-key" not in result.text


# (id, route, fault, is the dashboard pushed once before?, exit code)
CASES = [
    ("HTML 200 on the version", VERSION, dict(kind=REPLY, status=200, body=HTML, content_type="text/html"), False, 3),
    ("HTML 200 on the list", LIST, dict(kind=REPLY, status=200, body=HTML, content_type="text/html"), False, 3),
    ("invalid JSON", LIST, dict(kind=REPLY, status=200, body='{"status":"success","data":{"dash'), False, 3),
    ("a list instead of an object", LIST, dict(kind=REPLY, status=200, body=ok([1, 2])), False, 3),
    ("junk list items", LIST, dict(kind=REPLY, status=200, body=ok({"dashboards": ["x", 1, None]})), False, 3),
    ("deep nesting", LIST, dict(kind=REPLY, status=200, body="[" * 100_000 + "]" * 100_000), False, 3),
    ("NaN", LIST, dict(kind=REPLY, status=200, body='{"status":"success","data":{"dashboards":[],"total":NaN}}'),
     False, 3),
    ("201 without id", CREATE, dict(kind=COMMIT_THEN_REPLY, status=201, body=ok({})), False, 3),
    ("201 as HTML", CREATE, dict(kind=COMMIT_THEN_REPLY, status=201, body=HTML, content_type="text/html"), False, 3),
    ("GET with spec 'x'", GET, dict(kind=REPLY, status=200, body=ok({"id": "a", "name": DASHBOARD, "spec": "x"})),
     True, 3),
    ("GET with string tags", GET,
     dict(kind=REPLY, status=200, body=ok({"id": "a", "name": DASHBOARD, "tags": ["managed-by"], "spec": {}})), True, 3),
    ("GET with a panel kind that is a list", GET, dict(kind=REPLY, status=200, body=ok({
        "id": "a", "name": DASHBOARD, "spec": {"panels": {"p": {"spec": {"plugin": {"kind": ["x"]}}}}}})), True, 3),
    ("rules that are not objects", RULES_LIST, dict(kind=REPLY, status=200, body=ok(["rule", 1])), False, 3),
    ("a rule GET without id", RULE_GET, dict(kind=REPLY, status=200, body=ok({"alert": "x"})), True, 3),
    ("a rule 201 without id", RULE_CREATE, dict(kind=COMMIT_THEN_REPLY, status=201, body=ok({})), False, 3),
    ("channels as HTML", CHANNELS, dict(kind=REPLY, status=200, body=HTML, content_type="text/html"), False, 3),
]


@pytest.mark.parametrize(("route", "fault", "pushed", "code"), sampled(CASES))
def test_an_odd_reply_is_exit_3_and_one_line(emulator, tmp_path, route, fault, pushed, code):
    path = definition(tmp_path / "in", channels=["slack-voice"] if route == CHANNELS else None,
                      turn_warning=900 if pushed else None)
    emulator.add_channel("slack-voice")
    if pushed:  # a first push, so the second plans an update and reads the server's copies
        assert run(["push", definition(tmp_path / "first")], url=emulator.url).code == 0
    emulator.inject(fault.pop("kind"), route=route, times=1, **fault)
    result = run(["push", path], url=emulator.url)
    assert result.code == code, result.text
    assert len(error_lines(result)) == 1, result.text
    line = error_lines(result)[0]
    assert line.startswith("error: ") and ("not what SigNoz sends" in line or "not JSON" in line), line
    assert_clean(result)


def test_diff_on_an_odd_reply_is_exit_3_and_one_line(emulator, tmp_path):
    emulator.inject(REPLY, route=LIST, status=200, body=ok({"dashboards": [{"id": 1, "tags": "x"}]}))
    result = run(["diff", definition(tmp_path)], url=emulator.url)
    assert result.code == 3 and result.stdout == ""
    [line] = error_lines(result)
    assert line == ("error: GET /api/v2/dashboards: the reply is not what SigNoz sends: reply.dashboards[0].tags "
                    "is a string, not a list; nothing was written")


ECHOES = [
    ("401 with the key", VERSION, dict(status=401, body={"status": "error", "error": {
        "code": "unauthenticated", "message": "unauthenticated: invalid api key {key}"}})),
    ("500 HTML page with the key", LIST, dict(status=500, body="<html>\n<pre>key={key}\n</pre>", content_type="text/html")),
    ("Location with the key", LIST, dict(status=302, body="", headers={"Location": "http://u:{key}@evil.example/?k={key}"})),
]


@pytest.mark.parametrize(("route", "reply"), sampled(ECHOES))
def test_the_key_echoed_by_the_server_is_never_printed(emulator, tmp_path, route, reply):
    emulator.inject(REPLY, route=route, times=10, **reply)
    for command in ("push", "diff"):
        result = run([command, definition(tmp_path)], url=emulator.url)
        assert result.code == 3, result.text
        [line] = error_lines(result)
        assert "[redacted]" in line or "evil.example" in line, line
        assert_clean(result)
        emulator.inject(REPLY, route=route, times=10, **reply)


def test_server_text_cannot_forge_annotations_or_drive_the_terminal(emulator, tmp_path):
    forged = "no\n::error file=app.py,line=1::forged\x1b]0;pwned\x07\x1b[2J\r\n::add-mask::x"
    emulator.inject(REPLY, route=LIST, times=10, status=400,
                    body={"status": "error", "error": {"code": "\x1b[31mbad", "message": forged}})
    result = run(["push", definition(tmp_path)], url=emulator.url)
    assert result.code == 3
    [line] = error_lines(result)
    assert "::error file=app.py" in line and "\x1b" not in line and "\x07" not in line
    assert_clean(result)


def test_server_text_in_a_report_is_plain_text(emulator, tmp_path):
    """What the server stores (who edited a rule) reaches the drift report: printable, no markup."""
    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    from tests.alerts_push.support import TURN_RULE

    emulator.edit_rule(TURN_RULE, lambda r: r["condition"]["thresholds"]["spec"][0].update(target=2000),
                       by="[/bold]\x1b]0;pwned\x07\n::error::forged [link=file:///etc]x[/link]")
    for args in (["push", path], ["push", "--output", "json", path], ["diff", path]):
        result = run(args, url=emulator.url)
        assert result.code == 1, result.text
        assert "[/bold]" in result.stdout  # shown as it is, not read as rich markup (which would raise)
        assert_clean(result)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SIGNOZ_URL": "http://user:canary-key-5f1e@127.0.0.1:9"}, "must not carry a user name or password"),
        ({"SIGNOZ_URL": "ftp://u:canary-key-5f1e@example.com"}, "must not carry a user name or password"),
        ({"SIGNOZ_URL": "ftp://example.com/canary-key-5f1e"}, "its scheme is ftp"),
        ({"SIGNOZ_URL": "https://example.com/?key=canary-key-5f1e"}, "without spaces, ?query or #fragment"),
    ],
)
def test_a_secret_in_the_url_is_refused_and_never_shown(emulator, tmp_path, env, expected):
    for command in ("push", "diff"):
        result = run([command, definition(tmp_path)], env=env)
        assert result.code == 2, result.text
        [line] = error_lines(result)
        assert expected in line and "canary" not in line
    assert sum(emulator.calls.values()) == 0


def test_a_key_file_without_end_is_refused_at_once(tmp_path):
    result = run(["push", definition(tmp_path), "--api-key-file", "/dev/zero"], url="http://127.0.0.1:9", key=None)
    assert result.code == 2
    [line] = error_lines(result)
    assert line == "error: /dev/zero: the API key file is larger than 4096 bytes; is it the key file?"


def test_a_body_larger_than_push_sends_is_bad_input_naming_the_file(emulator, tmp_path):
    import json

    from tests.client.test_hostile_server import dashboard

    big = tmp_path / "big.json"
    big.write_text(json.dumps(dashboard("big-one", description="x" * (9 * 1024 * 1024))))
    result = run(["push", str(big)], url=emulator.url)
    assert result.code == 2
    [line] = error_lines(result)
    assert line.startswith(f"error: {big}: dashboard 'big-one': the body is 9.0 MiB") and "at most 8 MiB" in line
    assert sum(emulator.calls.values()) == 0


@pytest.mark.slow
def test_a_huge_dashboard_in_signoz_does_not_block_push_or_diff(emulator, tmp_path):
    """Someone else's 33 MB dashboard (more than a reply we read): skipped with a warning, not a block."""
    from tests.client.test_hostile_server import dashboard

    emulator.seed(dashboard("someone-elses", description="x" * (33 * 1024 * 1024)))
    path = definition(tmp_path)
    pushed = run(["push", path], url=emulator.url)
    assert pushed.code == 0, pushed.text
    assert "warning: the dashboard at position 1 of SigNoz's list (oldest first) is larger than 32 MiB" in pushed.stderr
    assert len(emulator.by_name(DASHBOARD)) == 1
    assert run(["diff", path], url=emulator.url).code == 0
    assert CANARY not in pushed.text


@pytest.mark.slow
def test_replies_of_random_wrong_shapes_never_crash_push_or_diff(emulator, tmp_path):
    """The server's own copies with values swapped for junk at random places (a fixed seed, so the
    same cases every run): push and diff end with an exit code, never an exception."""
    import copy
    import random

    path = definition(tmp_path)
    assert run(["push", path], url=emulator.url).code == 0
    dashboard, rules = emulator.get(DASHBOARD), list(emulator.rules.values())
    rng = random.Random(11)
    junk = [None, "x", 1, 2.5, True, [], {}, ["x"], [1, None], {"a": 1}, {"spec": "x"}, "\x1b[2J"]

    def places(value, where=()):
        yield where
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, child in children:
            yield from places(child, (*where, key))

    def spoiled(document):
        document = copy.deepcopy(document)
        for where in rng.sample([p for p in places(document) if p], 3):
            try:  # an earlier swap may have replaced this place's parent already
                parent = document
                for key in where[:-1]:
                    parent = parent[key]
                parent[where[-1]] = rng.choice(junk)
            except (KeyError, IndexError, TypeError):
                pass
        return document

    for case in range(24):
        if case % 2:
            emulator.inject(REPLY, route=GET, times=5, status=200, body=ok(spoiled(dashboard)))
        else:
            emulator.inject(REPLY, route=RULES_LIST, times=5, status=200, body=ok([spoiled(r) for r in rules]))
        result = run([("push", "diff")[case % 3 == 0], path], url=emulator.url)  # raises if it crashed
        assert result.code in (0, 1, 3), result.text
        assert_clean(result)
        emulator.clear_faults()
