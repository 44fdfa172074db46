"""Dashboard variables as a definition states them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from signoz_dac.definitions.common import OptionError, VariableName
from signoz_dac.definitions.generic.model import Omittable, at
from signoz_dac.definitions.generic.variables import CustomVariable, ListOptions, QueryVariable, WithDefault


class DynamicVariable(WithDefault):
    """Values looked up from telemetry for one attribute, e.g. every `service.name` seen."""

    kind: Literal["dynamic"]
    attribute: str = at("plugin.spec.name")
    signal: Literal["traces", "logs", "metrics", "all"] = at("plugin.spec.signal", "traces")
    filter: bool = True  # add `<attribute> IN $<name>` to the query of every panel whose signal carries it


class ModelVariable(ListOptions):
    """The models of one component, read only from that component's spans.

    A plain dynamic variable on `gen_ai.request.model` would mix STT, TTS and LLM models on
    frameworks (LiveKit) that put the attribute on every component's span.
    """

    kind: Literal["model"]
    component: Literal["stt", "llm", "tts"] = "llm"


class TextVariable(Omittable):
    """A free-text value, e.g. the turn threshold."""

    style_key = "variable"
    kind: Literal["text"]
    name: VariableName = at("name")
    default: str = at("value")
    title: str | None = Field(None, max_length=128)
    description: str = at("display.description", "")
    constant: bool = at("constant", False)

    @model_validator(mode="after")
    def _constant_value(self) -> TextVariable:
        if self.constant and not self.default:
            raise OptionError("a constant variable needs a non-empty default", "default")
        return self


Variable = Annotated[
    DynamicVariable | ModelVariable | TextVariable | QueryVariable | CustomVariable, Field(discriminator="kind")
]
