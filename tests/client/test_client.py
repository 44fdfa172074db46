"""SigNozClient over real HTTP against the emulator: happy paths, typed errors, retries, reconcile."""

from __future__ import annotations

import random

import httpx
import pytest

from signoz_dac.signoz import errors
from signoz_dac.signoz.client import RetryPolicy, parse_version
from signoz_dac.testing import SigNozEmulator, SleepRecorder
from signoz_dac.testing.emulator import CREATE, GET, LIST, UPDATE
from tests.support.timing import READ_TIMEOUT, SLOW

from .support import CANARY, KEYS, VIEWER, body, client


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("v0.138.0", (0, 138, 0)),
        ("v0.138.0-abc123", (0, 138, 0)),
        ("0.126.1", (0, 126, 1)),
        ("v0.135", (0, 135, 0)),
        (" v1.2.3-rc.1 ", (1, 2, 3)),
        ("main-3f2a9c1", None),
        ("", None),
        ("latest", None),
    ],
)
def test_parse_version_is_defensive(raw, expected):
    assert parse_version(raw) == expected


def test_lifecycle_create_get_list_update_lock_delete(emulator):
    with client(emulator.url) as c:
        assert c.check_version().number == (0, 138, 0)
        created = c.create_dashboard(body("life", panels=None))
        assert created["name"] == "life" and created["source"] == "user"
        assert c.get_dashboard(created["id"])["spec"]["panels"].keys() == body(panels=None)["spec"]["panels"].keys()
        [listed] = c.list_dashboards()
        assert set(listed["spec"]) == {"display"}  # the list shape carries spec.display only

        changed = body("life", title="Renamed")
        updated = c.update_dashboard(created["id"], {**created, **changed})  # extra GET fields are stripped
        assert updated["spec"]["display"]["name"] == "Renamed"

        c.lock_dashboard(created["id"])
        with pytest.raises(errors.Locked):
            c.update_dashboard(created["id"], changed)
        with pytest.raises(errors.Locked):
            c.delete_dashboard(created["id"])
        c.unlock_dashboard(created["id"])
        c.delete_dashboard(created["id"])
        with pytest.raises(errors.NotFound) as info:
            c.get_dashboard(created["id"])
        assert info.value.status == 404 and info.value.code == "not_found"


def test_repr_and_errors_never_show_the_key(emulator):
    c = client(emulator.url)
    assert CANARY not in repr(c) and CANARY not in str(vars(c))
    with pytest.raises(errors.SigNozError) as info:
        c.get_dashboard("not-a-uuid")
    assert CANARY not in str(info.value)


@pytest.mark.parametrize(
    ("key", "error", "status"),
    [(None, errors.AuthError, 401), ("wrong-key", errors.AuthError, 401), (VIEWER, errors.AuthError, 403)],
)
def test_auth_failures_are_typed(emulator, key, error, status):
    with client(emulator.url, key) as c, pytest.raises(error) as info:
        c.create_dashboard(body("x"))
    assert info.value.status == status
    assert emulator.dashboards == {}


def test_viewer_may_read(emulator):
    emulator.seed(body("seen"))
    with client(emulator.url, VIEWER) as c:
        assert [d["name"] for d in c.list_dashboards()] == ["seen"]


@pytest.mark.parametrize(
    ("change", "error", "code"),
    [
        (lambda b: b.update(unknown=1), errors.InvalidInput, "dashboard_invalid_input"),
        (lambda b: b["spec"].update(datasources={}), errors.InvalidInput, "dashboard_invalid_input"),
        (lambda b: b.update(schemaVersion="v5"), errors.InvalidInput, "dashboard_invalid_input"),
    ],
)
def test_invalid_bodies_are_rejected_with_the_server_rules(emulator, change, error, code):
    bad = body("bad")
    change(bad)
    with client(emulator.url) as c, pytest.raises(error) as info:
        c.create_dashboard(bad)
    assert info.value.code == code and info.value.status == 400
    assert emulator.dashboards == {}


