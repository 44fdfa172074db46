"""The profile facts the on-call panels and rules read exist in what the frameworks emit, with the
type their use needs, and mean what the panels say: a call-start span is exported seconds into the
call, once per call; `also_emits` names are in the reference capture of the situation that emits them."""

from __future__ import annotations

import pytest

from signoz_dac.profiles import PROFILES
from signoz_dac.profiles.catalog import attribute_types, load_catalog
from tests.alerts.spans import NS, reference_scenario, scenarios

PROFILE_NAMES = sorted(PROFILES)


def uses(profile) -> list[tuple[str, str | None, str | None]]:
    """(span, attribute or None, SigNoz type or None for "any") for every on-call fact."""
    out: list[tuple[str, str | None, str | None]] = []
    span_sets = [profile.call_start] + ([profile.dead_air.expected, profile.dead_air.answered] if profile.dead_air else [])
    for spans in filter(None, span_sets):
        out.append((spans.span, None, None))
        out += [(spans.span, c.attribute, None) for c in spans.where]
    measures = [profile.cached_input_tokens, profile.end_of_utterance, profile.endpointing_delay,
                profile.tts_characters, profile.stt_audio_seconds]
    out += [(m.span, m.attribute, "number") for m in measures if m is not None]
    if profile.call_duration:
        out.append((profile.call_duration.span, None, None))  # duration_nano: a span field
    if profile.interruptions:
        i = profile.interruptions
        out.append((i.span, i.attribute, "bool"))
        out += [(i.span, a, t) for a, t in ((i.last_turn_order, "number"), (i.source, "string"), (i.position, "number")) if a]
    if profile.tool_calls:
        t = profile.tool_calls
        out += [(t.span, t.name_attribute, "string"), (t.span, t.error_attribute, "bool")]
    if profile.close_reason:
        out.append((profile.close_reason.span, profile.close_reason.attribute, "string"))
    out += [(m.span, profile.provider_attribute, "string") for m in profile.component_latency.values()]
    return out


@pytest.mark.parametrize("name", PROFILE_NAMES)
def test_on_call_facts_exist_in_the_catalog_with_their_type(name):
    profile = PROFILES[name]
    catalog = load_catalog(profile.catalog)
    problems = []
    for span, attribute, kind in uses(profile):
        if span not in catalog["spans"]:
            problems.append(f"span {span!r} never emitted")
        elif attribute is not None:
            types = attribute_types(catalog, span, attribute)
            if not types or (kind is not None and types != {kind}):
                problems.append(f"{span}.{attribute}: {types or 'never emitted'}, want {kind or 'any'}")
    assert problems == []


def test_also_emits_is_in_the_reference_capture():
    """LiveKit's fallback recovery probe: an llm_request with lk.fallback.recovery = true (bool)."""
    spans = reference_scenario("livekit", "1.8.9_text_run_with_llm_fallback")
    for name, profile in PROFILES.items():
        for span, attributes in profile.also_emits.items():
            for attribute, kind in attributes.items():
                values = [s["attributes"][attribute] for s in spans if s["name"] == span and attribute in s["attributes"]]
                assert values and all(isinstance(v, bool) for v in values) and kind == "bool", (name, span, attribute)


@pytest.mark.parametrize("name", ["pipecat", "livekit"])
def test_a_call_start_span_is_exported_seconds_into_each_call(name):
    """One per conversation, ending within 10 seconds of the call's first span: the conversations
    chart has no dip beyond that, where the root (exported when the call ends) left one as long as a call."""
    profile = PROFILES[name]
    starts = profile.call_start
    for scenario, spans in scenarios(name).items():
        marks = [s for s in spans if s["name"] == starts.span
                 and all(s["attributes"].get(c.attribute) == c.value for c in starts.where)]
        assert len(marks) == 1, scenario
        first = min(s["start_ns"] for s in spans)
        assert marks[0]["end_ns"] - first < 10 * NS, scenario
        root = next(s for s in spans if s["name"] == profile.conversation_span)
        assert root["end_ns"] - first > 5 * NS  # the root arrives only with the call's end


def test_legacy_livekit_has_no_early_call_start():
    """Before 1.8.2 no span marks a call's start: the profile counts `agent_session`, exported at the end."""
    legacy = PROFILES["livekit-legacy"]
    assert legacy.call_start.span == "agent_session"
    for scenario, spans in scenarios("livekit-legacy").items():
        assert sum(s["name"] == "agent_session" for s in spans) == 1, scenario
        assert not any(s["name"] == "session_start" for s in spans), scenario
