"""The dashboard: `DashboardSpec` and the POST (`PostableDashboardV2`) and PUT
(`UpdatableDashboardV2`) bodies, plus `parse_dashboard`, `parse_spec` and `stored_dashboard`.

`parse_dashboard` is the one entry point the rest of signoz-dac uses: strict decode, then the
cross-field checks, every problem collected into one `SchemaError` of JSON-path `Issue`s. It accepts
what SigNoz v0.138 accepts and rejects what it rejects.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from signoz_dac.errors import Issue, SchemaError
from signoz_dac.signoz.names import (
    dns_label_problem,
    required_dns_label_problem,
    tag_key_problem,
    tag_value_problem,
    tags_problem,
)

from . import checks
from .base import KEEP_UNKNOWN, STORE, Strict, checked, raise_issues
from .decode import issues_from_validation_error
from .layouts import Layout
from .panels import Display, Link, Panel
from .variables import Variable

PanelKey = Annotated[str, checked(checks.panel_key_problem)]


class DashboardSpec(Strict):
    OMIT_EMPTY = frozenset({"links"})  # Go's omitzero: an empty list is not written back

    display: Display = Field(default_factory=Display)
    variables: list[Variable]  # required, non-null ([] is fine)
    panels: dict[PanelKey, Panel]  # required, non-null ({} is fine)
    layouts: list[Layout]  # required, non-null
    duration: Annotated[str, checked(checks.duration_problem)] = ""
    refreshInterval: Annotated[str, checked(checks.duration_problem)] = ""
    links: list[Link] | None = None

    @model_validator(mode="after")
    def _checks(self):  # type: ignore[no-untyped-def]
        raise_issues(checks.dashboard_spec(self))
        return self


class Tag(Strict):
    key: Annotated[str, checked(tag_key_problem)]
    value: Annotated[str, checked(tag_value_problem)]


SchemaVersion = Annotated[str, checked(checks.schema_version_problem)]
Image = Annotated[str, checked(checks.image_problem)]
Tags = Annotated[list[Tag] | None, checked(tags_problem)]


class PostableDashboard(Strict):
    """POST /api/v2/dashboards body.

    With validation context `{"allow_generate_name": False}` (what parse_dashboard passes for
    `allow_generate_name=False`), `generateName: true` is refused: push needs a stable name.
    """

    schemaVersion: SchemaVersion
    name: Annotated[str, checked(dns_label_problem)] = ""
    generateName: bool = False
    image: Image = ""
    tags: Tags = None
    spec: DashboardSpec

    @model_validator(mode="after")
    def _identity(self, info: ValidationInfo):  # type: ignore[no-untyped-def]
        allow = bool((info.context or {}).get("allow_generate_name", True))
        raise_issues(checks.identity(self.name, self.generateName, self.spec.display.name, allow))
        return self


class UpdatableDashboard(Strict):
    """PUT /api/v2/dashboards/{id} body: only these five fields (no generateName, id, source...)."""

    schemaVersion: SchemaVersion
    name: Annotated[str, checked(required_dns_label_problem)] = Field(default="", validate_default=True)
    image: Image = ""
    tags: Tags = None
    spec: DashboardSpec


def parse_dashboard(
    body: Any,
    source: str | None = None,
    *,
    updatable: bool = False,
    allow_generate_name: bool = True,
) -> PostableDashboard | UpdatableDashboard:
    """Decode and validate a SigNoz v6 dashboard body (a dict from JSON), as SigNoz does.

    - `source`: the file the body came from, for the error message.
    - `updatable=True`: the PUT shape (UpdatableDashboard) instead of the POST shape.
    - `allow_generate_name=False`: also refuse `generateName: true`. SigNoz accepts it (and makes
      up a name); a body that push is to find again needs a stable `name`.

    Raises `SchemaError` carrying every issue found, each at a dotted JSON path such as
    `spec.panels.llm-ttft.spec.plugin.spec.formatting.unit` or `spec.layouts[0].spec.items[3]`.
    """
    if not isinstance(body, dict):
        raise SchemaError([Issue("", f"a dashboard body must be a JSON object, got {type(body).__name__}")], source)
    model = UpdatableDashboard if updatable else PostableDashboard
    try:
        return model.model_validate(body, context={"allow_generate_name": allow_generate_name})
    except ValidationError as err:
        issues = issues_from_validation_error(err, body)
    if not updatable:
        # The identity check lives in the model's after-validator, which Pydantic skips when any
        # field failed; check it on the raw body so it is reported together with the rest.
        name, gen = body.get("name"), body.get("generateName")
        spec = body.get("spec") if isinstance(body.get("spec"), dict) else {}
        display = spec.get("display") if isinstance(spec.get("display"), dict) else {}
        for path, message in checks.identity(name if isinstance(name, str) else "", gen, display.get("name"), allow_generate_name):
            if not any(i.path == path for i in issues):
                issues.append(Issue(path, message))
    raise SchemaError(issues, source)


def parse_spec(spec: Any, source: str | None = None) -> DashboardSpec:
    """Decode and validate a bare dashboard `spec` (what SigNoz's `DashboardSpec` decoder checks)."""
    if not isinstance(spec, dict):
        raise SchemaError([Issue("", f"a dashboard spec must be a JSON object, got {type(spec).__name__}")], source)
    try:
        return DashboardSpec.model_validate(spec)
    except ValidationError as err:
        raise SchemaError(issues_from_validation_error(err, spec), source) from None


def stored_dashboard(body: Any, *, keep_unknown: bool = False) -> dict[str, Any]:
    """What SigNoz keeps of a valid POST or PUT body and returns on a re-read (its own fields, such
    as `id` and the audit fields, aside): every default written out, enums folded, step intervals
    in seconds, builder keys normalised, `display.name` filled from `name`, tags trimmed and
    deduplicated case-insensitively (the first spelling wins). Raises SchemaError if invalid.

    The one thing it cannot know is the organisation: SigNoz also re-cases a tag to the spelling
    the org already uses (the emulator does that part). `keep_unknown=True` keeps the keys SigNoz
    ignores in its lenient envelopes, for a comparison that must notice them.
    """
    model = parse_dashboard(body)  # a PUT body is a valid POST body too
    stored = model.model_dump(mode="json", by_alias=True, context={STORE: True, KEEP_UNKNOWN: keep_unknown})
    stored.pop("generateName", None)
    display = stored["spec"]["display"]
    if not display.get("name"):
        display["name"] = stored.get("name", "")
    tags: list[dict[str, str]] = []
    for tag in stored.get("tags") or []:
        key, value = tag["key"].strip(), tag["value"].strip()
        if not any(t["key"].lower() == key.lower() and t["value"].lower() == value.lower() for t in tags):
            tags.append({"key": key, "value": value})
    stored["tags"] = tags
    return stored
