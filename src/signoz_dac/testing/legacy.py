"""What the emulator serves as SigNoz releases before 0.135 do: the v1 dashboards API, the v1 rules
API and the feature flags, over the same store as the v2 routes (SigNoz keeps v1 and v2
dashboards in one table, and rules in one table whichever API wrote them).

v1 dashboards (read from SigNoz 0.134's source):
- a stored v1 dashboard is `{id, createdAt, updatedAt, createdBy, updatedBy, data, locked, org_id,
  source}`, its `data` kept as sent (POST migrates a body whose `version` is not "v5": here, it
  gets `version: "v5"` and variable names without spaces, and a builder widget without
  `panelTypes` is a 500, as in SigNoz); no name, no schema check, duplicate titles allowed;
- malformed JSON or a body that is not an object is a 500, not a 400;
- PUT replaces `data` whole and refuses a locked dashboard; it may remove at most one panel (a
  widget with an id and a query) when the caller signs in with a login token (`Authorization:
  Bearer`, here any configured key) and, before 0.94.0, whoever calls;
- DELETE answers 204 and refuses a locked dashboard; `PUT .../lock` takes `{"lock": bool}` and is
  allowed to the creator or an admin;
- the list (one list, no pages) holds v2 dashboards too, with `{metadata, spec}` as their data;
  the v2 list shows v1 dashboards with `legacy: true` and their title as display name, and the v2
  routes answer 501 `dashboard_invalid_data` for a v1 dashboard's id.
v1 rules: `{"rules": [...]}`, the audit fields spelled `createAt`, `updateAt`, `createBy`,
`updateBy`, PUT and DELETE answered 200 with a sentence, and the older error envelope
`{"status":"error","errorType","error"}`. Feature flags: `GET /api/v1/features`, with
`use_dashboard_v2` from 0.126 to 0.134.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from signoz_dac.signoz.dashboards_v1 import from_v1, identity, removed_panels, to_v1
from signoz_dac.signoz.owned import DASHBOARD_SERVER_FIELDS, RULE_AUDIT_V1_SPELLING
from signoz_dac.signoz.versions import API_KEYS_MAY_REMOVE_PANELS_SINCE, FLAG, FLAG_SINCE, V6_SINCE
from signoz_dac.testing.basics import Reply, clone, now, uuid7

if TYPE_CHECKING:
    from signoz_dac.testing.emulator import SigNozEmulator

V1_LIST = "GET /api/v1/dashboards"
V1_CREATE = "POST /api/v1/dashboards"
V1_GET = "GET /api/v1/dashboards/{id}"
V1_UPDATE = "PUT /api/v1/dashboards/{id}"
V1_DELETE = "DELETE /api/v1/dashboards/{id}"
V1_LOCK = "PUT /api/v1/dashboards/{id}/lock"  # lock and unlock: the body says which
V1_DASHBOARD_ROUTES = frozenset({V1_LIST, V1_CREATE, V1_GET, V1_UPDATE, V1_DELETE, V1_LOCK})
V1_RULES_LIST = "GET /api/v1/rules"
V1_RULE_CREATE = "POST /api/v1/rules"
V1_RULE_GET = "GET /api/v1/rules/{id}"
V1_RULE_UPDATE = "PUT /api/v1/rules/{id}"
V1_RULE_DELETE = "DELETE /api/v1/rules/{id}"
V1_RULE_ROUTES = frozenset({V1_RULES_LIST, V1_RULE_CREATE, V1_RULE_GET, V1_RULE_UPDATE, V1_RULE_DELETE})
FEATURES = "GET /api/v1/features"


def is_v1_row(row: dict[str, Any]) -> bool:
    """A stored dashboard kept in v1's form (its v5 JSON in `data`)."""
    return "data" in row


def v1_reply(row: dict[str, Any]) -> dict[str, Any]:
    """A stored dashboard as the v1 API returns it (a v2 one with `{metadata, spec}` as its data)."""
    out = {k: row[k] for k in ("id", "createdAt", "updatedAt", "createdBy", "updatedBy", "locked", "source")}
    out["org_id"] = row["orgId"]
    if is_v1_row(row):
        out["data"] = row["data"]
    else:
        out["data"] = {"metadata": {"schemaVersion": row["schemaVersion"], "image": row.get("image", "")},
                       "spec": row["spec"]}
    return out


def v6_view(row: dict[str, Any]) -> dict[str, Any]:
    """A stored dashboard as signoz-dac reads it: a v1 one through SigNoz's v5 -> v6 conversion."""
    return from_v1(v1_reply(row)) if is_v1_row(row) else row


