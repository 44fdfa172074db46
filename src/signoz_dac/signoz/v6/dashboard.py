"""The dashboard: `DashboardSpec` and the POST (`PostableDashboardV2`) and PUT
(`UpdatableDashboardV2`) bodies, plus `parse_dashboard` and `dump`.

`parse_dashboard` is the one entry point the rest of signoz-dac uses: strict decode, then the
cross-field rules, every problem collected into one `SchemaError` of JSON-path `Issue`s.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ValidationError, ValidationInfo, model_validator

from signoz_dac.errors import Issue, SchemaError

from . import rules
from .base import Strict, checked, raise_issues
from .decode import issues_from_validation_error
from .layouts import Layout
from .panels import Display, Link, Panel
from .variables import Variable

PanelKey = Annotated[str, checked(rules.panel_key_problem)]


class DashboardSpec(Strict):
    display: Display
    variables: list[Variable]  # required, non-null ([] is fine)
    panels: dict[PanelKey, Panel]  # required, non-null ({} is fine)
    layouts: list[Layout]  # required, non-null
    duration: Annotated[str, checked(rules.duration_problem)] = ""
    refreshInterval: Annotated[str, checked(rules.refresh_interval_problem)] = ""
    links: list[Link] | None = None

    @model_validator(mode="after")
    def _rules(self):  # type: ignore[no-untyped-def]
        raise_issues(rules.dashboard_spec(self))
        return self


class Tag(Strict):
    key: Annotated[str, checked(rules.tag_key_problem)]
    value: Annotated[str, checked(rules.tag_value_problem)]


SchemaVersion = Annotated[str, checked(rules.schema_version_problem)]
Image = Annotated[str, checked(rules.image_problem)]
Tags = Annotated[list[Tag] | None, checked(rules.tags_problem)]


class PostableDashboard(Strict):
    """POST /api/v2/dashboards body.

    `generateName: true` (a server-made name) is rejected unless validation context
    `{"allow_generate_name": True}` is given, which parse_dashboard does for foreign JSON.
    """

    schemaVersion: SchemaVersion
    name: Annotated[str, checked(rules.dns_label_problem)] = ""
    generateName: bool = False
    image: Image = ""
    tags: Tags  # required by the schema; null is tolerated, but send []
    spec: DashboardSpec

    @model_validator(mode="after")
    def _identity(self, info: ValidationInfo):  # type: ignore[no-untyped-def]
        allow = bool((info.context or {}).get("allow_generate_name", False))
        raise_issues(rules.identity(self.name, self.generateName, allow))
        return self


class UpdatableDashboard(Strict):
    """PUT /api/v2/dashboards/{id} body: only these five fields (no generateName, id, source...)."""

    schemaVersion: SchemaVersion
    name: Annotated[str, checked(rules.required_dns_label_problem)]
    image: Image = ""
    tags: Tags
    spec: DashboardSpec


def parse_dashboard(
    body: Any,
    source: str | None = None,
    *,
    updatable: bool = False,
    allow_generate_name: bool = False,
) -> PostableDashboard | UpdatableDashboard:
    """Decode and validate a SigNoz v6 dashboard body (a dict from JSON).

    - `source`: the file the body came from, for the error message.
    - `updatable=True`: the PUT shape (UpdatableDashboard) instead of the POST shape.
    - `allow_generate_name=True`: accept `generateName: true` (SigNoz's own exports use it).
      signoz-dac itself always sends a stable `name`, so by default it is an error.

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
        # The identity rule lives in the model's after-validator, which Pydantic skips when any
        # field failed; check it on the raw body so it is reported together with the rest.
        name, gen = body.get("name"), body.get("generateName")
        for path, message in rules.identity(name if isinstance(name, str) else "", gen, allow_generate_name):
            if not any(i.path == path for i in issues):
                issues.append(Issue(path, message))
    raise SchemaError(issues, source)


def dump(dash: PostableDashboard | UpdatableDashboard) -> dict[str, Any]:
    """The JSON body again: exactly the fields that were given (defaults are not added), so
    `dump(parse_dashboard(body)) == body`. Key order follows the models, not the input."""
    return dash.model_dump(mode="json", by_alias=True, exclude_unset=True)
