"""The client against a hostile or broken server, over real HTTP on 127.0.0.1 (the emulator's faults):
every odd reply is a typed SigNozError, what the server says is redacted of the key and kept on one
printable line, and no attempt or run outlives its time limits."""

from __future__ import annotations

import time

import pytest

from signoz_dac.signoz import errors
from signoz_dac.signoz.client import MAX_REQUEST_BYTES, RetryPolicy, check_url, encode_body
from signoz_dac.signoz.deadline import Deadline
from signoz_dac.testing.emulator import CHANNELS, CREATE, GET, LIST, RULE_CREATE, RULE_GET, RULES_LIST, VERSION
from signoz_dac.testing.faults import COMMIT_THEN_REPLY, HANG, REPLY, TRICKLE, TRICKLE_BODY
from tests.support.sampled import sampled

from .support import CANARY, client

HTML = "<!DOCTYPE html>\n<html><body><h1>Sign in</h1></body></html>"


def ok(data):
    return {"status": "success", "data": data}


def dashboard(name: str = "hostile", description: str = "") -> dict:
    """A small valid v6 body, built here: no ../shared needed."""
    return {"schemaVersion": "v6", "name": name, "tags": [],
            "spec": {"display": {"name": name, "description": description}, "panels": {}, "layouts": [], "variables": []}}


RULE = {"id": "r1", "alert": "x", "labels": {"managed-by": "signoz-dac"}}

# (id, route, what the server answers, the call that reads it)
ODD_REPLIES = [
    ("HTML with 200 on version", VERSION, dict(status=200, body=HTML, content_type="text/html"),
     lambda c: c.server_version()),
    ("HTML with 200 on list", LIST, dict(status=200, body=HTML, content_type="text/html"), lambda c: c.list_dashboards()),
    ("invalid JSON", LIST, dict(status=200, body='{"status":"success","data":{"dashboards":['), lambda c: c.list_dashboards()),
    ("a list where an object belongs", LIST, dict(status=200, body=ok([])), lambda c: c.list_dashboards()),
    ("junk list items", LIST, dict(status=200, body=ok({"dashboards": [1, "x", None]})), lambda c: c.list_dashboards()),
    ("an item without id", LIST, dict(status=200, body=ok({"dashboards": [{"name": "a"}]})), lambda c: c.list_dashboards()),
    ("NaN in a reply", LIST, dict(status=200, body='{"status":"success","data":{"dashboards":[],"total":NaN}}'),
     lambda c: c.list_dashboards()),
    ("deep nesting", LIST, dict(status=200, body="[" * 100_000 + "]" * 100_000), lambda c: c.list_dashboards()),
    ("GET with spec 'x'", GET, dict(status=200, body=ok({"id": "a", "name": "a", "tags": [], "spec": "x"})),
     lambda c: c.get_dashboard("0190e3b4-7e2a-7000-8000-000000000000")),
    ("GET with string tags", GET, dict(status=200, body=ok({"id": "a", "name": "a", "tags": ["a"], "spec": {}})),
     lambda c: c.get_dashboard("0190e3b4-7e2a-7000-8000-000000000000")),
    ("GET with panels as a list", GET,
     dict(status=200, body=ok({"id": "a", "name": "a", "tags": [], "spec": {"panels": ["x"]}})),
     lambda c: c.get_dashboard("0190e3b4-7e2a-7000-8000-000000000000")),
    ("GET with a panel kind that is a list", GET,
     dict(status=200, body=ok({"id": "a", "name": "a", "tags": [], "spec": {"panels": {"p": {"spec": {"plugin": {
         "kind": ["signoz/TimeSeriesPanel"]}}}}}})),
     lambda c: c.get_dashboard("0190e3b4-7e2a-7000-8000-000000000000")),
    ("rules as junk", RULES_LIST, dict(status=200, body=ok([RULE, 7])), lambda c: c.list_rules()),
    ("rule labels that are not strings", RULES_LIST,
     dict(status=200, body=ok([{**RULE, "labels": {"team": ["a"]}}])), lambda c: c.list_rules()),
    ("a rule without id", RULE_GET, dict(status=200, body=ok({"alert": "x"})), lambda c: c.get_rule("r1")),
    ("channels as an object", CHANNELS, dict(status=200, body=ok({"name": "x"})), lambda c: c.list_channels()),
]


