"""The two kinds of resource push deploys, dashboards and alert rules: what differs between them,
behind one interface, so that planning, applying and diffing are written once (plan.py, apply.py).

What differs:
- identity: a dashboard's `name` (unique per organisation from SigNoz 0.135); a rule's identity
  labels, "<dashboard name>/<rule id>" (SigNoz gives rules server-made ids and no unique name);
- where signoz-dac's marks live (managed, set, content hash): a dashboard's tags, a rule's labels
  (see `signoz_dac.identity`);
- the server's calls, and whether its list returns full copies (rules) or summaries that must be
  fetched one by one before they can be compared (dashboards);
- a rule with our title but not our identity labels is someone else's rule a user may `--adopt`;
  a dashboard's name is its identity, but before SigNoz 0.135 one push did not write has none,
  and one whose title gives the name (as pull names it) may be `--adopt`ed likewise;
- several rules with one identity are cleaned up (pushes that raced before push took a lock);
  several dashboards with one name (before 0.135) are a conflict for a person to resolve;
- only dashboards can be locked.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from signoz_dac.errors import InputError
from signoz_dac.identity import (
    DEFAULT_SET,
    HASH_LABEL,
    HASH_TAG,
    MANAGED_LABEL,
    MANAGED_TAG,
    MANAGED_VALUE,
    SET_LABEL,
    SET_TAG,
    label,
    rule_key,
    tag,
)
from signoz_dac.safetext import printable
from signoz_dac.signoz.dashboards_v1 import IDENTITY_KEY, name_after_title
from signoz_dac.signoz.errors import NotFound, SigNozError
from signoz_dac.signoz.names import MAX_TAGS
from signoz_dac.sync.canonical import canonical, digest

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient

Body = dict[str, Any]


class Kind:
    """A kind of resource: its identity, its marks, its server calls. Subclasses fill in the hooks;
    stamping and hashing are written here once."""

    name: str  # "dashboard" or "rule": what reports call it
    plural: str
    managed_key: str  # the names of our marks, as tag keys or label names
    set_key: str
    hash_key: str
    mark_word: str  # "tag" or "label"
    identity_word: str  # what a message calls its identity: "name" or "identity"
    lockable = False
    cleans_duplicates = False  # several server copies with one identity: clean up, or conflict?
    full_listing = False  # does the list return full copies?
    rule_shaped = False  # for the canonical form: SigNoz's stored rule, or its stored dashboard

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    # -- hooks ---------------------------------------------------------------------------------

    def key(self, resource: Body) -> str | None:
        """The identity push finds a resource by; None when it has none (a rule not ours)."""
        raise NotImplementedError

    def title(self, resource: Body) -> str:
        raise NotImplementedError

    def mark(self, resource: Body, key: str) -> str | None:
        raise NotImplementedError

    def _with_marks(self, body: Body, marks: Mapping[str, str]) -> Body:
        """A copy of `body` with our marks replaced by `marks`."""
        raise NotImplementedError

    def check_stampable(self, body: Body) -> None:
        """InputError when push could not stamp `body` (or find it again afterwards)."""

    def as_read_back(self, client: SigNozClient, body: Body) -> Body:
        """`body` as this server will give it back once written."""
        return body

    def list(self, client: SigNozClient) -> list[Body]:
        raise NotImplementedError

    def get(self, client: SigNozClient, resource_id: str) -> Body:
        raise NotImplementedError

    def create(self, client: SigNozClient, body: Body, matches: Callable[[Body], bool]) -> Body:
        raise NotImplementedError

    def update(self, client: SigNozClient, resource_id: str, body: Body) -> None:
        raise NotImplementedError

    def delete(self, client: SigNozClient, resource_id: str) -> None:
        raise NotImplementedError

    def namesakes(self, server: builtins.list[Body], body: Body) -> builtins.list[Body]:
        """Resources not ours that hold `body`'s title, which `--adopt` may take over."""
        return []

    def namesake_conflict(self, body: Body, namesakes: builtins.list[Body]) -> str:
        """Why namesakes block a create (a conflict's reason)."""
        title = self.title(body)
        if len(namesakes) > 1:
            return f"{len(namesakes)} {self.plural} are named {title!r}; delete all but one"
        return (f"the name {title!r} is held by a {self.name} not managed by signoz-dac "
                f"(id {namesakes[0].get('id')}); --adopt takes it over")

    def locked(self, resource: Body) -> bool:
        return False

    def lock(self, client: SigNozClient, resource_id: str) -> None:
        raise NotImplementedError(f"a {self.name} cannot be locked")

    def unlock(self, client: SigNozClient, resource_id: str) -> None:
        raise NotImplementedError(f"a {self.name} cannot be locked")

    # -- written once --------------------------------------------------------------------------

    @property
    def mark_keys(self) -> tuple[str, str, str]:
        return self.managed_key, self.set_key, self.hash_key

    def managed(self, resource: Body) -> bool:
        return self.mark(resource, self.managed_key) == MANAGED_VALUE

    def set_of(self, resource: Body) -> str | None:
        """The definition set that pushed it; None for one pushed before sets existed (or not ours)."""
        return self.mark(resource, self.set_key)

    def recorded_hash(self, resource: Body) -> str | None:
        """The content hash it carries, if any."""
        return self.mark(resource, self.hash_key)

    def content_hash(self, resource: Body) -> str:
        """The hash of its canonical content, its own hash mark excluded (a mark cannot hash itself)."""
        return digest(canonical(resource, drop=frozenset({self.hash_key}), rule=self.rule_shaped))

    def stamp(self, body: Body, set_name: str = DEFAULT_SET) -> Body:
        """A copy of `body` marked as managed by signoz-dac, in `set_name`, with the hash of its content."""
        self.check_stampable(body)
        marked = self._with_marks(body, {self.managed_key: MANAGED_VALUE, self.set_key: set_name})
        return self._with_marks(marked, {self.managed_key: MANAGED_VALUE, self.set_key: set_name,
                                         self.hash_key: self.content_hash(marked)})

    def find(self, client: SigNozClient, key: str) -> builtins.list[Body]:
        """What holds identity `key` on the server now."""
        return [r for r in self.list(client) if self.key(r) == key]

    def delete_surely(self, client: SigNozClient, resource_id: str) -> None:
        """DELETE, and nothing left is success. When it failed in a way that may have committed
        (its replies lost), a read that finds nothing means it did; otherwise its error is raised."""
        try:
            self.delete(client, resource_id)
        except NotFound:
            return  # gone already
        except SigNozError as exc:
            try:
                self.get(client, resource_id)
            except NotFound:
                return
            except SigNozError:
                pass
            raise exc from None


