"""Capture real Pipecat spans offline: pipecat's own tracing, our small fake STT/LLM/TTS.

Runs inside a virtualenv with `pipecat-ai[tracing]` and `opentelemetry-sdk` (see run.py).
Tracing comes from pipecat itself: `setup_tracing()` builds the provider and `PipelineTask(
enable_tracing=True, enable_turn_tracking=True)` drives the conversation/turn spans; the fakes
carry pipecat's `@traced_stt/@traced_llm/@traced_tts` decorators exactly where pipecat's bundled
services put them. No network, no keys: "speech" is injected as VAD frames plus silent audio, and
the output transport plays audio by sleeping for its duration (that is what emits the
BotStarted/StoppedSpeaking frames that turn tracking and latency need).

Each scenario is one PipelineTask (one conversation, one trace); all of a process's scenarios run
concurrently, and the process's `service.name` is set once (a process has one tracer provider).

usage: python pipecat_scenarios.py OUT.json --service-name NAME [--scenarios a,b,...]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
import warnings

from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spanjson import spans_to_dicts, write_capture  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)

from loguru import logger  # noqa: E402
from pipecat.adapters.schemas.function_schema import FunctionSchema  # noqa: E402
from pipecat.adapters.schemas.tools_schema import ToolsSchema  # noqa: E402
from pipecat.frames.frames import (  # noqa: E402
    EndFrame,
    FunctionCallFromLLM,
    InputAudioRawFrame,
    LLMContextFrame,
    LLMFullResponseEndFrame,
    LLMFullResponseStartFrame,
    LLMRunFrame,
    StartFrame,
    TranscriptionFrame,
    TTSAudioRawFrame,
    VADUserStartedSpeakingFrame,
    VADUserStoppedSpeakingFrame,
)
from pipecat.metrics.metrics import LLMTokenUsage  # noqa: E402
from pipecat.pipeline.pipeline import Pipeline  # noqa: E402
from pipecat.pipeline.runner import PipelineRunner  # noqa: E402
from pipecat.pipeline.task import PipelineParams, PipelineTask  # noqa: E402
from pipecat.processors.aggregators.llm_context import LLMContext  # noqa: E402
from pipecat.processors.aggregators.llm_response_universal import (  # noqa: E402
    LLMContextAggregatorPair,
    LLMUserAggregatorParams,
)
from pipecat.services.llm_service import FunctionCallParams, LLMService  # noqa: E402
from pipecat.services.settings import LLMSettings, STTSettings, TTSSettings  # noqa: E402
from pipecat.services.stt_service import STTService  # noqa: E402
from pipecat.services.tts_service import TTSService  # noqa: E402
from pipecat.transcriptions.language import Language  # noqa: E402
from pipecat.transports.base_output import BaseOutputTransport  # noqa: E402
from pipecat.transports.base_transport import TransportParams  # noqa: E402
from pipecat.turns.user_stop import SpeechTimeoutUserTurnStopStrategy  # noqa: E402
from pipecat.turns.user_turn_strategies import UserTurnStrategies  # noqa: E402
from pipecat.utils.time import time_now_iso8601  # noqa: E402
from pipecat.utils.tracing.service_decorators import traced_llm, traced_stt, traced_tts  # noqa: E402
from pipecat.utils.tracing.setup import setup_tracing  # noqa: E402

logger.remove()
logger.add(sys.stderr, level=os.getenv("CAPTURE_LOGLEVEL", "ERROR"))

IN_RATE = 16000
OUT_RATE = 24000


class SleepingOutput(BaseOutputTransport):
    """Plays audio by sleeping for its duration, so pipecat's media sender emits real bot-speaking frames."""

    def __init__(self) -> None:
        super().__init__(TransportParams(audio_out_enabled=True, audio_out_sample_rate=OUT_RATE))

    async def start(self, frame: StartFrame) -> None:
        await super().start(frame)
        await self.set_transport_ready(frame)

    async def write_audio_frame(self, frame) -> bool:  # type: ignore[no-untyped-def]
        await asyncio.sleep(len(frame.audio) / (frame.sample_rate * frame.num_channels * 2))
        return True


class ScriptedSTT(STTService):
    """Returns the next scripted utterance as a finalized transcript shortly after the user stops."""

    def __init__(self, utterances: list[str]) -> None:
        super().__init__(settings=STTSettings(model="nova-3", language=Language.EN), ttfs_p99_latency=0.3)
        self._utterances = list(utterances)

    def can_generate_metrics(self) -> bool:
        return True

    async def run_stt(self, audio: bytes):  # type: ignore[no-untyped-def]
        yield None  # audio seconds are counted by STTService itself

    async def _handle_vad_user_stopped_speaking(self, frame) -> None:  # type: ignore[no-untyped-def]
        await super()._handle_vad_user_stopped_speaking(frame)
        if self._utterances:
            self.create_task(self._finalize(self._utterances.pop(0)), name="scripted_stt_final")

    # The same no-op hook pipecat's streaming services (e.g. Deepgram) decorate: the decorator
    # attaches the transcript, and pipecat's TTFB metric closes the span.
    @traced_stt
    async def _handle_transcription(self, transcript: str, is_final: bool, language=None) -> None:  # type: ignore[no-untyped-def]
        pass

    async def _finalize(self, text: str) -> None:
        await asyncio.sleep(0.15)  # provider latency after end of speech
        await self.emit_stt_usage_metrics()
        await self.push_frame(TranscriptionFrame(text, "caller-1", time_now_iso8601(), Language.EN, finalized=True))
        await self._handle_transcription(text, True, Language.EN)