@pytest.mark.parametrize(("route", "reply", "call"), sampled(ODD_REPLIES))
def test_an_odd_reply_is_a_bad_reply_not_a_crash(emulator, route, reply, call):
    emulator.inject(REPLY, route=route, times=10, **reply)
    with client(emulator.url) as c, pytest.raises(errors.BadReply) as info:
        call(c)
    message = str(info.value)
    assert "not JSON" in message or "not what SigNoz sends" in message, message
    assert message.isprintable() and len(message) < 400


@pytest.mark.parametrize(
    ("route", "body"),
    [(CREATE, ok({})), (CREATE, HTML), (RULE_CREATE, ok({"id": ""})), (RULE_CREATE, ok([]))],
    ids=["dashboard 201 without id", "dashboard 201 as HTML", "rule 201 with an empty id", "rule 201 as a list"],
)
def test_a_create_answered_oddly_is_uncertain_and_not_sent_again(emulator, route, body):
    """The server stored it but answered nonsense: not trusted, not POSTed again (the next run finds it)."""
    import signoz_dac
    from signoz_dac.identity import rule_key
    from signoz_dac.resources import dashboards_dir

    emulator.inject(COMMIT_THEN_REPLY, route=route, status=201, body=body)
    with client(emulator.url) as c, pytest.raises(errors.UncertainCreate) as info:
        if route == CREATE:
            c.create_dashboard(dashboard())
        else:
            rule = signoz_dac.render_alerts(signoz_dac.load_definition(dashboards_dir() / "pipecat.yaml"))[0]
            c.create_rule(rule, identity=rule_key)
    assert "run push again to reconcile" in str(info.value)
    assert emulator.calls[route] == 1 and len(emulator.dashboards) + len(emulator.rules) == 1


ECHOES = [
    ("401 envelope", dict(status=401, body={"status": "error", "error": {
        "code": "unauthenticated", "message": "invalid api key {key}", "errors": [{"message": "key was {key}"}]}})),
    ("500 HTML page", dict(status=500, body="<html>\n<pre>panic: key={key}</pre></html>", content_type="text/html")),
    ("302 Location", dict(status=302, body="", headers={"Location": "https://user:{key}@evil.example/x?key={key}"})),
    ("key hidden by control characters", dict(status=400, body={"status": "error", "error": {
        "code": "x", "message": "bad key canary-key\x1b[0m-5f1e, again: canary\u200b-key-5f1e"}})),
    ("key cut by the length limit", dict(status=400, body={"status": "error", "error": {
        "code": "x", "message": "x" * 480 + " {key} " + "y" * 1000}})),
]


@pytest.mark.parametrize("reply", sampled(ECHOES))
def test_the_key_echoed_by_the_server_is_redacted(emulator, reply):
    emulator.inject(REPLY, route=LIST, times=10, **reply)
    with client(emulator.url) as c, pytest.raises(errors.SigNozError) as info:
        c.list_dashboards()
    message = str(info.value)
    assert CANARY not in message and "canary-key" not in message and "5f1e" not in message, message
    assert "user:" not in message and message.isprintable()


def test_server_text_is_one_printable_line(emulator):
    forged = "denied\n::error file=x.py,line=1::forged annotation\x1b]0;pwned\x07\x1b[2J\r\u202eevil\u2028more"
    emulator.inject(REPLY, route=LIST, status=400, body={"status": "error", "error": {"code": "\x1b[31m", "message": forged}})
    with client(emulator.url) as c, pytest.raises(errors.InvalidInput) as info:
        c.list_dashboards()
    message = str(info.value)
    assert message.isprintable() and "\n" not in message and "\x1b" not in message and "\u202e" not in message
    assert "::error file=x.py,line=1::forged annotation" in message  # kept as text, on the same line


def test_a_trickling_reply_is_cut_by_the_attempt_wall_clock(emulator):
    """httpx's read timeout is per read; one byte every 0.1 s never trips it. The wall clock does."""
    for kind in (TRICKLE, TRICKLE_BODY):
        emulator.inject(kind, route=VERSION, delay=0.1)
        started = time.monotonic()
        with client(emulator.url, retry=RetryPolicy(attempts=1), attempt_seconds=0.6) as c:
            with pytest.raises(errors.TransportError) as info:
                c.server_version()
        assert time.monotonic() - started < 2.0, kind
        assert "Timeout" in str(info.value)


