"""Every name a profile queries exists in what its pinned framework version really emits, with a type
and unit that fit; the shipped catalogs are exactly what the captures produce."""

from __future__ import annotations

import re

import pytest

from signoz_dac.profiles import PROFILES, Measure, Profile, SpanCount
from signoz_dac.profiles.catalog import attribute_types, load_catalog
from signoz_dac.signoz.expressions import parse_filter
from tests.telemetry.capture import run as capture_run
from tests.telemetry.capture.catalog import build_catalog, catalog_name, render
from tests.telemetry.conftest import FIXTURES, capture_path, load_capture, sources

INTRINSIC_NUMBERS = {"duration_nano": "ns"}  # SigNoz's intrinsic span fields, not attributes
SECONDS = re.compile(r"(_seconds|latency|delay|ttft|ttfb|position|_duration|time_to_first_chunk)$")


def expected_scenarios(framework: str) -> set[str]:
    """The conversations each capture holds (run.py's plan), with their labels."""
    if framework == "pipecat-ai":
        own = set(capture_run.PIPECAT_SCENARIOS)
    else:
        own = set(capture_run.LIVEKIT_SCENARIOS) | {
            f"provider_in_entrypoint:{name}" for name in capture_run.IN_ENTRYPOINT_SCENARIOS
        }
    return own | {f"second_service:{name}" for name in capture_run.SECOND_SCENARIOS}


def measures(profile: Profile) -> list[Measure]:
    """Every numeric fact of the profile."""
    found = [profile.input_tokens, profile.output_tokens, profile.cached_input_tokens, profile.turn_latency,
             *profile.component_latency.values(), profile.call_duration, profile.end_of_turn_delay,
             profile.end_of_turn_wait, profile.endpointing_delay, profile.tts_characters, profile.stt_audio_seconds]
    if profile.interruptions:
        found.append(profile.interruptions.playout_position)
    if profile.realtime:
        r = profile.realtime
        found += [r.input_tokens, r.output_tokens, r.cached_input_tokens, r.time_to_first_byte]
    return [m for m in found if m is not None]


def _conditions(count: SpanCount, use: str) -> list[tuple[str, str | None, str]]:
    refs: list[tuple[str, str | None, str]] = [(count.span, None, use)]
    for condition in count.where:
        refs += [(count.span, key.name, "present") for key in parse_filter(condition).keys()]
    return refs


def references(profile: Profile) -> list[tuple[str, str | None, str]]:
    """(span, attribute or None, use) for every name the profile gives panels to query."""
    refs: list[tuple[str, str | None, str]] = [
        (profile.conversation_span, None, "conversation span"),
        (profile.turns.span, None, "turn count"),
    ]
    if profile.turns.unless_attribute:
        refs.append((profile.turns.span, profile.turns.unless_attribute, "present"))
    refs += [(span, None, "call span") for span in profile.call_spans]
    if profile.call_start:
        refs += _conditions(profile.call_start, "call start")
    refs += [(m.span, m.attribute, "measure") for m in measures(profile)]
    refs += [(a.span, a.attribute, "string") for a in (*profile.model.values(), *profile.provider.values())]
    if profile.close_reason:
        refs.append((profile.close_reason.span, profile.close_reason.attribute, "string"))
    if profile.probe:
        refs.append((profile.probe.span, profile.probe.attribute, "bool"))
    if profile.interruptions:
        flag, source = profile.interruptions.flag, profile.interruptions.source
        refs.append((flag.span, flag.attribute, "bool"))
        if source:
            refs.append((source.span, source.attribute, "string"))
    if profile.tool_calls:
        tools = profile.tool_calls
        refs += [(tools.span, tools.name, "string"), (tools.span, tools.error_flag, "bool")]
    if profile.dead_air:
        refs += _conditions(profile.dead_air.needs_reply, "needs a reply")
        refs += _conditions(profile.dead_air.replied, "replied")
    if profile.tts_without_audio:
        refs += _conditions(profile.tts_without_audio, "TTS without audio")
    if profile.realtime:
        # the panels group and filter a speech-to-speech model's replies by the LLM's provider and model
        reply = profile.realtime.input_tokens.span
        refs += [(reply, profile.model["llm"].attribute, "string"), (reply, profile.provider["llm"].attribute, "string")]
    return refs


def expected_unit(attribute: str) -> str | None:
    if attribute in INTRINSIC_NUMBERS:
        return INTRINSIC_NUMBERS[attribute]
    if SECONDS.search(attribute):
        return "s"
    if attribute.startswith("gen_ai.usage."):
        return "none"
    return None


def check_profile(profile: Profile, catalog: dict) -> list[str]:
    problems = []
    spans = catalog["spans"]
    for span, attribute, use in references(profile):
        if span not in spans:
            problems.append(f"span {span!r} ({use}) never emitted")
            continue
        if attribute is None or attribute in INTRINSIC_NUMBERS:
            continue
        types = attribute_types(catalog, span, attribute)
        if not types:
            problems.append(f"{span}.{attribute} ({use}) never emitted")
        elif use == "measure" and types != {"number"}:
            problems.append(f"{span}.{attribute} is {types}, a measure needs a number")
        elif use in ("string", "bool") and types != {use}:
            problems.append(f"{span}.{attribute} is {types}, expected a {use}")
    for m in measures(profile):
        if (unit := expected_unit(m.attribute)) is not None and m.unit != unit:
            problems.append(f"{m.span}.{m.attribute} has unit {m.unit!r}, its values are in {unit!r}")
    return problems