class Dashboards(Kind):
    name, plural, mark_word, identity_word = "dashboard", "dashboards", "tag", "name"
    managed_key, set_key, hash_key = MANAGED_TAG, SET_TAG, HASH_TAG
    lockable = True

    def key(self, resource: Body) -> str | None:
        name = resource.get("name")
        return name if isinstance(name, str) else None

    def title(self, resource: Body) -> str:
        return str(((resource.get("spec") or {}).get("display") or {}).get("name") or "")

    def mark(self, resource: Body, key: str) -> str | None:
        return tag(resource, key)

    # Push's marks, and the tag that names a dashboard before SigNoz 0.135 (v1 API): push writes them
    # all itself, so a body carrying its own (an export of a dashboard SigNoz converted on upgrade
    # keeps it) cannot rename what push writes there.
    def _user_tags(self, body: Body) -> builtins.list[Any]:
        ours = {*self.mark_keys, IDENTITY_KEY}
        return [t for t in body.get("tags") or [] if not (isinstance(t, dict) and
                                                            str(t.get("key", "")).strip().lower() in ours)]

    def _with_marks(self, body: Body, marks: Mapping[str, str]) -> Body:
        return {**body, "tags": [*self._user_tags(body), *({"key": k, "value": v} for k, v in marks.items())]}

    def check_stampable(self, body: Body) -> None:
        user_tags = self._user_tags(body)
        if len(user_tags) + len(self.mark_keys) > MAX_TAGS:
            raise InputError(
                f"dashboard {body.get('name')!r} has {len(user_tags)} tags; SigNoz allows {MAX_TAGS} and "
                f"signoz-dac needs {len(self.mark_keys)} of them ({', '.join(self.mark_keys)})"
            )

    def as_read_back(self, client: SigNozClient, body: Body) -> Body:
        return client.as_read_back(body)  # before 0.135: SigNoz's conversion of the v5 form written

    def list(self, client: SigNozClient) -> builtins.list[Body]:
        return client.list_dashboards()

    def get(self, client: SigNozClient, resource_id: str) -> Body:
        return client.get_dashboard(resource_id)

    def find(self, client: SigNozClient, key: str) -> builtins.list[Body]:
        return client.find_by_name(key)

    def create(self, client: SigNozClient, body: Body, matches: Callable[[Body], bool]) -> Body:
        return client.create_dashboard(body, matches=matches)

    def update(self, client: SigNozClient, resource_id: str, body: Body) -> None:
        client.update_dashboard(resource_id, body)

    def delete(self, client: SigNozClient, resource_id: str) -> None:
        client.delete_dashboard(resource_id)

    def locked(self, resource: Body) -> bool:
        return bool(resource.get("locked"))

    def namesakes(self, server: builtins.list[Body], body: Body) -> builtins.list[Body]:
        # Before SigNoz 0.135 a dashboard push did not write has no name: pull names it after its
        # title, so one whose title gives this name is the dashboard a pulled definition describes.
        # Pushing it must not make a second one beside it (the user `--adopt`s it, or renames).
        # A v1 dashboard the v2 list shows as `legacy` (0.129-0.134 with use_dashboard_v2 on) is not
        # one: the v2 API cannot update it, and the UI that flag gives cannot open it.
        return [d for d in server if not d.get("name") and not d.get("legacy") and not self.managed(d)
                and name_after_title(self.title(d)) == body.get("name")]

    def namesake_conflict(self, body: Body, namesakes: builtins.list[Body]) -> str:
        titles = ", ".join(sorted({repr(printable(self.title(d), limit=100)) for d in namesakes}))
        if len(namesakes) > 1:
            return (f"{len(namesakes)} dashboards not managed by signoz-dac, titled {titles}, have no name on this "
                    f"SigNoz and would be pulled as {body.get('name')!r}; rename or delete all but one")
        return (f"the dashboard titled {titles} (id {namesakes[0].get('id')}) has no name on this SigNoz, is "
                f"pulled as {body.get('name')!r} and is not managed by signoz-dac; --adopt takes it over")

    def lock(self, client: SigNozClient, resource_id: str) -> None:
        client.lock_dashboard(resource_id)

    def unlock(self, client: SigNozClient, resource_id: str) -> None:
        client.unlock_dashboard(resource_id)