def test_duplicate_name_is_a_conflict_and_name_is_immutable(emulator):
    with client(emulator.url) as c:
        created = c.create_dashboard(body("dup"))
        with pytest.raises(errors.Conflict) as info:
            c.create_dashboard(body("dup", title="Another"))
        assert info.value.status == 409 and info.value.code == "already_exists"
        with pytest.raises(errors.InvalidInput) as info:
            c.update_dashboard(created["id"], body("renamed"))
        assert info.value.code == "dashboard_immutable"
    assert len(emulator.by_name("dup")) == 1


def test_pagination_reads_every_page_of_200(emulator):
    for i in range(450):
        emulator.seed({"schemaVersion": "v6", "name": f"d{i}", "image": "", "tags": [],
                       "spec": {"display": {"name": f"D {i}"}, "variables": [], "panels": {}, "layouts": []}})
    with client(emulator.url) as c:
        names = {d["name"] for d in c.list_dashboards()}
    assert len(names) == 450
    assert emulator.calls[LIST] == 3  # 200 + 200 + 50


def test_a_short_page_is_not_the_last_while_the_total_says_more(emulator):
    """A server (or proxy) that pages by fewer than 200: the list goes on to `total`, so a dashboard
    of ours on a later page is found (missing it, push would create a duplicate before SigNoz 0.135)."""
    from signoz_dac.testing.faults import REPLY

    first = emulator.seed(body("first"))
    emulator.seed(body("second"))
    listed = {**first, "spec": {"display": first["spec"]["display"]}}
    emulator.inject(REPLY, route=LIST, status=200,
                    body={"status": "success", "data": {"dashboards": [listed], "total": 2}})
    with client(emulator.url) as c:
        assert sorted(d["name"] for d in c.list_dashboards()) == ["first", "second"]
    assert emulator.calls[LIST] == 2


def test_a_server_that_ignores_offset_is_a_bad_reply_not_a_short_list(emulator):
    """The same page again where the total says more: the list cannot be read whole, and a list cut
    short would hide dashboards of ours (push would create them again before SigNoz 0.135)."""
    from signoz_dac.testing.faults import REPLY

    first = emulator.seed(body("first"))
    listed = {**first, "spec": {"display": first["spec"]["display"]}}
    emulator.inject(REPLY, route=LIST, status=200, times=2,
                    body={"status": "success", "data": {"dashboards": [listed], "total": 2}})
    with client(emulator.url) as c, pytest.raises(errors.BadReply, match="only dashboards already listed"):
        c.list_dashboards()


