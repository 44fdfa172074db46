"""SigNoz's v1 dashboards API (`/api/v1/dashboards`, SigNoz 0.92-0.134), presented to the rest of
signoz-dac in the shape of the v2 API, so that plan, apply, diff and pull have one path.

What v1 is like (read from SigNoz 0.134's source, `pkg/modules/dashboard/impldashboard`):
- A dashboard is `{id, createdAt, updatedAt, createdBy, updatedBy, data, locked, org_id, source}`;
  `data` is the v5 JSON, stored as sent. The server makes the id; titles need not be unique, and
  there is no `name`. The list has no pages and no filter.
- POST answers 201 with the dashboard; PUT replaces `data` whole (200); DELETE answers 204; a
  locked dashboard refuses PUT and DELETE; lock and unlock are `PUT .../{id}/lock` with
  `{"lock": true|false}`, allowed to the creator or an admin.
- A PUT made with a user's login token may remove at most one panel (a widget with an id and a
  query); API keys are exempt from 0.94.0 on, and signoz-dac always sends an API key. In 0.92-0.93
  the limit applies to every caller, so an update removing more is refused before it is sent.
- The list also holds dashboards made through `/api/v2` (0.127+), with `{metadata, spec}` as their
  data and neither tags nor name: the UI with `use_dashboard_v2` off does not show them, and they
  are left out here.

How it is presented:
- Identity is a tag, `signoz-dac-name:<name>`, which push adds to the v5 tags on every write: it
  becomes the dashboard's `name` on read and is not among its tags. A dashboard without it has
  the name "" (nobody's name); pull names such a dashboard after its title (`name_after_title`),
  and push takes that name as held by it, for `--adopt`.
- On read, `data` becomes v6 through SigNoz's own v5 -> v6 conversion (`convert_v5_to_v6`); a
  `data` that conversion refuses (edited by hand into something else) is presented with its title,
  description and tags only, so it reads as changed, never as ours and unchanged.
- On write, the v6 body becomes v5 through `to_v5`. Push first passes its bodies through
  `read_back` (SigNoz's conversion of our v5 form), so that what it compares, hashes and writes is
  exactly what it will read back: an unchanged dashboard is then never written again. What that
  conversion does not carry (`signoz.v5.write.not_carried`: panel links, some order keys, fields no
  SigNoz UI reads) is therefore not written through v1 either.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz import replies
from signoz_dac.signoz.errors import InvalidInput, ResponseTooLarge, UnsupportedVersion
from signoz_dac.signoz.v5.convert import convert_tags, convert_v5_to_v6, name_from_title
from signoz_dac.signoz.v5.read import as_dict, as_list, as_text

if TYPE_CHECKING:
    from collections.abc import Callable

    from signoz_dac.signoz.client import SigNozClient
    from signoz_dac.signoz.versions import Apis

DASHBOARDS_V1 = "/api/v1/dashboards"
IDENTITY_KEY = "signoz-dac-name"
_AUDIT = ("createdAt", "updatedAt", "createdBy", "updatedBy")


# --- the v5 JSON and its identity tag --------------------------------------------------------------


def _identity_of(tag: Any) -> str | None:
    text = as_text(tag)
    key, sep, value = text.partition(":")
    return value.strip() if sep and key.strip().lower() == IDENTITY_KEY else None


def identity(data: dict[str, Any]) -> str | None:
    """The name signoz-dac gave a v5 dashboard (its identity tag), if it carries one."""
    for tag in as_list(data.get("tags")):
        name = _identity_of(tag)
        if name:
            return name
    return None


def name_after_title(title: Any) -> str:
    """The name a dashboard without one (a v1 dashboard push did not write) is known by: import and
    pull name it after its title, and push takes that name as held by it (to be `--adopt`ed)."""
    return (name_from_title(title) if isinstance(title, str) else "") or "dashboard"


def without_identity(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "tags": [t for t in as_list(data.get("tags")) if _identity_of(t) is None]}


def _v5(body: dict[str, Any]) -> dict[str, Any]:
    """`to_v5` without its NotCarried warning: push writes read-back bodies, which lose nothing more.
    Raises SchemaError for what v5 cannot hold."""
    from signoz_dac.signoz.v5.write import to_v5

    return to_v5(body, warn=False)


def to_v1(body: dict[str, Any]) -> dict[str, Any]:
    """The v5 JSON to store for a v6 body: `to_v5`, with the body's name as the identity tag."""
    data = _v5(body)
    data["tags"] = [*data["tags"], f"{IDENTITY_KEY}:{body['name']}"]
    return data


def is_v5(data: dict[str, Any]) -> bool:
    """A v1 row's data holds v5 JSON (not a dashboard made through /api/v2, `{metadata, spec}`)."""
    return "spec" not in data and "metadata" not in data and "schemaVersion" not in data


def summary(row: dict[str, Any]) -> dict[str, Any] | None:
    """A v1 dashboard in the v2 list's shape; None for a dashboard made through /api/v2."""
    data = as_dict(row.get("data"))
    if not is_v5(data):
        return None
    plain = without_identity(data)
    return {
        **_server_fields(row),
        "name": identity(data) or "",
        "tags": convert_tags(plain.get("tags")) or [],
        "spec": {"display": _display(data)},
        "legacy": False,
    }


def _display(data: dict[str, Any]) -> dict[str, str]:
    return {"name": as_text(data.get("title")), "description": as_text(data.get("description"))}


