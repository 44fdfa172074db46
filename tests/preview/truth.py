"""Ground truth for every shipped panel and alert rule, computed in plain Python from the spans.

Nothing here comes from the code under test: which span carries what is written down below
(`FACTS`, from the frameworks' telemetry as the README's panel table states it), and each
function computes what its panel should show straight from the span dicts. The tables are keyed
by panel key and rule id; a new shipped panel or rule fails `test_every_shipped_panel_has_a_truth`
until it gets a line here (or in NOT_COMPUTED, with the reason the page shows).

Units: truths are in base units (seconds for latencies, a 0–1 fraction for rates, plain counts);
the tests convert what a panel evaluates from the panel's unit before comparing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MODEL = "gen_ai.request.model"
INPUT, OUTPUT = "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"


@dataclass(frozen=True)
class Facts:
    """Which span carries what, per framework (not read from signoz_dac's profiles)."""

    llm: str  # the LLM call span: tokens, LLM model
    calls: tuple[str, ...]  # provider calls whose failures make the error rate
    conversation: str  # one root span per conversation
    turn: str  # one span per turn
    turn_unless: str | None  # a turn span carrying this attribute is not a new turn
    models: dict[str, str]  # component → span whose gen_ai.request.model is the component's model
    turn_latency: tuple[str, str]  # (span, attribute in seconds): user stops → agent speaks
    latency: dict[str, tuple[str, str, bool]]  # component → (span, attribute in seconds, skip errored spans)
    model_filtered: tuple[str, ...]  # spans the LLM-model variable filters (the LLM panels)


PIPECAT = Facts(
    llm="llm", calls=("llm",), conversation="conversation", turn="turn", turn_unless=None,
    models={"stt": "stt", "llm": "llm", "tts": "tts"},
    turn_latency=("turn", "turn.user_bot_latency_seconds"),
    latency={"stt": ("stt", "metrics.ttfb", False), "llm": ("llm", "metrics.ttfb", True), "tts": ("tts", "metrics.ttfb", False)},
    model_filtered=("llm",),
)  # fmt: skip
LIVEKIT = Facts(
    llm="llm_request", calls=("llm_request", "tts_request"), conversation="job_entrypoint", turn="agent_turn",
    turn_unless=None, models={"stt": "user_turn", "llm": "llm_request", "tts": "tts_node"},
    turn_latency=("agent_turn", "lk.e2e_latency"),
    latency={"stt": ("user_turn", "lk.transcription_delay", False), "llm": ("llm_node", "lk.response.ttft", False),
             "tts": ("tts_node", "lk.response.ttfb", False)},
    model_filtered=("llm_request", "llm_node"),
)  # fmt: skip
LIVEKIT_LEGACY = Facts(**{**LIVEKIT.__dict__, "conversation": "agent_session", "turn_unless": "lk.parent_generation_id"})
FACTS = {"pipecat": PIPECAT, "livekit": LIVEKIT, "livekit-legacy": LIVEKIT_LEGACY}


def percentile(values: Iterable[float], q: float) -> float:
    """The q-quantile with linear interpolation between the two nearest ranks (index q·(n−1))."""
    ordered = sorted(values)
    index = q * (len(ordered) - 1)
    low = math.floor(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


@dataclass
class World:
    """The spans a dashboard sees: a time range, a step, and the variable selections."""

    spans: list[dict[str, Any]]
    facts: Facts
    start_ns: int
    end_ns: int
    step: int  # seconds: the time-series bucket width
    services: frozenset[str] | None = None  # None: ALL
    models: frozenset[str] | None = None  # the LLM-model variable: None = ALL (every model seen on the LLM span)
    turns_threshold: int = 3

    def named(self, *names: str, model_filter: bool = False) -> list[dict[str, Any]]:
        """Spans with one of these names that start in the range, in the selected services."""
        out = []
        for s in self.spans:
            if s["name"] not in names or not self.start_ns <= s["start_ns"] < self.end_ns:
                continue
            if self.services is not None and s["resource"].get("service.name") not in self.services:
                continue
            if model_filter and s["name"] in self.facts.model_filtered:
                model = s["attributes"].get(MODEL)
                allowed = self.models if self.models is not None else self.all_models()
                if model not in allowed:
                    continue
            out.append(s)
        return out

    def all_models(self) -> frozenset[str]:
        return frozenset(s["attributes"][MODEL] for s in self.spans if s["name"] == self.facts.llm and MODEL in s["attributes"])

    def bucket(self, span: dict[str, Any], step: int | None = None) -> int:
        width = step or self.step
        return span["start_ns"] // 1_000_000_000 // width * width


def failed(span: dict[str, Any]) -> bool:
    return span["status_code"] == "STATUS_CODE_ERROR"


def service(span: dict[str, Any]) -> str:
    return span["resource"].get("service.name", "")


def _has(span: dict[str, Any], attribute: str) -> bool:
    return attribute in span["attributes"]


# -- building blocks --------------------------------------------------------------------------------


def _by(spans: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for s in spans:
        groups[key(s)].append(s)
    return dict(groups)


def _shown(series: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
    """A series without a single point is not drawn at all."""
    return {label: points for label, points in series.items() if points}


def token_total(w: World, attribute: str) -> float:
    return sum(s["attributes"][attribute] for s in w.named(w.facts.llm, model_filter=True) if _has(s, attribute))


def tokens_over_time(w: World) -> dict[str, dict[int, float]]:
    out = {}
    for label, attribute in (("input", INPUT), ("output", OUTPUT)):
        carriers = [s for s in w.named(w.facts.llm, model_filter=True) if _has(s, attribute)]
        out[label] = {b: sum(s["attributes"][attribute] for s in group) for b, group in _by(carriers, w.bucket).items()}
    return _shown(out)


def error_rate(spans: list[dict[str, Any]]) -> float | None:
    return sum(map(failed, spans)) / len(spans) if spans else None


def error_rate_over_time(w: World) -> dict[str, dict[int, float]]:
    calls = w.named(*w.facts.calls)
    return _shown({"error rate": {b: error_rate(group) for b, group in _by(calls, w.bucket).items()}})


def conversations_over_time(w: World) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for (svc, b), group in _by(w.named(w.facts.conversation), lambda s: (service(s), w.bucket(s))).items():
        out[svc][b] = float(len(group))
    return dict(out)


def services_and_languages(w: World) -> list[tuple[Any, ...]]:
    groups = _by(w.named(w.facts.conversation),
                 lambda s: (service(s), s["resource"].get("telemetry.sdk.language")))
    return sorted(((svc, lang, float(len(g))) for (svc, lang), g in groups.items()), key=lambda r: (-r[2], r[0], r[1]))


def model_distribution(component: str) -> Callable[[World], dict[str, float]]:
    def truth(w: World) -> dict[str, float]:
        span = w.facts.models[component]
        carriers = [s for s in w.named(span, model_filter=component == "llm") if _has(s, MODEL)]
        return {m: float(len(g)) for m, g in _by(carriers, lambda s: s["attributes"][MODEL]).items()}
    return truth


def latencies(w: World, span: str, attribute: str, skip_errors: bool) -> list[dict[str, Any]]:
    return [s for s in w.named(span, model_filter=True) if _has(s, attribute) and not (skip_errors and failed(s))]


def latency_over_time(w: World, span: str, attribute: str, skip_errors: bool, stats: tuple[str, ...]) -> dict[str, dict[int, float]]:
    carriers = latencies(w, span, attribute, skip_errors)
    buckets = _by(carriers, w.bucket)
    compute = {
        "avg": lambda xs: sum(xs) / len(xs),
        "p50": lambda xs: percentile(xs, 0.50), "p95": lambda xs: percentile(xs, 0.95),
        "p99": lambda xs: percentile(xs, 0.99),
    }  # fmt: skip
    return _shown({
        stat: {b: compute[stat]([s["attributes"][attribute] for s in group]) for b, group in buckets.items()}
        for stat in stats
    })


def turn_latency_p95(w: World) -> float | None:
    span, attribute = w.facts.turn_latency
    values = [s["attributes"][attribute] for s in latencies(w, span, attribute, False)]
    return percentile(values, 0.95) if values else None


def turn_latency(w: World) -> dict[str, dict[int, float]]:
    span, attribute = w.facts.turn_latency
    return latency_over_time(w, span, attribute, False, ("avg", "p50", "p95", "p99"))


def component_latency(component: str) -> Callable[[World], dict[str, dict[int, float]]]:
    def truth(w: World) -> dict[str, dict[int, float]]:
        span, attribute, skip_errors = w.facts.latency[component]
        return latency_over_time(w, span, attribute, skip_errors, ("avg", "p50", "p95"))
    return truth


def finished_conversations(w: World) -> list[tuple[str, int]]:
    """(trace id, turns) of the conversations whose root span ended inside the range (inclusive),
    in the selected services, with every turn of their trace."""
    out = []
    for root in w.spans:
        if root["name"] != w.facts.conversation or not w.start_ns <= root["end_ns"] <= w.end_ns:
            continue
        if w.services is not None and service(root) not in w.services:
            continue
        turns = sum(
            1 for s in w.spans
            if s["trace_id"] == root["trace_id"] and s["name"] == w.facts.turn
            and not (w.facts.turn_unless and _has(s, w.facts.turn_unless))
        )
        out.append((root["trace_id"], turns))
    return out


def below_threshold_list(w: World) -> list[tuple[Any, ...]]:
    return sorted(((t, float(n)) for t, n in finished_conversations(w) if n < w.turns_threshold), key=lambda r: (r[1], r[0]))


def average_turns(w: World) -> float | None:
    finished = finished_conversations(w)
    return round(sum(n for _, n in finished) / len(finished), 2) if finished else None


def error_records(w: World) -> list[tuple[Any, ...]]:
    """Spans with an error status, newest first: (start ns, service, name, status message, duration ns, trace id)."""
    errors = sorted((s for s in w.named(*{s["name"] for s in w.spans}) if failed(s)), key=lambda s: -s["start_ns"])
    return [(s["start_ns"], service(s), s["name"], s["status_message"], s["end_ns"] - s["start_ns"], s["trace_id"])
            for s in errors[:100]]


# -- the tables -------------------------------------------------------------------------------------

PANEL_TRUTH: dict[str, Callable[[World], Any]] = {
    "token-usage-input": lambda w: token_total(w, INPUT),
    "token-usage-output": lambda w: token_total(w, OUTPUT),
    "token-usage-over-time": tokens_over_time,
    "error-rate": lambda w: error_rate(w.named(*w.facts.calls)),
    "error-rate-over-time": error_rate_over_time,
    "conversations-over-time": conversations_over_time,
    "services-and-languages": services_and_languages,
    "model-distribution-stt": model_distribution("stt"),
    "model-distribution-llm": model_distribution("llm"),
    "model-distribution-tts": model_distribution("tts"),
    "conversations-below-threshold": lambda w: float(len(below_threshold_list(w))),
    "average-turns-per-conversation": average_turns,
    "conversations-below-threshold-list": below_threshold_list,
    "turn-latency-p95": turn_latency_p95,
    "turn-latency": turn_latency,
    "component-latency-stt": component_latency("stt"),
    "component-latency-llm": component_latency("llm"),
    "component-latency-tts": component_latency("tts"),
    "error-records": error_records,
}

# Panels the preview cannot compute from spans, and the reason its page shows.
NOT_COMPUTED: dict[str, str] = {
    "http-request-duration": "Metrics are not computed locally",
    "logs": "Logs are not computed locally",
}


# -- alert rules: per service, per minute (the rules run every minute on one-minute buckets) ----------


def _per_service_minute(w: World, spans: list[dict[str, Any]], value: Callable[[list[dict[str, Any]]], float | None]) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = defaultdict(dict)
    for (svc, minute), group in _by(spans, lambda s: (service(s), w.bucket(s, 60))).items():
        v = value(group)
        if v is not None:
            out[svc][minute] = v
    return dict(out)


def rule_latency_p95(span_attr: Callable[[Facts], tuple[str, str, bool]]) -> Callable[[World], dict[str, dict[int, float]]]:
    def truth(w: World) -> dict[str, dict[int, float]]:
        span, attribute, skip_errors = span_attr(w.facts)
        carriers = [s for s in w.named(span) if _has(s, attribute) and not (skip_errors and failed(s))]
        return _per_service_minute(w, carriers, lambda g: percentile([s["attributes"][attribute] for s in g], 0.95))
    return truth


def rule_error_rate(w: World) -> dict[str, dict[int, float]]:
    return _per_service_minute(w, w.named(*w.facts.calls), error_rate)


def rule_tokens_per_turn(w: World) -> dict[str, dict[int, float]]:
    """(input + output tokens on LLM calls) / turns, per service and minute with at least one turn."""
    out: dict[str, dict[int, float]] = defaultdict(dict)
    turns = _by([s for s in w.named(w.facts.turn) if not (w.facts.turn_unless and _has(s, w.facts.turn_unless))],
                lambda s: (service(s), w.bucket(s, 60)))
    calls = _by(w.named(w.facts.llm), lambda s: (service(s), w.bucket(s, 60)))
    for (svc, minute), group in turns.items():
        tokens = sum(s["attributes"].get(INPUT, 0) + s["attributes"].get(OUTPUT, 0) for s in calls.get((svc, minute), []))
        out[svc][minute] = tokens / len(group)
    return dict(out)


RULE_TRUTH: dict[str, Callable[[World], dict[str, dict[int, float]]]] = {
    "turn-latency-p95": rule_latency_p95(lambda f: (*f.turn_latency, False)),
    "error-rate": rule_error_rate,
    "component-latency-p95-stt": rule_latency_p95(lambda f: f.latency["stt"]),
    "component-latency-p95-llm": rule_latency_p95(lambda f: f.latency["llm"]),
    "component-latency-p95-tts": rule_latency_p95(lambda f: f.latency["tts"]),
    "tokens-per-turn": rule_tokens_per_turn,
}
