"""Telemetry profiles: per framework and version, which span carries what."""

from signoz_dac.profiles.livekit import LIVEKIT, LIVEKIT_LEGACY
from signoz_dac.profiles.model import (
    Attribute,
    Component,
    DeadAir,
    Interruptions,
    Measure,
    Profile,
    Realtime,
    SpanCount,
    ToolCalls,
    TurnCount,
    duration_of,
    gen_ai_usage,
)
from signoz_dac.profiles.pipecat import PIPECAT

PROFILES: dict[str, Profile] = {p.name: p for p in (PIPECAT, LIVEKIT, LIVEKIT_LEGACY)}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise KeyError(f"unknown profile {name!r}; choose one of: {', '.join(PROFILES)}") from None


__all__ = [
    "PROFILES",
    "Attribute",
    "Component",
    "DeadAir",
    "Interruptions",
    "Measure",
    "Profile",
    "Realtime",
    "SpanCount",
    "ToolCalls",
    "TurnCount",
    "duration_of",
    "gen_ai_usage",
    "get_profile",
]