class ScriptedLLM(LLMService):
    """A streaming chat model: answers by keyword, calls a tool on 'weather', fails on 'error'."""

    def __init__(self) -> None:
        super().__init__(
            settings=LLMSettings(
                model="gpt-4o-mini",
                system_instruction="You are a helpful voice assistant. Keep answers short.",
                temperature=0.7,
                max_tokens=256,
                # pipecat wants every setting given; None = "not supported by this service"
                top_p=None,
                top_k=None,
                frequency_penalty=None,
                presence_penalty=None,
                seed=None,
                filter_incomplete_user_turns=None,
                user_turn_completion_config=None,
            )
        )

    def can_generate_metrics(self) -> bool:
        return True

    async def process_frame(self, frame, direction) -> None:  # type: ignore[no-untyped-def]
        await super().process_frame(frame, direction)
        if not isinstance(frame, LLMContextFrame):
            await self.push_frame(frame, direction)
            return
        # What pipecat's OpenAI service does around a completion: an exception becomes an ErrorFrame.
        try:
            await self.push_frame(LLMFullResponseStartFrame())
            await self.start_processing_metrics()
            await self._process_context(frame.context)
        except Exception as e:  # noqa: BLE001
            await self.push_error(error_msg=f"LLM completion failed: {e}", exception=e)
        finally:
            await self.stop_processing_metrics()
            await self.push_frame(LLMFullResponseEndFrame())

    @traced_llm
    async def _process_context(self, context: LLMContext) -> None:
        await self.start_ttfb_metrics()
        messages = context.get_messages()
        last = messages[-1] if messages else {}
        role = last.get("role") if isinstance(last, dict) else None
        said = str(last.get("content", "")).lower() if isinstance(last, dict) else ""
        prompt_tokens = 60 + 11 * len(messages)
        await asyncio.sleep(0.2)  # time to first token

        if role == "user" and "error" in said:
            raise RuntimeError("upstream model returned HTTP 500")
        if role == "user" and "weather" in said:
            await self.stop_ttfb_metrics()
            await self.start_llm_usage_metrics(
                LLMTokenUsage(prompt_tokens=prompt_tokens, completion_tokens=14, total_tokens=prompt_tokens + 14)
            )
            call = FunctionCallFromLLM(
                context=context, tool_call_id="call_1", function_name="get_weather", arguments={"city": "Paris"}
            )
            await self.run_function_calls([call])
            return

        if role == "tool":
            answer = "It is sunny and twenty degrees in Paris."
        elif "story" in said:
            answer = (
                "Once upon a time a little robot lived by the sea and told long stories to every "
                "passing boat, and the boats always slowed down to listen to the very end."
            )
        elif role != "user":
            answer = "Hello! How can I help you today?"
        else:
            answer = "Sure, I can help with that."
        words = answer.split(" ")
        for i, word in enumerate(words):
            if i == 0:
                await self.stop_ttfb_metrics()
            await self._push_llm_text(word + " ")
            await asyncio.sleep(0.01)
        await self.start_llm_usage_metrics(
            LLMTokenUsage(
                prompt_tokens=prompt_tokens,
                completion_tokens=len(words),
                total_tokens=prompt_tokens + len(words),
                cache_read_input_tokens=32,
            )
        )


class ScriptedTTS(TTSService):
    """HTTP-style TTS: one request per sentence, audio returned after a short first-byte delay."""

    def __init__(self) -> None:
        super().__init__(
            push_start_frame=True,
            push_stop_frames=True,
            sample_rate=OUT_RATE,
            settings=TTSSettings(model="sonic-2", voice="narrator", language=Language.EN),
        )

    def can_generate_metrics(self) -> bool:
        return True

    @traced_tts
    async def run_tts(self, text: str, context_id: str):  # type: ignore[no-untyped-def]
        await self.start_tts_usage_metrics(text)
        await asyncio.sleep(0.1)  # time to first byte
        seconds = min(0.05 * len(text), 4.0)
        chunk = 0.1
        for _ in range(max(1, int(seconds / chunk))):
            await self.stop_ttfb_metrics()
            yield TTSAudioRawFrame(b"\x00\x00" * int(OUT_RATE * chunk), OUT_RATE, 1, context_id=context_id)


async def get_weather(params: FunctionCallParams) -> None:
    await asyncio.sleep(0.2)
    await params.result_callback({"conditions": "sunny", "temperature_c": 20})