def test_retry_policy_backoff_is_exponential_jittered_and_bounded():
    policy = RetryPolicy(backoff=1.0, max_backoff=8.0, max_retry_after=30.0)
    rng = random.Random(7)
    for retry, ceiling in [(0, 1.0), (1, 2.0), (2, 4.0), (3, 8.0), (6, 8.0)]:
        delays = [policy.delay(retry, None, rng) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jitter
    assert policy.delay(0, 12.0, rng) == 12.0  # Retry-After wins over backoff
    assert policy.delay(0, 3600.0, rng) == 30.0  # ... within a bound


def test_burst_of_5xx_on_get_is_retried(emulator):
    created = emulator.seed(body("burst"))
    emulator.inject("status", route=GET, times=3, status=503)
    sleep = SleepRecorder()
    with client(emulator.url, sleep=sleep) as c:
        assert c.get_dashboard(created["id"])["name"] == "burst"
    assert emulator.calls[GET] == 4 and len(sleep.waits) == 3


def test_retry_after_is_honoured(emulator):
    emulator.seed(body("slowdown"))
    emulator.inject("status", route=LIST, times=2, status=429, retry_after=7)
    sleep = SleepRecorder()
    retry = RetryPolicy(attempts=5, backoff=0.001, max_backoff=0.002, max_retry_after=60)
    with client(emulator.url, sleep=sleep, retry=retry) as c:
        assert len(c.list_dashboards()) == 1
    assert sleep.waits == [7.0, 7.0]


def test_retries_give_up_after_the_policy_attempts(emulator):
    emulator.inject("status", route=LIST, times=50, status=502)
    with client(emulator.url) as c, pytest.raises(errors.ServerError) as info:
        c.list_dashboards()
    assert info.value.status == 502 and emulator.calls[LIST] == 5


def test_4xx_is_not_retried(emulator):
    with client(emulator.url) as c, pytest.raises(errors.NotFound):
        c.get_dashboard("01890000-0000-7000-8000-000000000000")
    assert emulator.calls[GET] == 1


def test_connection_reset_on_get_is_retried(emulator):
    created = emulator.seed(body("reset"))
    emulator.inject("reset", route=GET, times=2)
    with client(emulator.url) as c:
        assert c.get_dashboard(created["id"])["id"] == created["id"]
    assert emulator.calls[GET] == 3


def test_slow_response_times_out_then_retries(emulator):
    created = emulator.seed(body("slow"))
    emulator.inject("slow", route=GET, delay=SLOW)
    with client(emulator.url, timeout=httpx.Timeout(5.0, read=READ_TIMEOUT)) as c:
        assert c.get_dashboard(created["id"])["id"] == created["id"]
    assert emulator.calls[GET] == 2


def test_put_is_retried_after_a_reset(emulator):
    created = emulator.seed(body("put"))
    emulator.inject("reset", route=UPDATE)
    with client(emulator.url) as c:
        c.update_dashboard(created["id"], body("put", title="After reset"))
    assert emulator.get("put")["spec"]["display"]["name"] == "After reset"


def test_post_committed_but_response_lost_is_reconciled_not_duplicated(emulator):
    emulator.inject("commit_then_drop", route=CREATE)
    with client(emulator.url) as c:
        created = c.create_dashboard(body("lost"))
    assert created["name"] == "lost"
    assert len(emulator.by_name("lost")) == 1
    assert emulator.calls[CREATE] == 1  # reconciled by listing, not by posting again


def test_post_reset_before_commit_is_retried_once_nothing_is_found(emulator):
    emulator.inject("reset", route=CREATE)
    with client(emulator.url) as c:
        c.create_dashboard(body("retry"))
    assert len(emulator.by_name("retry")) == 1 and emulator.calls[CREATE] == 2


def test_post_burst_of_503_then_success(emulator):
    emulator.inject("status", route=CREATE, times=2, status=503)
    with client(emulator.url) as c:
        c.create_dashboard(body("burst-post"))
    assert len(emulator.by_name("burst-post")) == 1 and emulator.calls[CREATE] == 3


def test_post_slow_response_times_out_and_is_reconciled(emulator):
    emulator.inject("slow", route=CREATE, delay=SLOW)
    with client(emulator.url, timeout=httpx.Timeout(5.0, read=READ_TIMEOUT)) as c:
        c.create_dashboard(body("slow-post"))
    assert len(emulator.by_name("slow-post")) == 1 and emulator.calls[CREATE] == 1


def test_post_with_a_name_held_by_someone_else_after_a_lost_response_is_a_conflict(emulator):
    emulator.inject("reset", route=CREATE)
    theirs = body("taken", title="Theirs")
    emulator.seed(theirs)
    ours = body("taken")
    ours["tags"] = [{"key": "team", "value": "voice"}]  # by default, "ours" means: the same tags
    with client(emulator.url) as c, pytest.raises(errors.Conflict):
        c.create_dashboard(ours)
    assert len(emulator.by_name("taken")) == 1


def test_generate_name_bodies_are_never_retried(emulator):
    anonymous = body("")
    anonymous.pop("name")
    anonymous["generateName"] = True
    emulator.inject("reset", route=CREATE)
    with client(emulator.url) as c, pytest.raises(errors.TransportError):
        c.create_dashboard(anonymous)
    assert emulator.calls[CREATE] == 1


def test_retry_after_of_a_503_on_post_is_honoured(emulator):
    emulator.inject("status", route=CREATE, status=503, retry_after=7)
    sleep = SleepRecorder()
    retry = RetryPolicy(attempts=5, backoff=0.001, max_backoff=0.002, max_retry_after=60)
    with client(emulator.url, sleep=sleep, retry=retry) as c:
        c.create_dashboard(body("busy"))
    assert sleep.waits == [7.0] and emulator.calls[CREATE] == 2


def test_an_uncertain_post_is_not_sent_again_where_dashboard_names_are_not_unique():
    """Before SigNoz 0.135 nothing refuses a second dashboard with the name, so finding none right
    after a reset (the first POST may still commit) does not make a second POST safe."""
    with SigNozEmulator(api_keys=KEYS, version="v0.134.0", use_dashboard_v2=True) as emu:
        emu.inject("reset", route=CREATE)
        with client(emu.url) as c, pytest.raises(errors.UncertainCreate, match="run push again"):
            c.create_dashboard(body("old-server"))
        assert emu.calls[CREATE] == 1 and emu.dashboards == {}


@pytest.mark.parametrize("key", [CANARY + "\ninner", "cañary-" + CANARY])
def test_a_key_no_header_can_carry_is_never_quoted_nor_retried(emulator, key):
    sleep = SleepRecorder()
    # httpx refuses such a key when the client is made or when a request is: either way, no key.
    with pytest.raises((ValueError, errors.SigNozError)) as info, client(emulator.url, key, sleep=sleep) as c:
        c.list_dashboards()
    assert CANARY not in str(info.value) and "API key" in str(info.value) and info.value.__cause__ is None
    assert not isinstance(info.value, errors.TransportError)  # a local error: nothing to retry
    assert sleep.waits == [] and sum(emulator.calls.values()) == 0


def test_response_size_is_capped(emulator):
    created = emulator.seed(body("big", panels=None))  # about 50 KB
    with client(emulator.url, max_response_bytes=10_000) as c, pytest.raises(errors.ResponseTooLarge):
        c.get_dashboard(created["id"])
    assert emulator.calls[GET] == 1  # not retried


def test_unreachable_server_is_a_transport_error():
    with SigNozEmulator(api_keys=KEYS) as emu:
        url = emu.url
    sleep = SleepRecorder()
    with client(url, sleep=sleep) as c, pytest.raises(errors.TransportError) as info:
        c.list_dashboards()
    assert len(sleep.waits) == 4 and CANARY not in str(info.value)


def test_error_envelope_mapping_table():
    cases = {400: errors.InvalidInput, 401: errors.AuthError, 403: errors.AuthError, 404: errors.NotFound,
             409: errors.Conflict, 429: errors.RateLimited, 500: errors.ServerError, 501: errors.Unsupported,
             503: errors.ServerError, 418: errors.APIError}
    for status, cls in cases.items():
        err = errors.error_from_response(status, {"status": "error", "error": {"code": "c", "message": "m"}})
        assert type(err) is cls and err.status == status and err.code == "c" and err.message == "m"
    plain = errors.error_from_response(404, "404 page not found\n")
    assert plain.message == "404 page not found" and plain.code is None
    assert str(plain) == "404 page not found"  # not "404 404 page not found"
    locked = errors.error_from_response(400, {"error": {"code": "invalid_input", "message": "cannot update a locked dashboard"}})
    assert isinstance(locked, errors.Locked)


def test_injected_transport_is_used():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.headers.get("SIGNOZ-API-KEY")))
        return httpx.Response(200, json={"version": "v0.138.0", "ee": "Y"})

    with client("https://signoz.example", transport=httpx.MockTransport(handler)) as c:
        assert c.server_version().number == (0, 138, 0)
    assert seen == [("GET", "/api/v1/version", CANARY)]
