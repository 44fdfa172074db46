"""Which APIs the client takes, by SigNoz release and `use_dashboard_v2`: the table itself, and the
client reading a server (its version, its flag, or, for a development build, its routes)."""

from __future__ import annotations

import httpx
import pytest

from signoz_dac.signoz import errors
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.signoz.versions import FLAG_ENV, V1, V2, ServerVersion, choose, parse_version
from signoz_dac.testing import FAST_RETRY, SigNozEmulator
from signoz_dac.testing.emulator import LIST
from signoz_dac.testing.faults import REPLY
from signoz_dac.testing.legacy import FEATURES, V1_LIST

from .support import CANARY, KEYS, client


def _version(raw: str) -> ServerVersion:
    return ServerVersion(raw, parse_version(raw))


# (release, use_dashboard_v2 as read, (dashboards API, rules API, unique names, one panel per update))
TABLE = [
    ("v0.91.1", None, (V1, V1, False, True)),  # the commit tagged 0.92.0
    ("v0.92.0", None, (V1, V1, False, True)),
    ("v0.93.4", None, (V1, V1, False, True)),
    ("v0.94.0", None, (V1, V1, False, False)),
    ("v0.119.2", None, (V1, V1, False, False)),
    ("v0.120.0", None, (V1, V2, False, False)),
    ("v0.126.0", False, (V1, V2, False, False)),
    ("v0.129.0", True, (V2, V2, False, False)),
    ("v0.134.0", None, (V1, V2, False, False)),  # the flag unread: its default, off
    ("v0.134.0", False, (V1, V2, False, False)),
    ("v0.134.0", True, (V2, V2, False, False)),
    ("v0.135.0", None, (V2, V2, True, False)),
    ("v0.138.0", True, (V2, V2, True, False)),  # no such flag any more
    ("v1.2.0-cloud.1", None, (V2, V2, True, False)),
]


@pytest.mark.parametrize(("raw", "flag", "expected"), TABLE, ids=[f"{t[0]}-flag-{t[1]}" for t in TABLE])
def test_the_apis_of_each_release(raw, flag, expected):
    apis = choose(_version(raw), flag)
    assert (apis.dashboards, apis.rules, apis.unique_names, apis.one_panel_per_update) == expected


@pytest.mark.parametrize("raw", ["v0.126.1", "v0.127.0", "v0.128.3"])
def test_the_flag_on_before_v2_dashboards_can_be_listed_has_no_way(raw):
    with pytest.raises(ValueError) as info:
        choose(_version(raw), True)
    message = str(info.value)
    assert message.startswith(f"SigNoz {raw} has use_dashboard_v2 on") and "no list before 0.129.0" in message
    assert f"{FLAG_ENV}=false" in message and "\n" not in message


def test_what_is_said_where_dashboards_take_another_way_than_0135s():
    assert choose(_version("v0.138.0")).note() is None
    v1 = choose(_version("v0.134.0"), False).note()
    assert v1 == ("SigNoz v0.134.0: dashboards go through /api/v1/dashboards as v5 JSON, the format its UI shows "
                  "while use_dashboard_v2 is off")
    assert choose(_version("v0.119.0")).note().endswith("(alert rules through /api/v1/rules)")
    assert "may refuse a dashboard" in choose(_version("v0.130.0"), True).note()
    # What to do about a dashboard with no v5 form: the flag where v2 dashboards can be listed, else upgrade.
    assert f"{FLAG_ENV}=true" in choose(_version("v0.129.0"), False).without_v5()
    assert "upgrade SigNoz to 0.135" in choose(_version("v0.128.0"), False).without_v5()


def _mock(version: str, seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"version": version, "ee": "Y", "setupCompleted": True})

    return httpx.MockTransport(handler)


def test_every_release_below_the_oldest_supported_is_one_line_and_nothing_else_asked():
    releases = [f"v0.{minor}.{patch}" for minor in range(0, 91) for patch in (0, 3)] + ["v0.91.0", "0.9.0", "v0.90.1-rc.1"]
    for raw in releases:
        seen: list[str] = []
        with SigNozClient("https://signoz.example", CANARY, transport=_mock(raw, seen), retry=FAST_RETRY) as c:
            with pytest.raises(errors.UnsupportedVersion) as info:
                c.check_version()
        message = str(info.value)
        assert message.startswith(f"SigNoz {raw} at https://signoz.example is too old"), raw
        assert "SigNoz 0.92.0 or newer" in message and "upgrade SigNoz" in message and "\n" not in message
        assert seen == ["/api/v1/version"]


@pytest.mark.parametrize(
    ("options", "expected", "flag_read"),
    [
        ({"version": "0.138.0"}, (V2, V2, True), False),
        ({"version": "0.134.0"}, (V1, V2, False), True),
        ({"version": "0.134.0", "use_dashboard_v2": True}, (V2, V2, False), True),
        ({"version": "0.126.0"}, (V1, V2, False), True),
        ({"version": "0.120.0"}, (V1, V2, False), False),
        ({"version": "0.119.0"}, (V1, V1, False), False),
    ],
)
def test_the_client_reads_the_release_and_its_flag(options, expected, flag_read):
    with SigNozEmulator(api_keys=KEYS, **options) as emu, client(emu.url) as c:
        c.check_version()
        assert (c.apis.dashboards, c.apis.rules, c.apis.unique_names) == expected
        assert (emu.calls[FEATURES] == 1) == flag_read