class Rules(Kind):
    name, plural, mark_word, identity_word = "rule", "rules", "label", "identity"
    managed_key, set_key, hash_key = MANAGED_LABEL, SET_LABEL, HASH_LABEL
    cleans_duplicates = True
    full_listing = True
    rule_shaped = True

    def key(self, resource: Body) -> str | None:
        found = rule_key(resource)
        return "/".join(found) if found else None

    def title(self, resource: Body) -> str:
        return str(resource.get("alert") or "")

    def mark(self, resource: Body, key: str) -> str | None:
        return label(resource, key)

    def _with_marks(self, body: Body, marks: Mapping[str, str]) -> Body:
        labels = {k: v for k, v in (body.get("labels") or {}).items() if k not in self.mark_keys}
        return {**body, "labels": {**labels, **marks}}

    def check_stampable(self, body: Body) -> None:
        if rule_key(body) is None:
            raise InputError(f"rule {body.get('alert')!r} has no signoz-dac identity labels; render it with render_alerts")

    def list(self, client: SigNozClient) -> builtins.list[Body]:
        return client.list_rules()

    def get(self, client: SigNozClient, resource_id: str) -> Body:
        return client.get_rule(resource_id)

    def create(self, client: SigNozClient, body: Body, matches: Callable[[Body], bool]) -> Body:
        # SigNoz keeps no unique index on rules: an uncertain POST is reconciled by our identity labels.
        return client.create_rule(body, identity=rule_key, matches=matches)

    def update(self, client: SigNozClient, resource_id: str, body: Body) -> None:
        client.update_rule(resource_id, body)

    def delete(self, client: SigNozClient, resource_id: str) -> None:
        client.delete_rule(resource_id)

    def namesakes(self, server: builtins.list[Body], body: Body) -> builtins.list[Body]:
        # Rules with our title and without the managed label. A managed rule with our title is
        # another identity (a renamed dashboard's old rule, another dashboard's): SigNoz allows
        # several rules with one name, and the title is not what push finds a rule by.
        title = self.title(body)
        return [r for r in server if r.get("alert") == title and not self.managed(r)]


DASHBOARD = Dashboards()
RULE = Rules()
KINDS = (DASHBOARD, RULE)