async def user_says(task: PipelineTask, seconds: float) -> None:
    """What an input transport with a VAD pushes for one utterance: start, audio, stop."""
    await task.queue_frame(VADUserStartedSpeakingFrame(start_secs=0.2, timestamp=time.time()))
    chunk = 0.02
    for _ in range(int(seconds / chunk)):
        audio = b"\x00\x00" * int(IN_RATE * chunk)
        await task.queue_frame(InputAudioRawFrame(audio=audio, sample_rate=IN_RATE, num_channels=1))
        await asyncio.sleep(chunk)
    await asyncio.sleep(0.2)  # the VAD confirms the stop after stop_secs of silence
    await task.queue_frame(VADUserStoppedSpeakingFrame(stop_secs=0.2, timestamp=time.time()))


# A scenario: the user's utterances (what the fake STT returns, in order) and a script of steps.
# ("say", seconds) = the user speaks; ("wait", seconds) = silence; the greeting runs first.
QA = [("say", 1.0), ("wait", 4.5)]
SCENARIOS: dict[str, tuple[list[str], list[tuple[str, float]]]] = {
    # greeting + 4 answered questions = 5 turns
    "multi_turn": (
        ["Hi, who are you?", "What can you do?", "Can you book a table?", "Thanks, goodbye."],
        QA * 4,
    ),
    # hangs up right after the greeting: 1 turn
    "short_one_turn": ([], []),
    # greeting + one question: 2 turns
    "short_two_turns": (["Hi, are you open today?"], QA),
    # greeting + a question answered through a tool (two llm spans in one turn) + thanks: 3 turns
    "tool_call": (["What's the weather in Paris?", "Great, thanks."], [("say", 1.0), ("wait", 6.0)] + QA),
    # greeting + a long answer the user talks over + a short answer: 3 turns, one interrupted
    "barge_in": (["Tell me a story.", "Stop, that's enough."], [("say", 0.8), ("wait", 2.0)] + QA),
    # greeting + a question + a failing completion: 3 turns, one ERROR llm span
    "llm_error": (["Hi there.", "Please cause an error now."], QA + [("say", 0.8), ("wait", 3.0)]),
}


async def run_conversation(name: str) -> None:
    utterances, steps = SCENARIOS[name]
    llm = ScriptedLLM()
    llm.register_function("get_weather", get_weather)
    tools = ToolsSchema(
        standard_tools=[
            FunctionSchema(
                name="get_weather",
                description="Current weather for a city",
                properties={"city": {"type": "string"}},
                required=["city"],
            )
        ]
    )
    context = LLMContext(tools=tools)
    aggregators = LLMContextAggregatorPair(
        context,
        # A plain speech timeout ends the user's turn (the default strategy loads a local ONNX model).
        user_params=LLMUserAggregatorParams(
            user_turn_strategies=UserTurnStrategies(stop=[SpeechTimeoutUserTurnStopStrategy(user_speech_timeout=0.3)])
        ),
    )
    pipeline = Pipeline(
        [ScriptedSTT(utterances), aggregators.user(), llm, ScriptedTTS(), SleepingOutput(), aggregators.assistant()]
    )
    task = PipelineTask(
        pipeline,
        params=PipelineParams(enable_metrics=True, enable_usage_metrics=True),
        enable_tracing=True,
        enable_turn_tracking=True,
        conversation_id=name,  # lets us map the trace back to its scenario
        additional_span_attributes={"app.scenario": name},
        idle_timeout_secs=None,
    )

    async def drive() -> None:
        await asyncio.sleep(0.3)
        await task.queue_frame(LLMRunFrame())  # the bot greets first (turn 1)
        await asyncio.sleep(4.0)
        for step, seconds in steps:
            if step == "say":
                await user_says(task, seconds)
            else:
                await asyncio.sleep(seconds)
        await task.queue_frame(EndFrame())  # the caller hangs up

    await asyncio.gather(PipelineRunner(handle_sigint=False).run(task), drive())


async def main(names: list[str]) -> None:
    await asyncio.gather(*(run_conversation(n) for n in names))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--service-name", required=True)
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    args = ap.parse_args()
    names = [n for n in args.scenarios.split(",") if n]

    # pipecat's own setup builds and installs the global provider; we add an in-memory exporter.
    assert setup_tracing(service_name=args.service_name, exporter=None, console_export=False)
    provider = trace.get_tracer_provider()
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))  # type: ignore[attr-defined]

    started = time.time()
    asyncio.run(main(names))
    provider.force_flush()  # type: ignore[attr-defined]
    spans = spans_to_dicts(exporter.get_finished_spans())
    scenarios = {
        s["trace_id"]: s["attributes"]["conversation.id"]
        for s in spans
        if s["name"] == "conversation" and s["attributes"].get("conversation.id") in names
    }
    write_capture(args.out, "pipecat-ai", spans, scenarios, started)