def test_the_flag_on_before_v2_dashboards_can_be_listed_stops_before_anything_is_written():
    with SigNozEmulator(api_keys=KEYS, version="0.128.0", use_dashboard_v2=True) as emu, client(emu.url) as c:
        with pytest.raises(errors.UnsupportedVersion, match="turn use_dashboard_v2 off"):
            c.list_dashboards()
        assert emu.writes == 0


def test_a_flag_that_cannot_be_read_counts_as_its_default_with_a_warning():
    with SigNozEmulator(api_keys=KEYS, version="0.134.0", use_dashboard_v2=True) as emu:
        emu.inject(REPLY, route=FEATURES, status=500, body={"status": "error", "error": {"message": "boom"}})
        warned: list[str] = []
        with client(emu.url, on_warning=warned.append) as c:
            c.check_version()
            assert c.apis.dashboards == V1
        [warning] = warned
        assert "cannot read SigNoz's use_dashboard_v2 flag" in warning and "taking its default, off" in warning


def test_a_development_build_is_read_through_its_routes():
    with SigNozEmulator(api_keys=KEYS, version="main-3f2a9c1") as emu:
        with client(emu.url) as c:  # v1 dashboards answer 501: a server of 0.135 or newer
            assert c.check_version().number is None
            assert (c.apis.dashboards, c.apis.rules, c.apis.unique_names) == (V2, V2, True)
        emu.inject(REPLY, route=V1_LIST, status=200, body={"status": "success", "data": []})
        with client(emu.url) as c:  # v1 dashboards are live (and no flag is on): an older build
            c.check_version()
            assert (c.apis.dashboards, c.apis.unique_names) == (V1, False)
        emu.inject(REPLY, route=V1_LIST, status=404, body="404 page not found", content_type="text/plain")
        with client(emu.url) as c:  # only v2 dashboards: names not known to be unique
            c.check_version()
            assert (c.apis.dashboards, c.apis.unique_names) == (V2, False)
        emu.inject(REPLY, route=V1_LIST, status=404, body="404 page not found", content_type="text/plain")
        emu.inject(REPLY, route=LIST, status=404, body="404 page not found", content_type="text/plain")
        with client(emu.url) as c, pytest.raises(errors.UnsupportedVersion, match="has no dashboards API"):
            c.check_version()


def _readme_table() -> list[tuple[str, str, str]]:
    from tests.conftest import REPO

    text = (REPO / "README.md").read_text()
    table = text.split("### SigNoz versions", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return [(release, dashboards, rules) for release, dashboards, rules in rows]


def _releases(cell: str) -> list[tuple[str, bool | None]]:
    """Releases at both ends of a row's range, with the flag the row says."""
    import re

    flag = True if "` on" in cell else False if "` off" in cell else None
    if match := re.match(r"(\d+)\.(\d+) and newer", cell):
        minor = int(match.group(2))
        return [(f"v0.{minor}.0", flag), (f"v0.{minor + 10}.2", flag)]
    if match := re.match(r"before (\d+)\.(\d+)", cell):
        return [(f"v0.{int(match.group(2)) - 1}.0", flag), ("v0.10.0", flag)]
    match = re.match(r"0\.(\d+)–0\.(\d+)", cell)
    assert match, cell
    low, high = int(match.group(1)), int(match.group(2))
    return [(f"v0.{low}.0", flag), (f"v0.{high}.0", flag), (f"v0.{high}.4", flag)]


def test_the_readme_version_table_is_true():
    rows = _readme_table()
    assert len(rows) == 6
    for release, dashboards, rules in rows:
        for raw, flag in _releases(release):
            version = _version(raw)
            if dashboards.startswith("refused"):
                if version.number < (0, 91, 1):
                    seen: list[str] = []
                    with SigNozClient("https://x.example", CANARY, transport=_mock(raw, seen)) as c:
                        with pytest.raises(errors.UnsupportedVersion, match="too old"):
                            c.check_version()
                else:
                    with pytest.raises(ValueError, match="use_dashboard_v2 on"):
                        choose(version, flag)
                continue
            apis = choose(version, flag)
            assert apis.dashboards == (V2 if "/api/v2/dashboards" in dashboards else V1), (release, raw)
            assert ("v6 JSON" if apis.dashboards == V2 else "v5 JSON") in dashboards, (release, raw)
            assert apis.rules == (V2 if rules == "`/api/v2/rules`" else V1), (release, raw)


@pytest.mark.parametrize(("release", "expected"), [("0.134.0", V1), ("0.138.0", V2)])
def test_a_proxy_refusing_the_version_route_is_read_through_the_routes(release, expected):
    """SigNoz serves /api/v1/version to anyone: a 403 there is a proxy hiding it, not the key's
    role, so the client finds the APIs by asking them (as for a server without the route)."""
    from signoz_dac.testing.emulator import VERSION

    with SigNozEmulator(api_keys=KEYS, version=release) as emu:
        emu.inject(REPLY, route=VERSION, status=403, body="blocked by proxy", content_type="text/plain")
        with client(emu.url) as c:
            assert c.check_version() is None
            assert c.apis.dashboards == expected


def test_a_key_refused_at_the_version_route_is_still_a_key_problem():
    from signoz_dac.testing.emulator import VERSION

    with SigNozEmulator(api_keys=KEYS, version="0.134.0") as emu:
        emu.inject(REPLY, route=VERSION, status=401, body={"status": "error", "error": {"code": "unauthenticated",
                                                                                         "message": "bad key"}})
        with client(emu.url) as c, pytest.raises(errors.AuthError):
            c.check_version()