def test_the_deadline_ends_retries_and_waits(emulator):
    emulator.inject("status", route=LIST, status=503, times=100)
    started = time.monotonic()
    with client(emulator.url, retry=RetryPolicy(attempts=50, backoff=0.2, max_backoff=0.4), sleep=time.sleep,
                deadline=Deadline(1.0)) as c, pytest.raises(errors.DeadlineExceeded) as info:
        c.list_dashboards()
    assert time.monotonic() - started < 1.5
    assert "deadline of 1 s passed" in str(info.value) and "503" in str(info.value)


def test_the_deadline_ends_a_hanging_request(emulator):
    emulator.inject(HANG, route=VERSION, times=10)
    started = time.monotonic()
    with client(emulator.url, deadline=Deadline(0.8)) as c, pytest.raises(errors.SigNozError):
        c.server_version()
    assert time.monotonic() - started < 1.5


def test_one_dashboard_too_large_to_read_is_skipped_where_names_are_unique(emulator):
    big = emulator.seed(dashboard("huge", description="x" * 300_000))
    for index in range(3):
        emulator.seed(dashboard(f"small-{index}"))
    warnings: list[str] = []
    with client(emulator.url, max_response_bytes=200_000, on_warning=warnings.append) as c:
        names = sorted(d["name"] for d in c.list_dashboards(page_size=2))
    assert names == ["small-0", "small-1", "small-2"] and big["id"] not in str(names)
    [warning] = warnings
    assert "position 1" in warning and "skipped" in warning


@pytest.mark.parametrize("flag", [True, False], ids=["v2 dashboards (flag on)", "v1 dashboards"])
def test_one_dashboard_too_large_to_read_is_an_error_where_names_are_not_unique(emulator, flag):
    emulator.version, emulator.use_dashboard_v2 = "v0.134.0", flag
    emulator.seed(dashboard("huge", description="x" * 300_000))
    with client(emulator.url, max_response_bytes=200_000) as c, pytest.raises(errors.ResponseTooLarge) as info:
        c.list_dashboards()
    assert "shrink or delete it in SigNoz" in str(info.value)


def test_what_the_client_sends_is_capped_below_what_it_reads(emulator):
    assert client("http://127.0.0.1:9").max_response_bytes >= MAX_REQUEST_BYTES * 2
    with pytest.raises(errors.RequestTooLarge, match="at most 8 MiB"):
        encode_body(dashboard(description="x" * MAX_REQUEST_BYTES))
    with pytest.raises(errors.RequestTooLarge, match="NaN"):
        encode_body({"x": float("nan")})
    with client(emulator.url) as c, pytest.raises(errors.RequestTooLarge):
        c.create_dashboard(dashboard(description="x" * MAX_REQUEST_BYTES))
    assert emulator.calls[CREATE] == 0


@pytest.mark.parametrize(
    "url",
    ["http://user:canary-key-5f1e@127.0.0.1:1", "https://:canary-key-5f1e@host", "ftp://canary-key-5f1e@host",
     "ftp://host/canary-key-5f1e", "https://host/?token=canary-key-5f1e", "https://host/#canary-key-5f1e",
     "http://host:canary-key-5f1e/", "https://host/a\nb"],
)
def test_a_url_with_a_secret_or_another_scheme_is_refused_without_echo(url):
    with pytest.raises(ValueError) as info:
        check_url(url)
    assert CANARY not in str(info.value) and "canary" not in str(info.value)


def test_list_limits_are_signozs_and_the_client_pages_through_them(emulator):
    """`limit` defaults to 20, more than 200 is clamped to 200, a negative limit or offset is a 400;
    the client asks for pages of 200 and reads every one."""
    from tests.support import wire

    for index in range(205):
        emulator.seed(dashboard(f"page-{index}"))
    with wire.Client(base_url=emulator.url, headers={"SIGNOZ-API-KEY": CANARY}) as http:
        def count(**params):
            return len(http.get("/api/v2/dashboards", params=params).json()["data"]["dashboards"])

        assert count() == 20 and count(limit=1000) == 200 and count(limit=200, offset=200) == 5
        for params in ({"limit": -1}, {"offset": -1}, {"limit": "x"}):
            answer = http.get("/api/v2/dashboards", params=params)
            assert answer.status_code == 400 and answer.json()["error"]["code"] == "dashboard_list_invalid"
    emulator.reset_counters()
    with client(emulator.url) as c:
        assert len(c.list_dashboards()) == 205
    assert emulator.calls[LIST] == 2
