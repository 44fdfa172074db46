"""Dashboard variables as a definition states them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from signoz_dac.spec.common import SpecModel, VariableName


class _ListVariable(SpecModel):
    """What dynamic and model variables share: a list of values to pick from, maybe several, maybe ALL."""

    name: VariableName
    title: str | None = None
    description: str = ""
    allow_all: bool = True
    multiple: bool = True

    @model_validator(mode="after")
    def _all_needs_multiple(self):
        if self.allow_all and not self.multiple:
            raise ValueError("allow_all needs multiple: true (SigNoz only offers ALL on multi-select variables)")
        return self


class DynamicVariable(_ListVariable):
    """Values looked up from telemetry for one attribute, e.g. every `service.name` seen."""

    kind: Literal["dynamic"]
    attribute: str
    signal: Literal["traces", "logs", "metrics", "all"] = "traces"
    default: list[str] | str | None = None
    filter: bool = True  # add `<attribute> IN $<name>` to every panel's query

    @model_validator(mode="after")
    def _list_default_needs_multiple(self) -> DynamicVariable:
        if isinstance(self.default, list) and not self.multiple:
            raise ValueError("a list default needs multiple: true")
        return self


class ModelVariable(_ListVariable):
    """The models of one component, read only from that component's spans.

    A plain dynamic variable on `gen_ai.request.model` would mix STT, TTS and LLM models on
    frameworks (LiveKit) that put the attribute on every component's span.
    """

    kind: Literal["model"]
    component: Literal["stt", "llm", "tts"] = "llm"


class TextVariable(SpecModel):
    """A free-text value, e.g. the turn threshold."""

    kind: Literal["text"]
    name: VariableName
    default: str
    title: str | None = None
    description: str = ""
    constant: bool = False

    @model_validator(mode="after")
    def _constant_value(self) -> TextVariable:
        if self.constant and not self.default:
            raise ValueError("a constant variable needs a non-empty default")
        return self


Variable = Annotated[DynamicVariable | ModelVariable | TextVariable, Field(discriminator="kind")]