@pytest.mark.parametrize("source", sources())
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_names_exist_in_captured_spans(name: str, source: str) -> None:
    profile = PROFILES[name]
    capture = load_capture(capture_path(profile, source))
    assert capture["version"] == profile.verified_on[0], "the capture is not of the profile's pinned version"
    assert check_profile(profile, build_catalog(capture)) == []


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_shipped_catalog_passes_the_same_contract(name: str) -> None:
    profile = PROFILES[name]
    catalog = load_catalog(profile.catalog)
    assert (catalog["framework"], catalog["version"]) == (profile.framework, profile.verified_on[0])
    assert check_profile(profile, catalog) == []


# One committed capture per profile: the parametrisation cannot shrink to nothing unnoticed.
CAPTURES = sorted(FIXTURES / f"{PROFILES[name].catalog}.gz" for name in PROFILES)


def test_every_profile_has_a_committed_capture() -> None:
    assert [p for p in CAPTURES if not p.is_file()] == []


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_catalogs_equal_what_the_committed_captures_produce(path) -> None:
    capture = load_capture(path)
    name = catalog_name(capture)
    assert f"{name}.gz" == path.name
    shipped = (FIXTURES.parents[2] / "src" / "signoz_dac" / "profiles" / "catalog" / name).read_text()
    assert shipped == render(build_catalog(capture)), f"regenerate: python tests/telemetry/capture/catalog.py {path}"


@pytest.mark.parametrize("source", sources())
@pytest.mark.parametrize("name", sorted(PROFILES))
def test_capture_shape(name: str, source: str) -> None:
    """The normalised span format every consumer (store, tests, benchmarks) relies on."""
    capture = load_capture(capture_path(PROFILES[name], source))
    assert set(capture) == {"framework", "version", "captured_with", "spans", "scenarios"}
    keys = {"trace_id", "span_id", "parent_span_id", "name", "kind", "status_code", "status_message",
            "start_ns", "end_ns", "attributes", "resource", "scope", "events"}
    span_ids = {s["span_id"] for s in capture["spans"]}
    for span in capture["spans"]:
        assert set(span) == keys
        assert re.fullmatch(r"[0-9a-f]{32}", span["trace_id"]) and re.fullmatch(r"[0-9a-f]{16}", span["span_id"])
        assert span["parent_span_id"] == "" or span["parent_span_id"] in span_ids, "orphan span"
        assert span["kind"].startswith("SPAN_KIND_") and span["status_code"].startswith("STATUS_CODE_")
        assert 0 < span["start_ns"] <= span["end_ns"]
    labels = capture["scenarios"]
    assert set(labels) == {s["trace_id"] for s in capture["spans"]}, "every trace is labelled"
    conversations = {label for label in labels.values() if "/" not in label}
    assert conversations == expected_scenarios(capture["framework"])
    assert len(conversations) == len([label for label in labels.values() if "/" not in label]), "one trace per call"
    # Other traces only where LiveKit >= 1.8.2 puts the job's shutdown with the provider set in the entrypoint.
    extra = {label for label in labels.values() if "/" in label}
    expected_extra = set()
    version = tuple(int(part) for part in capture["version"].split("."))
    if capture["framework"] == "livekit-agents" and version >= (1, 8, 2):
        expected_extra = {f"provider_in_entrypoint:{name}/job_shutdown" for name in capture_run.IN_ENTRYPOINT_SCENARIOS}
    assert extra == expected_extra
    services = {s["resource"]["service.name"] for s in capture["spans"]}
    expected_services = {"voice-agent", capture_run.SECOND_SERVICE}
    if capture["framework"] == "livekit-agents":
        expected_services.add(capture_run.IN_ENTRYPOINT_SERVICE)
    assert services == expected_services


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_fixtures_stay_small(path) -> None:
    assert path.stat().st_size < 80_000


def test_the_check_catches_wrong_names_types_and_units() -> None:
    """The contract check itself: the mistakes the official dashboards make are reported."""
    from signoz_dac.profiles import Measure

    pipecat = PROFILES["pipecat"]
    catalog = load_catalog(pipecat.catalog)
    wrong = pipecat.model_copy(update={
        "conversation_span": "conversation-1",  # the long names of unreleased pipecat commits
        "turn_latency": Measure(span="turn", attribute="turn.latency", unit="s"),
        "input_tokens": Measure(span="llm", attribute="gen_ai.request.model", unit="none"),
        "component_latency": {"stt": Measure(span="stt", attribute="metrics.ttfb", unit="ms")},
    })
    problems = "\n".join(check_profile(wrong, catalog))
    assert "conversation-1" in problems
    assert "turn.latency" in problems
    assert "gen_ai.request.model is {'string'}" in problems
    assert "unit 'ms'" in problems

    livekit = PROFILES["livekit"]
    catalog = load_catalog(livekit.catalog)
    wrong = livekit.model_copy(update={
        "tool_calls": livekit.tool_calls.model_copy(update={"error_flag": "lk.function_tool.name"}),
        "dead_air": livekit.dead_air.model_copy(update={
            "replied": SpanCount(span="agent_turn", where=("lk.e2e_latency_s EXISTS",)),
        }),
    })
    problems = "\n".join(check_profile(wrong, catalog))
    assert "lk.function_tool.name is {'string'}, expected a bool" in problems
    assert "agent_turn.lk.e2e_latency_s (present) never emitted" in problems
