"""Shared pieces of the definition models."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from signoz_dac.signoz.names import required_dns_label_problem

PANEL_ID = re.compile(r"^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$")
# SigNoz's rule for variable names (Perses' ValidateID, and not digits only).
VARIABLE_NAME = re.compile(r"^[a-zA-Z0-9_.-]+$")
# Durations in definitions are a whole number and one unit: "5m", "90m", "2h", "7d".
_WHOLE_DURATION = re.compile(r"^([1-9][0-9]*)([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800}


def duration_seconds(text: str, units: str) -> int | None:
    """Seconds of a duration written as a whole number and one of `units` ("smh": "90s", "5m",
    "2h"); None for anything else."""
    match = _WHOLE_DURATION.match(text)
    if match is None or match.group(2) not in units:
        return None
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


class OptionError(ValueError):
    """A model's complaint about one of its own options (`at`: the option's name, or a path below
    it): the error then points at that option's line, not at the start of the model."""

    def __init__(self, message: str, *at: str | int):
        super().__init__(message)
        self.at = at


class SpecModel(BaseModel):
    """Definition models reject unknown options, so a typo is an error rather than a silent default,
    and non-finite numbers (YAML's `.nan`, `.inf`): JSON has no way to write them, SigNoz none to
    store them, and a threshold of NaN never fires."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _dns_label(value: str) -> str:
    problem = required_dns_label_problem(value)
    if problem:
        raise ValueError(f"{problem} (e.g. 'pipecat-voice-agent')")
    return value


def _panel_id(value: str) -> str:
    if len(value) > 60 or not PANEL_ID.match(value):
        raise ValueError("must be 1-60 characters of a-z, 0-9, '-' and '_' (e.g. 'llm-latency')")
    return value


def _variable_name(value: str) -> str:
    if (
        len(value) > 75 or not VARIABLE_NAME.match(value) or value.isdigit() or ".." in value
        or value.startswith(".") or value.endswith(".")
    ):
        raise ValueError(
            "must be 1-75 letters, digits, '_', '-' and '.' (not digits only, no leading, trailing or "
            "doubled '.'), e.g. 'service_name'"
        )
    return value


DnsLabel = Annotated[str, AfterValidator(_dns_label)]
PanelId = Annotated[str, AfterValidator(_panel_id)]
VariableName = Annotated[str, AfterValidator(_variable_name)]
