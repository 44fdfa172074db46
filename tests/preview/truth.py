"""Ground truth for every shipped panel and alert rule, computed in plain Python from the spans.

Nothing here comes from the code under test: which span carries what is written down below
(`FACTS`, from the frameworks' telemetry as the README's panel table states it), and each
function computes what its panel should show straight from the span dicts. The tables are keyed
by panel key and rule id; a new shipped panel or rule fails `test_every_shipped_panel_and_rule_has_a_truth`
until it gets a line here (or in NOT_COMPUTED, with the reason the page shows).

Units: truths are in base units (seconds for latencies and durations, a 0–1 fraction for rates and
shares, plain counts, tokens per second); the tests convert what a panel evaluates from the panel's
unit before comparing.

What SigNoz does that the truths follow: a span belongs to a range when it starts in it; a time
series has one point per `floor(start / step) * step` bucket and group; a group whose key a span
lacks is the group of the missing value (label ""); a ratio has no point where its denominator
counts nothing; the ClickHouse SQL panels count conversations whose conversation span ends in the
range, with every span of their trace.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

MODEL, PROVIDER = "gen_ai.request.model", "gen_ai.provider.name"
INPUT, OUTPUT = "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"
CACHED = "gen_ai.usage.cache_read.input_tokens"
SERVICE, LANGUAGE = "service.name", "telemetry.sdk.language"
DAY = 86400

Span = dict[str, Any]
Predicate = Callable[[Span], bool]
Points = dict[int, float]


def named(*names: str, having: Callable[[dict[str, Any]], bool] = lambda a: True) -> Predicate:
    """Spans with one of these names whose attributes pass `having`."""
    return lambda s: s["name"] in names and having(s["attributes"])


@dataclass(frozen=True)
class Facts:
    """Which span carries what, per framework (not read from signoz_dac's profiles)."""

    calls: tuple[str, ...]  # provider calls whose failures make the error rate
    probe: str | None  # a bool attribute true on a background probe call: not a call of the caller's
    conversation: str  # one span per conversation, as long as the call
    call_start: Predicate  # one span per call, exported seconds after the call starts
    turn: str  # one span per agent turn
    turn_unless: str | None  # a turn span carrying this attribute is not a new turn
    token_spans: tuple[str, ...]  # each model call's token counts once: LLM calls, speech-to-speech replies
    cached_spans: tuple[str, ...]  # the spans whose cached input tokens count
    model_variable: tuple[str, ...]  # the spans the LLM-model variable lists its models from
    models: dict[str, tuple[str, ...]]  # component → spans whose gen_ai.request.model its pie counts
    turn_latency: tuple[str, str]  # (span, attribute in seconds): user stops → agent speaks
    latency: dict[str, tuple[str, str, bool]]  # component → (span, attribute in seconds, skip errored spans)
    needs_reply: Predicate  # a caller turn that needs a reply
    replied: Predicate  # a reply the caller heard the start of
    interrupted: str  # bool attribute on the turn span: the caller talked over the reply
    last_turn_interrupted: bool  # the framework closes every call's open turn as interrupted
    realtime_latency: tuple[str, str] | None = None  # a speech-to-speech reply's time to first audio
    tts_silent: tuple[str, str] | None = None  # (TTS span, attribute a synthesis with audio carries)
    interruption: tuple[str, str] | None = None  # (source attribute, playout position attribute) on the turn
    tools: tuple[str, str, str] | None = None  # (span, tool name attribute, failed flag)
    end_of_turn: tuple[str, str] | None = None  # caller stops speaking → turn committed
    endpointing: tuple[str, str] | None = None  # the end-of-speech delay in force
    close_reason: tuple[str, str] | None = None  # why a call ended


PIPECAT = Facts(
    calls=("llm",), probe=None, conversation="conversation",
    call_start=named("turn", having=lambda a: a.get("turn.number") == 1),
    turn="turn", turn_unless=None,
    token_spans=("llm", "llm_response"), cached_spans=("llm", "llm_response"), model_variable=("llm", "llm_response"),
    models={"stt": ("stt",), "llm": ("llm", "llm_response"), "tts": ("tts",)},
    turn_latency=("turn", "turn.user_bot_latency_seconds"),
    latency={"stt": ("stt", "metrics.ttfb", False), "llm": ("llm", "metrics.ttfb", True), "tts": ("tts", "metrics.ttfb", False)},
    needs_reply=named("turn", having=lambda a: a.get("turn.number", 0) > 1),
    replied=named("turn", having=lambda a: a.get("turn.number", 0) > 1 and "turn.user_bot_latency_seconds" in a),
    interrupted="turn.was_interrupted", last_turn_interrupted=True,
    realtime_latency=("llm_response", "metrics.ttfb"), tts_silent=("tts", "metrics.ttfb"),
)  # fmt: skip
LIVEKIT = Facts(
    calls=("llm_request", "tts_request"), probe="lk.fallback.recovery", conversation="agent_session",
    call_start=named("session_start"), turn="agent_turn", turn_unless=None,
    token_spans=("llm_request", "realtime_inference"), cached_spans=("llm_request", "realtime_inference"),
    model_variable=("llm_request", "llm_node", "realtime_inference"),
    models={"stt": ("user_turn",), "llm": ("llm_request", "realtime_inference"), "tts": ("tts_node",)},
    turn_latency=("agent_turn", "lk.e2e_latency"),
    latency={"stt": ("user_turn", "lk.transcription_delay", False), "llm": ("llm_node", "lk.response.ttft", False),
             "tts": ("tts_node", "lk.response.ttfb", False)},
    needs_reply=named("user_turn"), replied=named("agent_turn", having=lambda a: "lk.e2e_latency" in a),
    interrupted="lk.interrupted", last_turn_interrupted=False,
    realtime_latency=("realtime_inference", "gen_ai.response.time_to_first_chunk"),
    interruption=("lk.interruption.source", "lk.playout.position"),
    tools=("function_tool", "lk.function_tool.name", "lk.function_tool.is_error"),
    end_of_turn=("user_turn", "lk.end_of_turn_delay"), endpointing=("eou_wait", "lk.eou.endpointing_delay"),
    close_reason=("session_close", "lk.close_reason"),
)  # fmt: skip
# livekit-agents 1.7: no session_start, session_close or eou_wait span, no interruption source, no
# realtime time to first audio; a speech-to-speech reply's tokens are on agent_turn (its cached
# tokens under another name); follow-up generations of a tool call are not new turns.
LIVEKIT_LEGACY = Facts(**{
    **LIVEKIT.__dict__, "probe": None, "call_start": named("agent_session"), "turn_unless": "lk.parent_generation_id",
    "token_spans": ("llm_request", "agent_turn"), "cached_spans": ("llm_request",),
    "model_variable": ("llm_request", "llm_node", "agent_turn"),
    "models": {**LIVEKIT.models, "llm": ("llm_request", "agent_turn")}, "realtime_latency": None,
    "interruption": None, "endpointing": None, "close_reason": None,
})  # fmt: skip
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

    spans: list[Span]
    facts: Facts
    start_ns: int
    end_ns: int
    step: int  # seconds: the time-series bucket width
    services: frozenset[str] | None = None  # None: ALL
    models: frozenset[str] | None = None  # the LLM-model variable: None = ALL (every model it lists)
    turns_threshold: int = 3
    alerts: list[dict[str, Any]] = field(default_factory=list)  # the definition's `alerts.rules`
    prices: Prices | None = None  # the definition's `prices:`

    def select(self, predicate: Predicate, *, model_filter: bool = False) -> list[Span]:
        """Spans that pass `predicate`, start in the range and are in the selected services; with
        `model_filter` (a panel with `gen_ai.request.model IN $llm_model`), only those whose model
        the variable selects (a span without a model never is)."""
        allowed = (self.models if self.models is not None else self.all_models()) if model_filter else None
        return [
            s for s in self.spans
            if predicate(s) and self.start_ns <= s["start_ns"] < self.end_ns
            and (self.services is None or service(s) in self.services)
            and (allowed is None or s["attributes"].get(MODEL) in allowed)
        ]  # fmt: skip

    def named(self, *names: str, model_filter: bool = False) -> list[Span]:
        return self.select(named(*names), model_filter=model_filter)

    def all_models(self) -> frozenset[str]:
        """The LLM-model variable's options: the models on its spans in the range (any service)."""
        return frozenset(
            s["attributes"][MODEL] for s in self.spans
            if s["name"] in self.facts.model_variable and MODEL in s["attributes"]
            and self.start_ns <= s["start_ns"] <= self.end_ns
        )  # fmt: skip

    def bucket(self, span: Span, step: int | None = None) -> int:
        width = step or self.step
        return span["start_ns"] // 1_000_000_000 // width * width

    def turns(self) -> list[Span]:
        unless = self.facts.turn_unless
        return self.select(named(self.facts.turn, having=lambda a: not (unless and unless in a)))


def failed(span: Span) -> bool:
    return span["status_code"] == "STATUS_CODE_ERROR"


def service(span: Span) -> str:
    return span["resource"].get(SERVICE, "")


def seconds(span: Span) -> float:
    return (span["end_ns"] - span["start_ns"]) / 1e9


def _has(span: Span, attribute: str) -> bool:
    return attribute in span["attributes"]


# -- building blocks --------------------------------------------------------------------------------


def _by(spans: Iterable[Span], key: Callable[[Span], Any]) -> dict[Any, list[Span]]:
    groups: dict[Any, list[Span]] = defaultdict(list)
    for s in spans:
        groups[key(s)].append(s)
    return dict(groups)


def _shown(series: dict[str, Points]) -> dict[str, Points]:
    """A series without a single point is not drawn at all."""
    return {label: points for label, points in series.items() if points}


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def share_over_time(w: World, part: list[Span], whole: list[Span], label: Callable[[Span], str],
                    subtract: bool = False) -> dict[str, Points]:
    """part ÷ whole (or (whole − part) ÷ whole) per label and bucket, each counted in its own
    spans' buckets; no point where `whole` counts nothing."""
    parts = {k: len(g) for k, g in _by(part, lambda s: (label(s), w.bucket(s))).items()}
    wholes = {k: len(g) for k, g in _by(whole, lambda s: (label(s), w.bucket(s))).items()}
    out: dict[str, Points] = defaultdict(dict)
    for (name, b) in set(parts) | set(wholes):
        n, d = parts.get((name, b), 0), wholes.get((name, b), 0)
        value = _ratio(d - n if subtract else n, d)
        if value is not None:
            out[name][b] = value
    return _shown(dict(out))


def stats_over_time(spans: list[Span], value: Callable[[Span], float], bucket: Callable[[Span], int],
                    label: Callable[[Span], str], stats: dict[str, Callable[[list[float]], float]]) -> dict[str, Points]:
    """`stats` of `value` per label and bucket, each statistic its own series ("<stat> <label>")."""
    out: dict[str, Points] = defaultdict(dict)
    for (name, b), group in _by(spans, lambda s: (label(s), bucket(s))).items():
        for stat, compute in stats.items():
            out[f"{stat} {name}".strip()][b] = compute([value(s) for s in group])
    return _shown(dict(out))


def p(q: float) -> Callable[[list[float]], float]:
    return lambda xs: percentile(xs, q)


def avg(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def counts(spans: Iterable[Span], key: Callable[[Span], Any]) -> dict[Any, float]:
    return {k: float(len(g)) for k, g in _by(spans, key).items()}


def group_label(*keys: str) -> Callable[[Span], str]:
    """The legend of a series grouped by these keys (resource or span attributes; "" when missing)."""
    def label(s: Span) -> str:
        return " ".join(str(s["resource"].get(k, s["attributes"].get(k, s.get(k))) or "") for k in keys)
    return label


# -- SLO and errors -----------------------------------------------------------------------------------


def turn_latency_values(w: World) -> list[Span]:
    span, attribute = w.facts.turn_latency
    return w.select(named(span, having=lambda a: attribute in a))


def turn_latency_p95(w: World) -> float | None:
    attribute = w.facts.turn_latency[1]
    values = [s["attributes"][attribute] for s in turn_latency_values(w)]
    return percentile(values, 0.95) if values else None


def turn_latency(w: World) -> dict[str, Points]:
    attribute = w.facts.turn_latency[1]
    return stats_over_time(turn_latency_values(w), lambda s: s["attributes"][attribute], w.bucket, service,
                           {"p50": p(0.50), "p95": p(0.95)})


def dead_air(w: World) -> float | None:
    needs, replied = len(w.select(w.facts.needs_reply)), len(w.select(w.facts.replied))
    return _ratio(needs - replied, needs)


def dead_air_over_time(w: World) -> dict[str, Points]:
    return share_over_time(w, w.select(w.facts.replied), w.select(w.facts.needs_reply), service, subtract=True)


def calls(w: World) -> list[Span]:
    probe = w.facts.probe
    return w.select(named(*w.facts.calls, having=lambda a: not (probe and a.get(probe) is True)))


def error_rate(w: World) -> float | None:
    every = calls(w)
    return _ratio(sum(map(failed, every)), len(every))


def error_rate_over_time(w: World) -> dict[str, Points]:
    every = calls(w)
    return share_over_time(w, [s for s in every if failed(s)], every, group_label("name", PROVIDER))


def tts_without_audio(w: World) -> float | None:
    span, attribute = w.facts.tts_silent  # type: ignore[misc]
    every = w.named(span)
    return _ratio(sum(not _has(s, attribute) for s in every), len(every))


def tts_without_audio_over_time(w: World) -> dict[str, Points]:
    span, attribute = w.facts.tts_silent  # type: ignore[misc]
    every = w.named(span)
    return share_over_time(w, [s for s in every if not _has(s, attribute)], every, service)


def tool_calls(w: World) -> list[tuple[Any, ...]]:
    """(tool, calls, P95 duration in s, failures) per tool."""
    span, name, flag = w.facts.tools  # type: ignore[misc]
    return [(tool, float(len(g)), percentile([seconds(s) for s in g], 0.95),
             float(sum(s["attributes"].get(flag) is True for s in g)))
            for tool, g in _by(w.named(span), lambda s: s["attributes"].get(name)).items()]


def error_records(w: World) -> list[tuple[Any, ...]]:
    """Spans with an error status, newest first: (start ns, service, name, status message, duration
    ns, trace id), the panel's columns."""
    errors = sorted(w.select(failed), key=lambda s: -s["start_ns"])
    return [(s["start_ns"], service(s), s["name"], s["status_message"], s["end_ns"] - s["start_ns"], s["trace_id"])
            for s in errors[:100]]


# -- latency ------------------------------------------------------------------------------------------


def _latency_spans(w: World, span: str, attribute: str, skip_errors: bool, model_filter: bool) -> list[Span]:
    return w.select(named(span, having=lambda a: attribute in a), model_filter=model_filter)


def component_latency(component: str) -> Callable[[World], dict[str, Points]]:
    def truth(w: World) -> dict[str, Points]:
        span, attribute, skip_errors = w.facts.latency[component]
        carriers = [s for s in _latency_spans(w, span, attribute, skip_errors, component == "llm")
                    if not (skip_errors and failed(s))]
        return stats_over_time(carriers, lambda s: s["attributes"][attribute], w.bucket,
                               group_label(SERVICE, PROVIDER, MODEL), {"p95": p(0.95)})
    return truth


def latency_by_provider(w: World) -> list[tuple[Any, ...]]:
    """(provider, model, STT P95, LLM P95, TTS P95) per provider and model that any stage has."""
    columns: dict[tuple[Any, Any], list[float | None]] = defaultdict(lambda: [None, None, None])
    for i, component in enumerate(("stt", "llm", "tts")):
        span, attribute, skip_errors = w.facts.latency[component]
        carriers = [s for s in _latency_spans(w, span, attribute, skip_errors, component == "llm")
                    if not (skip_errors and failed(s))]
        for key, g in _by(carriers, lambda s: (s["attributes"].get(PROVIDER), s["attributes"].get(MODEL))).items():
            columns[key][i] = percentile([s["attributes"][attribute] for s in g], 0.95)
    return [(*key, *values) for key, values in columns.items()]


def realtime_latency(w: World) -> dict[str, Points]:
    span, attribute = w.facts.realtime_latency  # type: ignore[misc]
    carriers = w.select(named(span, having=lambda a: attribute in a), model_filter=True)
    return stats_over_time(carriers, lambda s: s["attributes"][attribute], w.bucket,
                           group_label(SERVICE, PROVIDER, MODEL), {"p50": p(0.50), "p95": p(0.95)})


def end_of_utterance(w: World) -> dict[str, Points]:
    span, attribute = w.facts.end_of_turn  # type: ignore[misc]
    carriers = w.select(named(span, having=lambda a: attribute in a))
    out = stats_over_time(carriers, lambda s: s["attributes"][attribute], w.bucket, lambda s: "",
                          {"p50": p(0.50), "p95": p(0.95)})
    if w.facts.endpointing:
        span, attribute = w.facts.endpointing
        waits = w.select(named(span, having=lambda a: attribute in a))
        out.update(stats_over_time(waits, lambda s: s["attributes"][attribute], w.bucket, lambda s: "",
                                   {"endpointing delay (avg)": avg}))
    return out


# -- conversations ------------------------------------------------------------------------------------


def conversations_over_time(w: World) -> dict[str, Points]:
    return {svc: {b: float(len(g)) for b, g in _by(group, w.bucket).items()}
            for svc, group in _by(w.select(w.facts.call_start), service).items()}


def services_and_languages(w: World) -> list[tuple[Any, ...]]:
    return [(svc, lang, n) for (svc, lang), n in
            counts(w.select(w.facts.call_start), lambda s: (service(s), s["resource"].get(LANGUAGE))).items()]


def call_duration(w: World) -> dict[str, Points]:
    return stats_over_time(w.named(w.facts.conversation), seconds, w.bucket, lambda s: "",
                           {"p50": p(0.50), "p90": p(0.90), "p99": p(0.99)})


def call_end_reasons(w: World) -> dict[str, float]:
    span, attribute = w.facts.close_reason  # type: ignore[misc]
    return {str(k or ""): v for k, v in counts(w.named(span), lambda s: s["attributes"].get(attribute)).items()}


def shortest_conversations(w: World) -> list[tuple[Any, ...]]:
    """(trace id, turns) per trace with a turn in the range, fewest first (50 rows)."""
    return sorted(counts(w.turns(), lambda s: s["trace_id"]).items(), key=lambda r: (r[1], r[0]))[:50]


def interruptions_by_source(w: World) -> list[tuple[Any, ...]]:
    """(source, interrupted turns, median share of the reply heard) per interruption source."""
    source, playout = w.facts.interruption  # type: ignore[misc]
    cut = w.select(named(w.facts.turn, having=lambda a: a.get(w.facts.interrupted) is True))
    out = []
    for key, g in _by(cut, lambda s: s["attributes"].get(source)).items():
        heard = [s["attributes"][playout] for s in g if playout in s["attributes"]]
        out.append((key, float(len(g)), percentile(heard, 0.5) if heard else None))
    return out


def model_distribution(component: str) -> Callable[[World], dict[str, float]]:
    def truth(w: World) -> dict[str, float]:
        carriers = w.select(named(*w.facts.models[component], having=lambda a: MODEL in a),
                            model_filter=component == "llm")
        return counts(carriers, lambda s: s["attributes"][MODEL])
    return truth


def finished_conversations(w: World) -> list[tuple[Span, list[Span]]]:
    """(conversation span, every span of its trace) of the conversations whose conversation span
    ended inside the range (inclusive), in the selected services."""
    traces = _by(w.spans, lambda s: s["trace_id"])
    out = []
    for root in w.spans:
        if root["name"] != w.facts.conversation or not w.start_ns <= root["end_ns"] <= w.end_ns:
            continue
        if w.services is not None and service(root) not in w.services:
            continue
        out.append((root, traces[root["trace_id"]]))
    return out


def turn_count(w: World, trace: list[Span]) -> int:
    unless = w.facts.turn_unless
    return sum(1 for s in trace if s["name"] == w.facts.turn and not (unless and _has(s, unless)))


def below_threshold_list(w: World) -> list[tuple[Any, ...]]:
    rows = [(root["trace_id"], float(turn_count(w, trace))) for root, trace in finished_conversations(w)]
    return sorted((r for r in rows if r[1] < w.turns_threshold), key=lambda r: (r[1], r[0]))


def _average(values: list[float], decimals: int) -> float | None:
    return round(sum(values) / len(values), decimals) if values else None


def average_turns(w: World) -> float | None:
    return _average([turn_count(w, trace) for _, trace in finished_conversations(w)], 2)


def interruptions(w: World, trace: list[Span]) -> int:
    """The caller talked over the agent: interrupted turns of the call, without the last turn when
    the framework closes every call's open turn as interrupted."""
    turns = sorted((s for s in trace if s["name"] == w.facts.turn), key=lambda s: s["start_ns"])
    flagged = [s["attributes"].get(w.facts.interrupted) is True for s in turns]
    if w.facts.last_turn_interrupted and flagged:
        flagged = flagged[:-1]
    return sum(flagged)


def interruptions_per_call(w: World) -> float | None:
    return _average([interruptions(w, trace) for _, trace in finished_conversations(w)], 2)


def call_tokens(w: World, trace: list[Span]) -> float:
    return sum(s["attributes"].get(INPUT, 0) + s["attributes"].get(OUTPUT, 0)
               for s in trace if s["name"] in w.facts.token_spans)


def tokens_per_call(w: World) -> float | None:
    return _average([call_tokens(w, trace) for _, trace in finished_conversations(w)], 0)


# -- cost ---------------------------------------------------------------------------------------------


def token_total(w: World, attribute: str) -> float:
    spans = w.facts.cached_spans if attribute == CACHED else w.facts.token_spans
    return sum(s["attributes"].get(attribute, 0) for s in w.named(*spans, model_filter=True))


def tokens_over_time(w: World) -> dict[str, Points]:
    """Tokens per second in each bucket (a rate: the sum over the bucket ÷ the step)."""
    out = {}
    for label, attribute in (("input", INPUT), ("cached input", CACHED), ("output", OUTPUT)):
        spans = w.facts.cached_spans if attribute == CACHED else w.facts.token_spans
        carriers = [s for s in w.named(*spans, model_filter=True) if _has(s, attribute)]
        out[label] = {b: sum(s["attributes"][attribute] for s in g) / w.step for b, g in _by(carriers, w.bucket).items()}
    return _shown(out)


@dataclass(frozen=True)
class Prices:
    """A definition's `prices:`: LLM (input, cached input, output) per million tokens, TTS per
    million characters, STT per minute of audio; a dated model name takes its undated name's price."""

    llm: dict[str, tuple[float, float, float]]
    tts: dict[str, float] = field(default_factory=dict)
    stt: dict[str, float] = field(default_factory=dict)

    @staticmethod
    def find(table: dict[str, Any], model: str) -> Any:
        return table.get(model, table.get(re.sub(r"-\d{4}-\d{2}-\d{2}$", "", model)))


def call_cost(w: World, trace: list[Span]) -> float:
    """One call's cost: the model calls' tokens (cached input inside the input count, at its own
    price), Pipecat's TTS characters (`metrics.character_count` on `tts`) and STT audio
    (`metrics.audio_seconds` on `stt`)."""
    prices = w.prices
    assert prices is not None, "a world with prices"
    total = 0.0
    for s in trace:
        a = s["attributes"]
        model = str(a.get(MODEL, ""))
        if s["name"] in w.facts.token_spans and (price := Prices.find(prices.llm, model)):
            cached = a.get(CACHED, 0) if s["name"] in w.facts.cached_spans else 0
            total += ((a.get(INPUT, 0) - cached) * price[0] + cached * price[1] + a.get(OUTPUT, 0) * price[2]) / 1e6
        elif s["name"] == "tts" and (price := Prices.find(prices.tts, model)):
            total += a.get("metrics.character_count", 0) * price / 1e6
        elif s["name"] == "stt" and (price := Prices.find(prices.stt, model)):
            total += a.get("metrics.audio_seconds", 0) / 60 * price
    return total


def cost_per_call(w: World) -> float | None:
    return _average([call_cost(w, trace) for _, trace in finished_conversations(w)], 4)


# -- the tables -------------------------------------------------------------------------------------

PANEL_TRUTH: dict[str, Callable[[World], Any]] = {
    # SLO
    "turn-latency-p95": turn_latency_p95,
    "turn-latency": turn_latency,
    "dead-air": dead_air,
    "dead-air-over-time": dead_air_over_time,
    "error-rate": error_rate,
    "tts-without-audio": tts_without_audio,
    # errors
    "error-rate-over-time": error_rate_over_time,
    "tts-without-audio-over-time": tts_without_audio_over_time,
    "tool-calls": tool_calls,
    "error-records": error_records,
    # latency
    "end-of-utterance": end_of_utterance,
    "component-latency-stt": component_latency("stt"),
    "component-latency-llm": component_latency("llm"),
    "component-latency-tts": component_latency("tts"),
    "latency-by-provider": latency_by_provider,
    "realtime-latency": realtime_latency,
    # conversations
    "conversations-below-threshold": lambda w: float(len(below_threshold_list(w))),
    "average-turns-per-conversation": average_turns,
    "interruptions-per-call": interruptions_per_call,
    "interruptions-by-source": interruptions_by_source,
    "conversations-over-time": conversations_over_time,
    "call-duration": call_duration,
    "call-end-reasons": call_end_reasons,
    "conversations-below-threshold-list": below_threshold_list,
    "shortest-conversations": shortest_conversations,
    "model-distribution-stt": model_distribution("stt"),
    "model-distribution-llm": model_distribution("llm"),
    "model-distribution-tts": model_distribution("tts"),
    "services-and-languages": services_and_languages,
    # cost
    "tokens-per-call": tokens_per_call,
    "token-usage-input": lambda w: token_total(w, INPUT),
    "token-usage-cached-input": lambda w: token_total(w, CACHED),
    "token-usage-output": lambda w: token_total(w, OUTPUT),
    "token-usage-over-time": tokens_over_time,
    "cost-per-call": cost_per_call,  # with a `prices:` table only
}

# Panels the preview cannot compute from spans, and the reason its page shows.
NOT_COMPUTED: dict[str, str] = {
    "http-request-duration": "Metrics are not computed locally",
    "logs": "Logs are not computed locally",
}

# Tables whose rows the panel orders: the key their order follows (ties in any order). The rows of
# other tables are compared in any order.
TABLE_ORDER: dict[str, Callable[[tuple[Any, ...]], Any]] = {
    "services-and-languages": lambda row: -row[-1],
    "shortest-conversations": lambda row: row[-1],
    "conversations-below-threshold-list": lambda row: (row[1], row[0]),
}


# -- alert rules: one number per service over the rule's window --------------------------------------
# A rule's queries ask for one-day buckets, so the whole window (minutes) is one point; the tests
# evaluate each rule over the capture's range, which lies inside one day.


def alert_level(w: World, rule_type: str, level: str, component: str | None = None) -> float:
    """A level of a rule in the definition, in base units (seconds for a level given in ms)."""
    [rule] = [r for r in w.alerts if r["type"] == rule_type and r.get("component") == component]
    return rule[level] / (1000 if rule.get("unit") == "ms" else 1)


def per_service(w: World, value: Callable[[list[Span], list[Span]], float | None], part: list[Span],
                whole: list[Span], step: int = DAY) -> dict[str, Points]:
    """value(part, whole) per service and bucket of `step`, for every service and bucket `whole` has."""
    parts = _by(part, lambda s: (service(s), w.bucket(s, step)))
    out: dict[str, Points] = defaultdict(dict)
    for (svc, b), group in _by(whole, lambda s: (service(s), w.bucket(s, step))).items():
        v = value(parts.get((svc, b), []), group)
        if v is not None:
            out[svc][b] = v
    return dict(out)


def _share(part: list[Span], whole: list[Span]) -> float | None:
    return _ratio(len(part), len(whole))


def rule_slow_share(carriers: Callable[[World], tuple[list[Span], str]], rule: tuple[str, str, str | None]) -> Callable[[World], dict[str, Points]]:
    """The share of the measured spans slower than the rule's level (P95 above the level = more than
    5 % of them slower than it)."""
    def truth(w: World) -> dict[str, Points]:
        spans, attribute = carriers(w)
        slow = [s for s in spans if s["attributes"][attribute] > alert_level(w, *rule)]
        return per_service(w, _share, slow, spans)
    return truth


def _turn_latency_carriers(w: World) -> tuple[list[Span], str]:
    return turn_latency_values(w), w.facts.turn_latency[1]


def _component_carriers(component: str) -> Callable[[World], tuple[list[Span], str]]:
    def carriers(w: World) -> tuple[list[Span], str]:
        span, attribute, skip_errors = w.facts.latency[component]
        spans = [s for s in _latency_spans(w, span, attribute, skip_errors, False) if not (skip_errors and failed(s))]
        return spans, attribute
    return carriers


def rule_dead_air(w: World) -> dict[str, Points]:
    def share(replied: list[Span], needs: list[Span]) -> float | None:
        return _ratio(len(needs) - len(replied), len(needs))
    return per_service(w, share, w.select(w.facts.replied), w.select(w.facts.needs_reply))


def rule_error_rate(w: World) -> dict[str, Points]:
    every = calls(w)
    return per_service(w, _share, [s for s in every if failed(s)], every)


def rule_tokens_per_call(w: World) -> dict[str, Points]:
    """(input + output tokens of the model calls) ÷ calls started, per service."""
    def per_call(tokens: list[Span], starts: list[Span]) -> float | None:
        return _ratio(sum(s["attributes"].get(INPUT, 0) + s["attributes"].get(OUTPUT, 0) for s in tokens), len(starts))
    return per_service(w, per_call, w.named(*w.facts.token_spans), w.select(w.facts.call_start))


def rule_no_data(w: World) -> dict[str, Points]:
    """Turns per minute, all services together: the rule fires when there is none for its window."""
    return {"": {b: float(len(g)) for b, g in _by(w.named(w.facts.turn), lambda s: w.bucket(s, 60)).items()}}


RULE_TRUTH: dict[str, Callable[[World], dict[str, Points]]] = {
    "turn-latency-p95-warning": rule_slow_share(_turn_latency_carriers, ("turn_latency_p95", "warning", None)),
    "turn-latency-p95-critical": rule_slow_share(_turn_latency_carriers, ("turn_latency_p95", "critical", None)),
    "dead-air": rule_dead_air,
    "error-rate": rule_error_rate,
    **{f"component-latency-p95-{c}-warning": rule_slow_share(_component_carriers(c), ("component_latency_p95", "warning", c))
       for c in ("stt", "llm", "tts")},
    "tokens-per-call": rule_tokens_per_call,
    "no-data": rule_no_data,
}