def from_v1(row: dict[str, Any]) -> dict[str, Any]:
    """A v1 dashboard as a v6 GET reply: SigNoz's conversion of its data, named by its identity tag."""
    data = as_dict(row.get("data"))
    name = identity(data)
    plain = without_identity(data)
    try:
        body = convert_v5_to_v6(plain, name=name)
    except SchemaError:
        # Not convertible (edited by hand, or not v5 at all): what can be read, which never hashes
        # like a dashboard we wrote.
        body = {"schemaVersion": "", "tags": convert_tags(plain.get("tags")) or [], "spec": {"display": _display(data)}}
    return {**_server_fields(row), **body, "name": name or ""}


def _server_fields(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row.get("id"), **{k: row.get(k) for k in _AUDIT if k in row}}
    out["orgId"] = row.get("org_id")
    out["locked"] = bool(row.get("locked"))
    out["source"] = row.get("source") or "user"
    return out


def _panels(data: dict[str, Any]) -> set[str]:
    """The widgets SigNoz counts as panels when it limits removals: those with an id and a query."""
    return {as_text(w.get("id")) for w in map(as_dict, as_list(data.get("widgets"))) if w.get("id") and w.get("query")}


def removed_panels(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return sorted(_panels(old) - _panels(new))


# --- the API ----------------------------------------------------------------------------------------


class V1Dashboards:
    """The dashboard calls of `SigNozClient`, over `/api/v1/dashboards` (see the module's docstring).
    It sends through the client's plumbing: the same retries, limits, checks and redaction."""

    def __init__(self, client: SigNozClient, apis: Apis):
        self._client = client
        self._apis = apis

    def read_back(self, body: dict[str, Any]) -> dict[str, Any]:
        """The v6 body push will read back once `body` is stored as v5: SigNoz's conversion of our
        v5 form. A SchemaError, with what to do, when the body has no v5 form."""
        try:
            data = _v5(body)
        except SchemaError as exc:
            what = f"dashboard {body.get('name')!r} has no v5 form, the dashboards SigNoz {self._apis.version} shows"
            raise SchemaError([*exc.issues, Issue("", f"to push it: {self._apis.without_v5()}")], what) from None
        return convert_v5_to_v6(data, name=body["name"])

    def list(self) -> list[dict[str, Any]]:
        try:
            rows = self._client._call(replies.v1_dashboard_list, "GET", DASHBOARDS_V1)
        except ResponseTooLarge as exc:
            raise ResponseTooLarge(
                f"{exc.message}: SigNoz {self._apis.version} lists every dashboard in one reply, with all of its "
                "JSON; one that holds megabytes of text (probably in its description) makes that too large to "
                "read: shrink or delete it in SigNoz", method=exc.method, path=exc.path,
            ) from None
        return [s for s in map(summary, rows) if s is not None]

    def find_by_name(self, name: str) -> builtins.list[dict[str, Any]]:
        return [d for d in self.list() if d["name"] == name]

    def _row(self, dashboard_id: str) -> dict[str, Any]:
        return self._client._call(replies.v1_dashboard, "GET", f"{DASHBOARDS_V1}/{dashboard_id}")

    def get(self, dashboard_id: str) -> dict[str, Any]:
        return from_v1(self._row(dashboard_id))

    def stored(self, dashboard_id: str) -> dict[str, Any]:
        """The v5 JSON of a dashboard, as stored (its identity tag included)."""
        return as_dict(self._row(dashboard_id).get("data"))

    def create(self, body: dict[str, Any], *, matches: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """POST, never sent twice: v1 refuses no duplicate, so a POST whose fate is uncertain is
        looked for (by identity tag, then `matches`) and otherwise reported (UncertainCreate)."""
        name = body["name"]
        row = self._client._create(
            DASHBOARDS_V1, to_v1(body), find=lambda: self.find_by_name(name), get=self._row, matches=matches,
            what=f"a dashboard named {name!r}", unique=lambda: False,
        )
        return from_v1(row)

    def update(self, dashboard_id: str, body: dict[str, Any]) -> dict[str, Any]:
        data = to_v1(body)
        path = f"{DASHBOARDS_V1}/{dashboard_id}"
        if self._apis.one_panel_per_update:
            removed = removed_panels(as_dict(self._row(dashboard_id).get("data")), data)
            if len(removed) > 1:
                raise UnsupportedVersion(
                    f"SigNoz {self._apis.version} lets one update remove at most one panel, and this one removes "
                    f"{len(removed)} ({', '.join(removed)}): nothing was written; upgrade SigNoz to 0.94.0 or newer, "
                    "or remove them from the definition one push at a time", method="PUT", path=path,
                )
        try:
            row = self._client._call(replies.v1_dashboard, "PUT", path, content=_encode(data))
        except InvalidInput as exc:
            if "more than one panel" in exc.message:
                exc.message += (" (SigNoz applies this limit to a user's login token, not to an API key: use a "
                                "service-account key in SIGNOZ_API_KEY)")
                exc.args = (exc.message,)
            raise
        return from_v1(row)

    def delete(self, dashboard_id: str) -> None:
        self._client._request("DELETE", f"{DASHBOARDS_V1}/{dashboard_id}", expect=(204, 200), gone_ok_on_retry=True)

    def set_locked(self, dashboard_id: str, locked: bool) -> None:
        self._client._request("PUT", f"{DASHBOARDS_V1}/{dashboard_id}/lock", content=_encode({"lock": locked}),
                              expect=(200, 204))


def _encode(body: dict[str, Any]) -> bytes:
    from signoz_dac.signoz.client import encode_body

    return encode_body(body)
