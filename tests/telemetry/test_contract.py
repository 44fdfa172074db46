"""Every name a profile queries exists in what its pinned framework version really emits, with a type
and unit that fit; the shipped catalogs are exactly what the captures produce."""

from __future__ import annotations

import re

import pytest

from signoz_dac.profiles import PROFILES, Profile
from signoz_dac.profiles.catalog import attribute_types, load_catalog
from tests.telemetry.capture.catalog import build_catalog, catalog_name, render
from tests.telemetry.conftest import FIXTURES, capture_path, load_capture, sources

INTRINSIC_NUMBERS = {"duration_nano": "ns"}  # span fields, not attributes (contract §4.4)
SECONDS = re.compile(r"(_seconds|latency|delay|ttft|ttfb)$")
ALL_SCENARIOS = {
    "multi_turn", "short_one_turn", "short_two_turns", "tool_call", "barge_in", "llm_error",
    "second_service:short_one_turn", "second_service:short_two_turns",
}


def references(profile: Profile) -> list[tuple[str, str | None, str]]:
    """(span, attribute or None, use) for every name the profile makes a panel query."""
    refs: list[tuple[str, str | None, str]] = [
        (profile.conversation_span, None, "conversation root"),
        (profile.turns.span, None, "turn count"),
    ]
    if profile.turns.unless_attribute:
        refs.append((profile.turns.span, profile.turns.unless_attribute, "present"))
    refs += [(span, None, "call span") for span in profile.call_spans]
    measures = [profile.input_tokens, profile.output_tokens, profile.turn_latency, *profile.component_latency.values()]
    refs += [(m.span, m.attribute, "measure") for m in measures if m is not None]
    refs += [(a.span, a.attribute, "string") for a in profile.model.values()]
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
        elif use == "string" and types != {"string"}:
            problems.append(f"{span}.{attribute} is {types}, expected a string")
    measures = [profile.input_tokens, profile.output_tokens, profile.turn_latency, *profile.component_latency.values()]
    for m in measures:
        if m is not None and (unit := expected_unit(m.attribute)) is not None and m.unit != unit:
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
CAPTURES = sorted(FIXTURES / f"{PROFILES[name].catalog}" for name in PROFILES)


def test_every_profile_has_a_committed_capture() -> None:
    assert [p for p in CAPTURES if not p.is_file()] == []


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_catalogs_equal_what_the_committed_captures_produce(path) -> None:
    capture = load_capture(path)
    name = catalog_name(capture)
    assert name == path.name
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
    assert set(capture["scenarios"].values()) == ALL_SCENARIOS
    assert set(capture["scenarios"]) == {s["trace_id"] for s in capture["spans"]}, "one trace per scenario"
    services = {s["resource"]["service.name"] for s in capture["spans"]}
    assert services == {"voice-agent", "voice-agent-eu"}


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_fixtures_stay_small(path) -> None:
    assert path.stat().st_size < 330_000


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
