"""The top of a definition: identity, profile, variables and sections."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from signoz_dac.definitions.alerts import Alerts
from signoz_dac.definitions.common import DnsLabel, SpecModel, duration_seconds
from signoz_dac.definitions.generic.model import Omittable, at, option
from signoz_dac.definitions.generic.panels import AnyGeneric, GenericPanel, Link
from signoz_dac.definitions.generic.style import Style
from signoz_dac.definitions.panels import Panel
from signoz_dac.definitions.variables import ModelVariable, Variable
from signoz_dac.identity import DASHBOARD_MARKS
from signoz_dac.signoz.names import MAX_TAGS, tag_key_problem, tag_value_problem

# Three of SigNoz's ten tags are push's own (managed, definition set, content hash: signoz_dac.identity).
MAX_USER_TAGS = MAX_TAGS - len(DASHBOARD_MARKS)

ProfileName = Literal["pipecat", "livekit", "livekit-legacy"]

# Any panel a section holds: the voice catalog's semantic panels and the generic ones.
AnyPanel = Annotated[Panel | AnyGeneric, Field(discriminator="type")]


def tag_pairs(tags: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """The (key, value) tags SigNoz gets, in order."""
    return [(k, v) for k, values in tags.items() for v in ([values] if isinstance(values, str) else values)]


class Section(Omittable):
    """A row of panels (SigNoz's Grid layout), titled and collapsible or not. Panels are laid out
    automatically on the 12-column grid unless every panel gives its `position`."""

    style_key = "section"
    title: str = option("display.title", max_length=256)
    collapsed: bool = option(default=False)  # SigNoz keeps it; its UI opens every section
    repeat_variable: str = option("repeatVariable")  # SigNoz keeps it and shows a badge; it does not repeat panels
    panels: list[AnyPanel] = Field(default_factory=list)


class LintSettings(SpecModel):
    disable: list[str] = Field(default_factory=list)


# Model names as providers spell them: letters, digits and . _ - / : @ + (a regex-free alphabet, so
# a name can be matched in SQL and filter expressions without escaping rules of its own).
_MODEL_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,127}$")


class LlmPrice(SpecModel):
    """Prices of one LLM model, per million tokens."""

    input: float = Field(ge=0)
    output: float = Field(ge=0)
    cached_input: float | None = Field(None, ge=0)  # default: the input price
    # OpenAI-style usage counts cached tokens inside the input tokens (they are then priced at the
    # cached rate instead); Anthropic-style usage counts them apart: set false.
    cached_in_input: bool = True


class Prices(SpecModel):
    """What calls cost: `cost_per_call` multiplies the spans' usage by these. Off unless set.

    Models are matched by the name on the span, and a dated snapshot of a priced model
    (`gpt-4o-mini-2024-07-18`) takes the price of `gpt-4o-mini` unless it has its own.
    """

    currency: str = Field("USD", min_length=1, max_length=8)  # a label for the panel title only
    llm: dict[str, LlmPrice] = Field(default_factory=dict)
    tts: dict[str, float] = Field(default_factory=dict)  # per million characters
    stt: dict[str, float] = Field(default_factory=dict)  # per minute of audio

    @field_validator("currency")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if not value.isprintable():
            raise ValueError("currency must be one line of printable text, such as USD or €")
        return value

    @field_validator("llm", "tts", "stt")
    @classmethod
    def _model_names(cls, table: dict[str, float]) -> dict[str, float]:
        for name in table:
            if not _MODEL_NAME.match(name):
                raise ValueError(f"model name {name!r} is not allowed (letters, digits and . _ - / : @ +)")
        for name, price in table.items():
            if isinstance(price, (int, float)) and price < 0:
                raise ValueError(f"the price of {name!r} must not be negative")
        return table

    @model_validator(mode="after")
    def _something(self) -> Prices:
        if not (self.llm or self.tts or self.stt):
            raise ValueError("set at least one of `llm:`, `tts:` or `stt:` (or leave `prices:` out)")
        return self


class Dashboard(Omittable):
    """One SigNoz dashboard. `name` is its stable identity on the server (immutable once pushed)."""

    style_key = "dashboard"
    name: DnsLabel
    title: str = Field(min_length=1, max_length=128)
    description: str = at("spec.display.description", "")
    profile: ProfileName | None = None  # the telemetry the voice panels and alerts query
    style: Style = "signoz-dac"  # how options left unset are written (spec/generic/style.py)
    image: str = option("image")  # SigNoz's dashboard icon: /assets/Icons/<name> or a data: URI
    # SigNoz's tags; a list gives one key several values (`tag: [voice, pipecat]`)
    tags: dict[str, str | list[str]] = Field(default_factory=dict, json_schema_extra={"body": "tags"})
    # Written to the body's `spec.duration` and `spec.refreshInterval`. SigNoz's UI (v0.138) reads
    # neither: the time range and refresh come from its own picker. Kept for other readers of the API.
    time_range: str = at("spec.duration", "")
    refresh: str = at("spec.refreshInterval", "")  # auto-refresh interval, "" for off
    links: list[Link] | None = option("spec.links")  # SigNoz keeps dashboard links; its UI does not show them
    variables: list[Variable] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    unplaced_panels: list[AnyGeneric] = Field(default_factory=list)  # in no section: SigNoz keeps, never shows them
    lint: LintSettings = LintSettings()
    alerts: Alerts = Alerts()  # alert rules rendered and pushed beside the dashboard
    prices: Prices | None = None  # for `cost_per_call`; no prices, no cost panel
    # Read-only in SigNoz's UI: push locks the dashboard, or unlocks it when false (not in the body:
    # SigNoz sets a lock only through its own call).
    locked: bool = False

    # Set by load_definition: the file and line of each value, for error messages. Not data.
    _source_map: Any = PrivateAttr(default=None)

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: dict[str, str | list[str]]) -> dict[str, str | list[str]]:
        pairs = tag_pairs(tags)
        if len(pairs) > MAX_USER_TAGS:
            raise ValueError(f"at most {MAX_USER_TAGS} tags (SigNoz allows {MAX_TAGS}; push keeps "
                             f"{len(DASHBOARD_MARKS)} for itself)")
        for key, value in pairs:
            problem = tag_key_problem(key)
            if problem or key.lower() in DASHBOARD_MARKS:
                raise ValueError(f"tag key {key!r} is not allowed by SigNoz: {problem or 'push sets it itself'}")
            problem = tag_value_problem(value)
            if problem:
                raise ValueError(f"tag value {value!r} is not allowed by SigNoz: {problem}")
        return tags

    @field_validator("time_range")
    @classmethod
    def _time_range(cls, value: str) -> str:
        if value and duration_seconds(value, "mhdw") is None:
            raise ValueError("must be a whole number with m, h, d or w, e.g. '6h' or '7d' (or \"\" for none)")
        return value

    @model_validator(mode="after")
    def _profile_when_needed(self) -> Dashboard:
        if self.profile is None:
            semantic = [p.type for s in self.sections for p in s.panels if not isinstance(p, GenericPanel)]
            if semantic or any(isinstance(v, ModelVariable) for v in self.variables) or self.alerts.rules:
                what = f"panel type {semantic[0]!r}" if semantic else "model variables and alert rules"
                raise ValueError(
                    f"a telemetry profile is required by {what}: add `profile: pipecat` (or livekit, livekit-legacy)"
                )
        return self

    @model_validator(mode="after")
    def _unique_variables(self) -> Dashboard:
        seen: set[str] = set()
        for variable in self.variables:
            if variable.name in seen:
                raise ValueError(f"variable {variable.name!r} is defined twice")
            seen.add(variable.name)
        return self
