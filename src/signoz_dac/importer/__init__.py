"""SigNoz dashboard JSON → definitions: the inverse of render.

    imported = import_dashboard(body, source="pipecat.json")   # Imported(definition, notes)
    text = definition_yaml(imported)                           # the definition as YAML

Input: a v6 body as SigNoz's UI exports it, as `GET /api/v2/dashboards/{id}` returns it (with or
without the `{"status", "data"}` envelope), or as SigNoz's template repository holds it
(`generateName` and no `name`: a name is derived from the title and noted). A v5 body (bare, or
the row `GET /api/v1/dashboards/{id}` returns) goes through SigNoz's own v5 → v6 conversion first
(`importer/v5.py`), named by push's identity tag when it has one.

Every panel becomes a generic panel (`query`, `sql` or `promql`), every variable and section what
the definition would write for it; the dashboard's `style` is the one that spells the body out in
the fewest options. Anything a definition cannot say is a `NotRepresentable` error naming the JSON
path: a body is imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from signoz_dac.definitions.dashboard import Dashboard
from signoz_dac.definitions.generic.style import STYLES
from signoz_dac.importer.dashboard import read_dashboard
from signoz_dac.importer.errors import NotRepresentable, fail
from signoz_dac.importer.reader import Reader, get
from signoz_dac.importer.v5 import convert_v5_to_v6
from signoz_dac.importer.yaml_out import definition_text
from signoz_dac.signoz.dashboards_v1 import identity, name_after_title, without_identity
from signoz_dac.signoz.v5 import name_from_title


@dataclass(frozen=True)
class Imported:
    definition: Dashboard
    body: dict[str, Any]  # the v6 body read (a v5 body's conversion), under the definition's name
    source: str | None = None
    notes: tuple[str, ...] = field(default=())  # what the user should know (a derived name, a conversion)
    # What `render` and `push` demand beyond SigNoz that the body breaks ("path: message"): the
    # definition says the body exactly, but they refuse it until the user fixes these.
    render_refuses: tuple[str, ...] = field(default=())


def import_dashboard(
    body: Any, *, source: str | None = None, drop_tags: Iterable[str] = (), style: str | None = None
) -> Imported:
    """The definition of a SigNoz dashboard body. `drop_tags`: tag keys to leave out (push's own);
    `style`: the style to write it in (default: the one needing the fewest options).

    Raises NotRepresentable (naming the JSON path) for what a definition cannot express.
    """
    notes: list[str] = []
    body = unwrap(body, source)
    if is_v5(body):
        # A dashboard push wrote to SigNoz before 0.135 keeps its name in an identity tag: that is
        # its name, and not a tag of the definition (push adds it again).
        pushed_as = identity(body)
        name, named = (pushed_as, "by its signoz-dac identity tag") if pushed_as else _named_after(body.get("title"))
        body = unwrap(convert_v5_to_v6(without_identity(body), name=name, source=source), source)
        notes.append(f"converted from SigNoz's v5 format the way SigNoz converts it, named {name!r} {named}")
    if body.get("schemaVersion") != "v6":
        raise NotRepresentable(fail("schemaVersion", f'must be "v6", got {body.get("schemaVersion")!r}').issues, source)
    name = body.get("name") or ""
    if not name:
        name, named = _named_after(get(body, "spec.display.name"))
        notes.append(f"named {name!r} {named} (the body has no name of its own)")
    best: Dashboard | None = None
    fewest = None
    for candidate in [style] if style else STYLES:
        reader = Reader(candidate)
        try:
            definition = read_dashboard(body, name, reader, drop_tags=frozenset(drop_tags))
        except NotRepresentable as exc:
            raise NotRepresentable(exc.issues, source) from None
        if fewest is None or reader.settings < fewest:
            best, fewest = definition, reader.settings
    assert best is not None
    return Imported(best, {**body, "name": name}, source, tuple(notes))


def _named_after(title: Any) -> tuple[str, str]:
    """A name derived from a dashboard's title, and how it was found (for the note)."""
    titled = isinstance(title, str) and bool(name_from_title(title))
    return name_after_title(title), "after its title" if titled else "(its title gives no name)"


def definition_yaml(imported: Imported) -> str:
    """The definition as YAML text, with a header saying where it came from."""
    return definition_text(imported.definition, imported.source, imported.notes, imported.render_refuses)


def unwrap(body: Any, source: str | None = None) -> dict[str, Any]:
    """The dashboard in `body`: a bare body, or a GET response `{"status": ..., "data": body}`."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict) and "status" in body:
        body = body["data"]
    if isinstance(body, dict) and "schemaVersion" not in body and isinstance(body.get("data"), dict) and is_v5(body["data"]):
        body = body["data"]  # a row of SigNoz's v1 API (before 0.135): {id, createdAt, ..., data: <v5 JSON>}
    if not isinstance(body, dict):
        raise NotRepresentable(fail("", "a SigNoz dashboard is a JSON object").issues, source)
    return body


def is_v5(body: dict[str, Any]) -> bool:
    """SigNoz's older format: `widgets` and `layout` at the top, `version` and no `schemaVersion`."""
    return "schemaVersion" not in body and ("version" in body or "widgets" in body)


__all__ = ["Imported", "NotRepresentable", "definition_yaml", "import_dashboard", "is_v5", "unwrap"]
