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

The `realtime` scenario runs pipecat's real `OpenAIRealtimeLLMService` (speech to speech, turns
driven by local VAD frames as in pipecat's locally-driven-turns example) against `FakeRealtimeSocket`,
an in-process stand-in for OpenAI's Realtime websocket that answers the client events pipecat sends
with the server events it expects (session, transcripts, audio deltas, `response.done` with usage).

usage: python pipecat_scenarios.py OUT.json --service-name NAME [--scenarios a,b,...]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import os
import sys
import time
import warnings

from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spanjson import spans_to_dicts, write_capture

warnings.filterwarnings("ignore", category=DeprecationWarning)

from loguru import logger  # noqa: E402
from pipecat.adapters.schemas.function_schema import FunctionSchema  # noqa: E402
from pipecat.adapters.schemas.tools_schema import ToolsSchema  # noqa: E402
from pipecat.frames.frames import (  # noqa: E402
    EndFrame,
    ErrorFrame,
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
from pipecat.services.openai.realtime import events as rt_events  # noqa: E402
from pipecat.services.openai.realtime.llm import OpenAIRealtimeLLMService as RealOpenAIRealtime  # noqa: E402
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
    """Returns the next scripted utterance as a finalized transcript shortly after the user stops;
    an utterance of None is a failed recognition, reported the way pipecat's services report one
    (an ErrorFrame, no transcript)."""

    def __init__(self, utterances: list[str | None]) -> None:
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

    async def _finalize(self, text: str | None) -> None:
        await asyncio.sleep(0.15)  # provider latency after end of speech
        if text is None:
            await self.push_error(error_msg="STT connection closed by the provider")
            return
        await self.emit_stt_usage_metrics()
        await self.push_frame(TranscriptionFrame(text, "caller-1", time_now_iso8601(), Language.EN, finalized=True))
        await self._handle_transcription(text, True, Language.EN)


STORY = (
    "Once upon a time a little robot lived by the sea and told long stories to every "
    "passing boat, and the boats always slowed down to listen to the very end."
)


def reply(said: str, role: str | None) -> str:
    """What the bot answers to the last message of the context."""
    if role == "tool":
        return "It is sunny and twenty degrees in Paris."
    if "story" in said:
        return STORY
    if "menu" in said:
        return "Today the menu has soup, fish and chocolate cake."
    if role != "user":
        return "Hello! How can I help you today?"
    return "Sure, I can help with that."


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

        words = reply(said, role).split(" ")
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
        if "menu" in text:  # the provider fails; pipecat's HTTP services yield an ErrorFrame
            yield ErrorFrame(error=f"{self} error getting audio (status: 503, error: overloaded)")
            return
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


# ---------------------------------------------------------------- a speech-to-speech model
class FakeRealtimeSocket:
    """OpenAI's Realtime API over a websocket, in process. Receives the client events pipecat sends
    (JSON text, as `send`) and yields the server events pipecat's receive loop parses (async
    iteration): session set-up, the caller's transcript when the input buffer is committed, and for
    each `response.create` an assistant item, audio and transcript deltas and `response.done` with
    token usage."""

    TTFB = 0.3  # seconds from response.create to the first audio delta

    def __init__(self, utterances: list[str]) -> None:
        self._utterances = list(utterances)
        self._events: asyncio.Queue[str | None] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._said = ""
        self._responses = 0
        self._emit("session.created", session={"model": "gpt-realtime"})

    def _emit(self, kind: str, **fields) -> None:  # type: ignore[no-untyped-def]
        self._events.put_nowait(json.dumps({"event_id": f"event_{next(self._ids)}", "type": kind, **fields}))

    async def send(self, text: str) -> None:
        event = json.loads(text)
        kind = event["type"]
        if kind == "session.update":
            self._emit("session.updated", session={"model": "gpt-realtime"})
        elif kind == "input_audio_buffer.commit" and self._utterances:
            self._said = self._utterances.pop(0)
            self._emit("conversation.item.input_audio_transcription.completed",
                       item_id=f"item_user_{next(self._ids)}", content_index=0, transcript=self._said)
        elif kind == "response.create":
            asyncio.get_running_loop().create_task(self._respond(reply(self._said.lower(), "user" if self._said else None)))

    async def _respond(self, text: str) -> None:
        self._responses += 1
        rid, item = f"resp_{self._responses}", f"item_bot_{self._responses}"
        self._emit("response.created", response={"id": rid, "status": "in_progress"})
        self._emit("conversation.item.added",
                   item={"id": item, "type": "message", "role": "assistant", "status": "in_progress", "content": []})
        await asyncio.sleep(self.TTFB)
        where = {"response_id": rid, "item_id": item, "output_index": 0, "content_index": 0}
        self._emit("response.output_audio_transcript.delta", delta=text, **where)
        chunk = b"\x00\x00" * int(24000 * 0.1)  # 100 ms of 24 kHz PCM, the API's output format
        for _ in range(max(1, int(min(0.05 * len(text), 4.0) / 0.1))):
            self._emit("response.output_audio.delta", delta=base64.b64encode(chunk).decode(), **where)
            await asyncio.sleep(0.005)
        self._emit("response.output_audio.done", **where)
        text_in, audio_in = 90 + 10 * self._responses, 40 * self._responses
        text_out, audio_out = len(text) // 4, len(text)
        usage = {
            "total_tokens": text_in + audio_in + text_out + audio_out,
            "input_tokens": text_in + audio_in, "output_tokens": text_out + audio_out,
            "input_token_details": {"cached_tokens": 64, "text_tokens": text_in, "audio_tokens": audio_in,
                                    "cached_tokens_details": {"text_tokens": 64, "audio_tokens": 0}},
            "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out},
        }
        output = [{"id": item, "type": "message", "role": "assistant", "status": "completed",
                   "content": [{"type": "output_audio", "transcript": text}]}]
        self._emit("response.done", response={"id": rid, "status": "completed", "output": output, "usage": usage})

    def __aiter__(self) -> FakeRealtimeSocket:
        return self

    async def __anext__(self) -> str:
        event = await self._events.get()
        if event is None:
            raise StopAsyncIteration
        return event

    async def close(self) -> None:
        self._events.put_nowait(None)


class OpenAIRealtimeLLMService(RealOpenAIRealtime):
    """pipecat's OpenAI Realtime service, connected to FakeRealtimeSocket instead of OpenAI. It keeps
    the real class's name: pipecat derives the `stt` span's provider name from it."""

    def __init__(self, utterances: list[str]) -> None:
        super().__init__(
            api_key="offline",
            settings=RealOpenAIRealtime.Settings(
                model="gpt-realtime",
                system_instruction="You are a helpful voice assistant. Keep answers short.",
                # turns are driven by the pipeline's VAD frames (pipecat's locally-driven-turns setup)
                session_properties=rt_events.SessionProperties(
                    audio=rt_events.AudioConfiguration(input=rt_events.AudioInput(turn_detection=False))
                ),
            ),
        )
        self._utterances = utterances

    async def _connect(self) -> None:
        if self._websocket:
            return
        self._websocket = FakeRealtimeSocket(self._utterances)
        self._receive_task = self.create_task(self._receive_task_handler())


# ---------------------------------------------------------------- scenarios
# A scenario: the user's utterances (what the fake STT returns, in order; None = the recognition
# fails), a script of steps (("say", seconds) = the user speaks; ("wait", seconds) = silence; the
# greeting runs first), and whether a speech-to-speech model replaces STT, LLM and TTS.
QA = [("say", 1.0), ("wait", 4.5)]
SCENARIOS: dict[str, tuple[list[str | None], list[tuple[str, float]]]] = {
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
    # greeting + a question whose answer the TTS fails to speak (no span shows an error) + a retry
    "tts_error": (["What is on the menu today?", "Hello? Are you still there?"], QA * 2),
    # greeting + an utterance the STT fails to transcribe (an ErrorFrame, no transcript); the caller
    # waits in silence and hangs up
    "stt_error": ([None], QA),
    # a speech-to-speech model (OpenAI Realtime): greeting + two answered questions
    "realtime": (["Hi, who are you?", "What can you do?"], QA * 2),
}
REALTIME = {"realtime"}


async def run_conversation(name: str) -> None:
    utterances, steps = SCENARIOS[name]
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
    if name in REALTIME:
        processors = [aggregators.user(), OpenAIRealtimeLLMService([u for u in utterances if u])]
    else:
        llm = ScriptedLLM()
        llm.register_function("get_weather", get_weather)
        processors = [ScriptedSTT(utterances), aggregators.user(), llm, ScriptedTTS()]
    pipeline = Pipeline([*processors, SleepingOutput(), aggregators.assistant()])
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
