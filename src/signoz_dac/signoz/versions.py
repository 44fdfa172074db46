"""Which of SigNoz's APIs signoz-dac speaks to a server, decided from its version (and, where it
matters, its `use_dashboard_v2` flag).

SigNoz moved dashboards from v5 JSON on `/api/v1/dashboards` to v6 JSON on `/api/v2/dashboards`
in steps. What each bound means, as read from SigNoz's release tags:

- 0.92.0 (the same commit is also tagged 0.91.1): the first release whose UI and API use v5
  dashboard JSON (the v5 query builder; the v1 POST migrates anything older to it). Older releases
  render dashboards through the v3/v4 query builder, which signoz-dac does not write: the oldest
  supported release.
- 0.94.0: an update made with an API key may remove more than one panel. In 0.92-0.93 the v1 PUT
  refuses to remove more than one panel (a widget with an id and a query) from any caller.
- 0.120.0: `/api/v2/rules`. Before it, the v1 rule routes: `{"rules": [...]}` and `createAt`.
- 0.126.0: the experimental `use_dashboard_v2` flag, off by default. Off, the UI lists and opens v1
  (v5) dashboards only: one created through `/api/v2` is missing from the list and opens empty. On,
  it shows v2 (v6) dashboards only: a v5 one is listed as "Legacy" and cannot be opened.
- 0.127.0, 0.128.0, 0.129.0: `/api/v2/dashboards` arrives (create and get; update and lock; list and
  delete). Its v6 schema is not yet 0.135's, so a body made for 0.135 may be refused.
- 0.135.0: v6 only. `/api/v1/dashboards` answers 501, the flag is gone, stored dashboards were
  converted to v6, and dashboard names are unique per organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OLDEST = (0, 91, 1)  # the commit tagged 0.92.0
API_KEYS_MAY_REMOVE_PANELS_SINCE = (0, 94, 0)
V2_RULES_SINCE = (0, 120, 0)
FLAG_SINCE = (0, 126, 0)
V2_DASHBOARD_LIST_SINCE = (0, 129, 0)
V6_SINCE = (0, 135, 0)  # also: unique dashboard names (SigNoz's migration 103)
SUPPORTED = "SigNoz 0.92.0 or newer (0.91.1 is the same release)"

FLAG = "use_dashboard_v2"
FLAG_ENV = "SIGNOZ_FLAGGER_CONFIG_BOOLEAN_USE__DASHBOARD__V2"
TURN_FLAG_ON = (f"set {FLAG_ENV}=true in SigNoz's environment (or flagger.config.boolean.{FLAG}: true in its "
                "configuration) and restart SigNoz")
TURN_FLAG_OFF = f"set {FLAG_ENV}=false (or remove it) and restart SigNoz"

V1 = "v1"
V2 = "v2"


@dataclass(frozen=True)
class ServerVersion:
    raw: str
    number: tuple[int, int, int] | None  # None when the build string carries no release number

    def __str__(self) -> str:
        return self.raw


_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)(?:\.(\d+))?")


def parse_version(raw: str) -> tuple[int, int, int] | None:
    """`v0.138.0-abc123` -> (0, 138, 0). Local builds report `<branch>-<sha>`: None."""
    match = _VERSION_RE.match(raw.strip().split("-")[0])
    if not match:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def dotted(number: tuple[int, int, int]) -> str:
    return ".".join(map(str, number))


@dataclass(frozen=True)
class Apis:
    """What a server speaks, as signoz-dac uses it.

    `dashboards` and `rules`: V1 or V2. `unique_names`: the server refuses a second dashboard with
    a name (0.135+). `one_panel_per_update`: an update may remove at most one panel (0.92-0.93).
    `flag`: `use_dashboard_v2` as read (None: not read, or the server has no such flag).
    `version`: the server's version string, for messages.
    """

    dashboards: str = V2
    rules: str = V2
    unique_names: bool = True
    one_panel_per_update: bool = False
    flag: bool | None = None
    version: str = ""
    number: tuple[int, int, int] | None = None

    def note(self) -> str | None:
        """One line for the user where dashboards do not take 0.135's way; None where they do."""
        rules = " (alert rules through /api/v1/rules)" if self.rules == V1 else ""
        if self.dashboards == V1:
            shown = f" while {FLAG} is off" if self.flag is not None else ""
            return (f"SigNoz {self.version}: dashboards go through /api/v1/dashboards as v5 JSON, the format its "
                    f"UI shows{shown}{rules}")
        if self.flag:
            return (f"SigNoz {self.version} has {FLAG} on: dashboards go through /api/v2/dashboards as v6 JSON, "
                    f"which its UI then shows; this release's v6 schema is older than the one signoz-dac writes, "
                    f"so it may refuse a dashboard (push names it){rules}")
        return None

    def without_v5(self) -> str:
        """What a user can do about a dashboard that has no v5 form, on this server."""
        if self.number is not None and V2_DASHBOARD_LIST_SINCE <= self.number < V6_SINCE:
            return (f"change the definition, or push v6 dashboards through /api/v2 instead: turn {FLAG} on, "
                    f"{TURN_FLAG_ON} (SigNoz's UI then shows v6 dashboards only)")
        return "change the definition, or upgrade SigNoz to 0.135 or newer (v6 dashboards)"


def too_old(version: ServerVersion, url: str) -> str:
    return (f"SigNoz {version.raw} at {url} is too old: signoz-dac supports {SUPPORTED}, the first release "
            f"whose dashboards are v5 JSON (older ones use a query format signoz-dac does not write); upgrade SigNoz")


def flag_on_without_list(version: str) -> str:
    return (f"SigNoz {version} has {FLAG} on, so its UI shows only dashboards made through /api/v2, but that "
            f"API has no list before 0.129.0, so signoz-dac could not find its dashboards again: upgrade SigNoz "
            f"(to 0.135 or newer), or turn {FLAG} off ({TURN_FLAG_OFF}) to push v5 dashboards through /api/v1")


def choose(version: ServerVersion, flag: bool | None = None) -> Apis:
    """The APIs for a release (`version.number` must be known and at least OLDEST). `flag` is
    `use_dashboard_v2` as read from the server; None (unknown) counts as its default, off.
    Raises ValueError with the reason when no API can put dashboards where its UI shows them."""
    number = version.number
    assert number is not None and number >= OLDEST
    rules = V2 if number >= V2_RULES_SINCE else V1
    if number >= V6_SINCE:
        return Apis(V2, rules, unique_names=True, version=version.raw, number=number)
    flag = flag if number >= FLAG_SINCE else None
    if flag:
        if number < V2_DASHBOARD_LIST_SINCE:
            raise ValueError(flag_on_without_list(version.raw))
        return Apis(V2, rules, unique_names=False, flag=True, version=version.raw, number=number)
    return Apis(V1, rules, unique_names=False, one_panel_per_update=number < API_KEYS_MAY_REMOVE_PANELS_SINCE,
                flag=False if number >= FLAG_SINCE else None, version=version.raw, number=number)