def v1_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A stored rule as /api/v1/rules returns it: the audit fields spelled the older way."""
    return {RULE_AUDIT_V1_SPELLING.get(k, k): v for k, v in rule.items()}


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """What SigNoz's v1 POST does to a body whose `version` is not "v5" (its v4 -> v5 migrator), as
    far as the emulator follows it."""
    if data.get("version") == "v5":
        return data
    for widget in data.get("widgets") or []:
        if isinstance(widget, dict) and isinstance(widget.get("query"), dict) and "panelTypes" not in widget:
            # SigNoz's migrator asserts panelTypes is a string: the handler panics, recovered as a 500.
            raise Reply(500, "internal", "internal", "internal server error")
    for variable in (data.get("variables") or {}).values():
        if isinstance(variable, dict) and isinstance(variable.get("name"), str):
            variable["name"] = variable["name"].replace(" ", "")
    return {**data, "version": "v5"}


class LegacyRoutes:
    # The methods take `self: SigNozEmulator`, the one class that mixes this in; mypy asks a self type
    # to be a supertype of the class, so each such def carries `type: ignore[misc]`.
    """The v1 routes of `SigNozEmulator` (a mixin: it works on the emulator's store)."""

    def serves_v1_dashboards(self: SigNozEmulator) -> bool:  # type: ignore[misc]
        return not self._at_least(V6_SINCE)

    def flag_active(self: SigNozEmulator) -> bool | None:  # type: ignore[misc]
        """`use_dashboard_v2` on this release (None: it has no such flag)."""
        return self.use_dashboard_v2 if self._at_least(FLAG_SINCE) and not self._at_least(V6_SINCE) else None

    def features(self: SigNozEmulator) -> list[dict[str, Any]]:  # type: ignore[misc]
        """`GET /api/v1/features`: here only the flag signoz-dac reads, on the releases that have it."""
        flag = self.flag_active()
        return [] if flag is None else [{"name": FLAG, "active": flag, "usage": 0, "usage_limit": -1, "route": ""}]

    # -- dashboards ------------------------------------------------------------------------------

    def store_v1(self: SigNozEmulator, data: dict[str, Any], *, by: str) -> dict[str, Any]:  # type: ignore[misc]
        stamp = now()
        row: dict[str, Any] = {"id": uuid7(), "createdAt": stamp, "updatedAt": stamp, "createdBy": by, "updatedBy": by,
               "orgId": self.org_id, "locked": False, "source": "user", "tags": [], "data": data}
        row["name"] = identity(data) or ""  # the emulator's index; v1 itself has no name
        self.dashboards[row["id"]] = row
        return row

    def v1_data_of(self: SigNozEmulator, body: dict[str, Any]) -> dict[str, Any]:  # type: ignore[misc]
        """The v5 JSON signoz-dac would store for a v6 body (its name in the identity tag)."""
        return to_v1({k: v for k, v in body.items() if k not in DASHBOARD_SERVER_FIELDS})

    def handle_v1_dashboard(self: SigNozEmulator, route: str, ident: str | None, body: Any, writer: str,  # type: ignore[misc]
                            *, role: str, login: bool) -> tuple[int, Any]:
        if route == V1_LIST:
            return 200, [clone(v1_reply(d)) for d in self.dashboards.values() if d["source"] != "system"]
        if route == V1_CREATE:
            data = _migrate(_object(body))
            return 201, clone(v1_reply(self.store_v1(clone(data), by=writer)))
        assert ident is not None
        row = self._find(ident)
        if route == V1_GET:
            return 200, clone(v1_reply(row))
        if route == V1_UPDATE:
            data = _object(body)
            if row["locked"]:
                raise Reply(400, "invalid-input", "invalid_input",
                            "cannot update a locked dashboard, please unlock the dashboard to update")
            if row["source"] == "integration":
                raise Reply(400, "invalid-input", "dashboard_immutable", "integration dashboards cannot be updated")
            old = row["data"] if is_v1_row(row) else {}
            limited = login or not self._at_least(API_KEYS_MAY_REMOVE_PANELS_SINCE)
            if limited and len(removed_panels(old, data)) > 1:
                raise Reply(400, "invalid-input", "invalid_input", "deleting more than one panel is not supported")
            if not is_v1_row(row):  # a v2 dashboard PUT through v1 becomes a v1 one, its name column reset
                for key in ("schemaVersion", "image", "spec"):
                    row.pop(key, None)
                row["tags"] = []
            row.update(data=clone(data), name=identity(data) or "", updatedAt=now(), updatedBy=writer)
            return 200, clone(v1_reply(row))
        if route == V1_DELETE:
            if row["locked"]:
                raise Reply(400, "invalid-input", "invalid_input", "dashboard is locked, please unlock the dashboard to delete it")
            del self.dashboards[ident]
            return 204, None
        # V1_LOCK
        payload = _object(body)
        if not isinstance(payload.get("lock"), bool):
            raise Reply(400, "invalid-input", "invalid_input", "lock is missing in the request payload")
        if row["source"] != "user":
            raise Reply(400, "invalid-input", "dashboard_immutable", f"{row['source']} dashboards cannot be locked")
        if role != "admin" and row["createdBy"] != writer:
            raise Reply(403, "forbidden", "forbidden", "you are not authorized to lock/unlock this dashboard")
        row["locked"] = payload["lock"]
        return 200, None


def v1_rule_reply(route: str, data: Any) -> tuple[int, Any]:
    """What the v1 rule route answers, given what its v2 counterpart answered: always 200."""
    if route == V1_RULES_LIST:
        return 200, {"rules": [v1_rule(r) for r in data]}
    if route == V1_RULE_UPDATE:
        return 200, "rule successfully edited"
    if route == V1_RULE_DELETE:
        return 200, "rule successfully deleted"
    return 200, v1_rule(data)


def _object(body: Any) -> dict[str, Any]:
    # The v1 handlers hand json.Decode's error straight to the renderer: an internal error, a 500.
    if not isinstance(body, dict):
        raise Reply(500, "internal", "unknown", "json: cannot unmarshal the request body into a dashboard")
    return body
