"""Capture real LiveKit Agents spans offline: LiveKit's own tracing, our small fake VAD/STT/LLM/TTS.

Runs inside a virtualenv with `livekit-agents` (1.8.9, and 1.7.1 for the legacy profile) and
`opentelemetry-sdk` (see run.py). The tracer provider is given to LiveKit with its own
`set_tracer_provider()` at module level, i.e. before any job starts: that is what makes the job's
`job_entrypoint` span exist and be exported. With `--provider-in-entrypoint` it is set at the top of
the entrypoint instead, as LiveKit's own OpenTelemetry example does: `job_entrypoint` has then
already started on the no-op tracer and is never exported, `agent_session` becomes the trace's root,
and (1.8.2+) `job_shutdown` lands in a trace of its own.

Each scenario is a real job of a real `AgentServer` (THREAD executor, `simulate_job(fake_job=True)`:
no LiveKit server, no keys), running an `AgentSession` with:
- a silent microphone (`SilentMic`) paced in real time, and a speaker that "plays" audio by waiting
  for its duration (`SleepingSpeaker`);
- a VAD (`ScriptedVAD`) that reports speech during the scenario's scripted user utterances;
- a batch STT (`ScriptedSTT`, wrapped by LiveKit in its VAD-driven StreamAdapter) returning the
  utterance's text, an LLM (`ScriptedLLM`) answering by keyword (tool call on "weather", a failing
  tool on "reserve", failure on "error") with token usage, and a TTS (`ScriptedTTS`) producing
  silence of a plausible length;
- or, per scenario, LiveKit's `FallbackAdapter` over a primary LLM that is down and a backup, or a
  speech-to-speech model (`ScriptedRealtimeModel`: server-side turn detection, transcripts, audio
  replies and usage metrics, the events a realtime plugin emits) instead of STT/LLM/TTS.
Each fake reports the model/provider names a real plugin would.

usage: python livekit_scenarios.py OUT.json --service-name NAME [--scenarios a,b,...] [--provider-in-entrypoint]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from dataclasses import dataclass

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from spanjson import spans_to_dicts, write_capture

ARGS = argparse.ArgumentParser()
ARGS.add_argument("out")
ARGS.add_argument("--service-name", required=True)
ARGS.add_argument("--scenarios", default="")
ARGS.add_argument("--provider-in-entrypoint", action="store_true")

# Module level, before livekit is imported and before any job: LiveKit's documented way.
_args = ARGS.parse_args() if __name__ == "__main__" else None
PROVIDER = TracerProvider(resource=Resource.create({"service.name": _args.service_name if _args else "capture"}))
EXPORTER = InMemorySpanExporter()
PROVIDER.add_span_processor(SimpleSpanProcessor(EXPORTER))

from livekit import rtc  # noqa: E402
from livekit.agents import (  # noqa: E402
    Agent,
    AgentServer,
    AgentSession,
    APIConnectionError,
    APIConnectOptions,
    JobContext,
    JobExecutorType,
    function_tool,
    llm,
    stt,
    tts,
    vad,
)
from livekit.agents.telemetry import set_tracer_provider  # noqa: E402
from livekit.agents.voice.agent_session import SessionConnectOptions  # noqa: E402
from livekit.agents.voice.io import AudioInput, AudioOutput, AudioOutputCapabilities  # noqa: E402

# A non-empty metadata dict also makes 1.8.x stamp room_id/job_id on every span, as in production.
METADATA = {"env": "capture"}
PROVIDER_IN_ENTRYPOINT = bool(_args and _args.provider_in_entrypoint)
if not PROVIDER_IN_ENTRYPOINT:
    set_tracer_provider(PROVIDER, metadata=METADATA)

IN_RATE = 16000
OUT_RATE = 24000
FRAME = 0.02  # seconds of audio per frame


# ---------------------------------------------------------------- the scripted caller
@dataclass
class Utterance:
    start: float  # seconds after the session starts
    end: float
    text: str


class Timeline:
    """When the (fake) caller speaks; shared by the VAD and the STT of one session."""

    def __init__(self, utterances: list[Utterance]) -> None:
        self.utterances = utterances
        self.t0 = time.time()

    def speaking(self, now: float) -> bool:
        t = now - self.t0
        return any(u.start <= t < u.end for u in self.utterances)

    def last_said(self, now: float) -> str:
        t = now - self.t0
        done = [u for u in self.utterances if u.end <= t]
        return done[-1].text if done else ""


class SilentMic(AudioInput):
    """Real-time paced silence: the session's clock for VAD and STT."""

    def __init__(self) -> None:
        super().__init__(label="silent-mic")
        self._next = time.monotonic()

    async def __anext__(self) -> rtc.AudioFrame:
        self._next += FRAME
        await asyncio.sleep(max(0.0, self._next - time.monotonic()))
        n = int(IN_RATE * FRAME)
        return rtc.AudioFrame(data=b"\x00\x00" * n, sample_rate=IN_RATE, num_channels=1, samples_per_channel=n)


class SleepingSpeaker(AudioOutput):
    """Plays a segment by waiting for its duration; clear_buffer() is the caller barging in."""

    def __init__(self) -> None:
        super().__init__(label="sleeping-speaker", capabilities=AudioOutputCapabilities(pause=False))
        self._started: float | None = None
        self._pushed = 0.0
        self._playout: asyncio.Task[None] | None = None

    async def capture_frame(self, frame: rtc.AudioFrame) -> None:
        await super().capture_frame(frame)
        if self._started is None:
            self._started = time.time()
            self.on_playback_started(created_at=self._started)
        self._pushed += frame.samples_per_channel / frame.sample_rate

    def flush(self) -> None:
        super().flush()
        if self._started is not None and self._playout is None:
            self._playout = asyncio.create_task(self._play_out())

    async def _play_out(self) -> None:
        assert self._started is not None
        await asyncio.sleep(max(0.0, self._started + self._pushed - time.time()))
        self._finish(self._pushed, interrupted=False)

    def clear_buffer(self) -> None:
        if self._started is None:
            return
        if self._playout is not None:
            self._playout.cancel()
        self._finish(min(time.time() - self._started, self._pushed), interrupted=True)

    def _finish(self, position: float, *, interrupted: bool) -> None:
        self._started, self._pushed, self._playout = None, 0.0, None
        self.on_playback_finished(playback_position=position, interrupted=interrupted)


class ScriptedVAD(vad.VAD):
    def __init__(self, timeline: Timeline) -> None:
        super().__init__(capabilities=vad.VADCapabilities(update_interval=FRAME))
        self.timeline = timeline

    @property
    def model(self) -> str:
        return "silero"

    @property
    def provider(self) -> str:
        return "livekit"

    def stream(self) -> vad.VADStream:
        return ScriptedVADStream(self)


class ScriptedVADStream(vad.VADStream):
    """Speech = the timeline says the caller talks; an utterance ends after 0.3 s of silence."""

    MIN_SPEECH = 0.06
    MIN_SILENCE = 0.3

    async def _main_task(self) -> None:
        timeline: Timeline = self._vad.timeline  # type: ignore[attr-defined]
        speaking, speech, silence, frames, samples = False, 0.0, 0.0, [], 0
        async for frame in self._input_ch:
            if not isinstance(frame, rtc.AudioFrame):
                continue  # a flush sentinel
            d = frame.samples_per_channel / frame.sample_rate
            samples += frame.samples_per_channel
            voiced = timeline.speaking(time.time())
            if voiced:
                speech, silence = speech + d, 0.0
                frames.append(frame)
            elif speaking:
                silence += d
                frames.append(frame)
            else:
                speech, frames = 0.0, []

            def event(kind: vad.VADEventType, evframes: list[rtc.AudioFrame]) -> vad.VADEvent:
                return vad.VADEvent(
                    type=kind,
                    samples_index=samples,
                    timestamp=time.time(),
                    speech_duration=speech,
                    silence_duration=silence,
                    frames=evframes,
                    probability=1.0 if voiced else 0.0,
                    inference_duration=0.001,
                    speaking=speaking,
                    raw_accumulated_silence=0.0 if voiced else silence,
                    raw_accumulated_speech=speech if voiced else 0.0,
                )

            if voiced and not speaking and speech >= self.MIN_SPEECH:
                speaking = True
                self._event_ch.send_nowait(event(vad.VADEventType.START_OF_SPEECH, list(frames)))
            self._event_ch.send_nowait(event(vad.VADEventType.INFERENCE_DONE, [frame]))
            if speaking and silence >= self.MIN_SILENCE:
                speaking = False
                self._event_ch.send_nowait(event(vad.VADEventType.END_OF_SPEECH, list(frames)))
                speech, silence, frames = 0.0, 0.0, []


class ScriptedSTT(stt.STT):
    """A batch recognizer: returns what the caller said in the utterance that just ended."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__(capabilities=stt.STTCapabilities(streaming=False, interim_results=False))
        self.timeline = timeline

    @property
    def model(self) -> str:
        return "nova-3"

    @property
    def provider(self) -> str:
        return "Deepgram"

    async def _recognize_impl(self, buffer, *, language=None, conn_options=None):  # type: ignore[no-untyped-def]
        text = self.timeline.last_said(time.time())
        await asyncio.sleep(0.15)  # provider latency
        return stt.SpeechEvent(
            type=stt.SpeechEventType.FINAL_TRANSCRIPT,
            alternatives=[stt.SpeechData(language="en", text=text, confidence=0.98)],
        )


STORY = (
    "Once upon a time a little robot lived by the sea and told long stories to every "
    "passing boat, and the boats always slowed down to listen to the very end."
)


def answer(said: str, *, after_tool: str = "", tool_failed: bool = False) -> str:
    """What the agent replies to the caller's last words (or to a tool's result)."""
    if after_tool == "reserve_table" or tool_failed:
        return "Sorry, I could not reserve a table: the booking system is down."
    if after_tool:
        return "It is sunny and twenty degrees in Paris."
    if "story" in said:
        return STORY
    if not said:
        return "Hello! How can I help you today?"
    return "Sure, I can help with that."


class ScriptedLLM(llm.LLM):
    @property
    def model(self) -> str:
        return "gpt-4o-mini"

    @property
    def provider(self) -> str:
        return "api.openai.com"

    def chat(self, *, chat_ctx, tools=None, conn_options=None, **_):  # type: ignore[no-untyped-def]
        return ScriptedLLMStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class BackupLLM(ScriptedLLM):
    """The fallback scenario's second choice, from another provider."""

    @property
    def model(self) -> str:
        return "claude-haiku-4-5"

    @property
    def provider(self) -> str:
        return "api.anthropic.com"


class DownLLM(ScriptedLLM):
    """The fallback scenario's first choice: every request fails after a connection timeout."""

    @property
    def model(self) -> str:
        return "gpt-4o"

    def chat(self, *, chat_ctx, tools=None, conn_options=None, **_):  # type: ignore[no-untyped-def]
        return DownLLMStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class DownLLMStream(llm.LLMStream):
    async def _run(self) -> None:
        await asyncio.sleep(0.1)
        raise APIConnectionError("primary model unavailable")


class ScriptedLLMStream(llm.LLMStream):
    async def _run(self) -> None:
        items = [i for i in self._chat_ctx.items if i.type in ("message", "function_call_output")]
        last = items[-1] if items else None
        user = last is not None and last.type == "message" and last.role == "user"
        said = (last.text_content or "").lower() if user else ""
        prompt_tokens = 80 + 12 * len(items)
        await asyncio.sleep(0.2)  # time to first token
        if user and "error" in said:
            raise APIConnectionError("upstream model unavailable")
        for keyword, tool, arguments in (("weather", "get_weather", '{"city": "Paris"}'),
                                         ("reserve", "reserve_table", '{"party_size": 2}')):
            if user and keyword in said:
                call = llm.FunctionToolCall(name=tool, arguments=arguments, call_id=f"call_{tool}")
                self._event_ch.send_nowait(llm.ChatChunk(id="c1", delta=llm.ChoiceDelta(role="assistant", tool_calls=[call])))
                self._usage(prompt_tokens, 14)
                return
        if last is not None and last.type == "function_call_output":
            text = answer("", after_tool=last.name, tool_failed=last.is_error)
        else:
            text = answer(said if user else "")
        words = text.split(" ")
        for word in words:
            self._event_ch.send_nowait(llm.ChatChunk(id="c1", delta=llm.ChoiceDelta(role="assistant", content=word + " ")))
            await asyncio.sleep(0.01)
        self._usage(prompt_tokens, len(words))

    def _usage(self, prompt: int, completion: int) -> None:
        usage = llm.CompletionUsage(
            prompt_tokens=prompt, prompt_cached_tokens=32, completion_tokens=completion, total_tokens=prompt + completion
        )
        self._event_ch.send_nowait(llm.ChatChunk(id="c1", usage=usage))


class ScriptedTTS(tts.TTS):
    def __init__(self) -> None:
        super().__init__(capabilities=tts.TTSCapabilities(streaming=False), sample_rate=OUT_RATE, num_channels=1)

    @property
    def model(self) -> str:
        return "sonic-2"

    @property
    def provider(self) -> str:
        return "Cartesia"

    def synthesize(self, text, *, conn_options=None):  # type: ignore[no-untyped-def]
        return ScriptedTTSStream(tts=self, input_text=text, conn_options=conn_options or APIConnectOptions())


class ScriptedTTSStream(tts.ChunkedStream):
    async def _run(self, output_emitter) -> None:  # type: ignore[no-untyped-def]
        output_emitter.initialize(request_id="tts-1", sample_rate=OUT_RATE, num_channels=1, mime_type="audio/pcm")
        await asyncio.sleep(0.1)  # time to first byte
        seconds = min(0.06 * len(self._input_text), 8.0)
        chunk = 0.1
        for _ in range(max(1, int(seconds / chunk))):
            output_emitter.push(b"\x00\x00" * int(OUT_RATE * chunk))
            await asyncio.sleep(0.005)
        output_emitter.flush()


# ---------------------------------------------------------------- a speech-to-speech model
class ScriptedRealtimeModel(llm.RealtimeModel):
    """A realtime model with server-side turn detection, like OpenAI's: it hears the caller, sends
    a transcript, answers with audio and reports usage per response."""

    def __init__(self, timeline: Timeline) -> None:
        super().__init__(capabilities=llm.RealtimeCapabilities(
            message_truncation=False, turn_detection=True, user_transcription=True,
            auto_tool_reply_generation=False, audio_output=True, manual_function_calls=False,
        ))
        self.timeline = timeline

    @property
    def model(self) -> str:
        return "gpt-realtime"

    @property
    def provider(self) -> str:
        return "api.openai.com"

    def session(self, **_) -> ScriptedRealtimeSession:  # type: ignore[no-untyped-def]
        return ScriptedRealtimeSession(self)

    async def aclose(self) -> None:
        pass


class ScriptedRealtimeSession(llm.RealtimeSession):
    TTFB = 0.3  # the provider's time to first audio
    END_OF_SPEECH = 0.4  # the server's silence before it ends the caller's turn

    def __init__(self, model: ScriptedRealtimeModel) -> None:
        super().__init__(model)
        self._timeline = model.timeline
        self._chat_ctx = llm.ChatContext.empty()
        self._tools = llm.ToolContext.empty()
        self._speaking = False
        self._silent_since: float | None = None
        self._responses = 0
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def chat_ctx(self) -> llm.ChatContext:
        return self._chat_ctx.copy()

    @property
    def tools(self) -> llm.ToolContext:
        return self._tools.copy()

    async def update_instructions(self, instructions: str) -> None:
        pass

    async def update_chat_ctx(self, chat_ctx: llm.ChatContext) -> None:
        self._chat_ctx = chat_ctx.copy()

    async def update_tools(self, tools) -> None:  # type: ignore[no-untyped-def]
        self._tools = llm.ToolContext(tools)

    def update_options(self, **_) -> None:  # type: ignore[no-untyped-def]
        pass

    def push_audio(self, frame: rtc.AudioFrame) -> None:
        """The microphone's frames: the server's VAD runs on the caller's timeline."""
        now = time.time()
        if self._timeline.speaking(now):
            self._silent_since = None
            if not self._speaking:
                self._speaking = True
                self.emit("input_speech_started", llm.InputSpeechStartedEvent())
        elif self._speaking:
            self._silent_since = self._silent_since or now
            if now - self._silent_since >= self.END_OF_SPEECH:
                self._speaking = False
                self.emit("input_speech_stopped", llm.InputSpeechStoppedEvent(user_transcription_enabled=True))
                self._spawn(self._answer_caller(self._timeline.last_said(now)))

    def push_video(self, frame) -> None:  # type: ignore[no-untyped-def]
        pass

    def generate_reply(self, **_) -> asyncio.Future[llm.GenerationCreatedEvent]:  # type: ignore[no-untyped-def]
        fut: asyncio.Future[llm.GenerationCreatedEvent] = asyncio.get_running_loop().create_future()
        fut.set_result(self._generation(answer(""), user_initiated=True))
        return fut

    def commit_audio(self) -> None:
        pass

    def clear_audio(self) -> None:
        pass

    def interrupt(self) -> None:
        pass

    def truncate(self, **_) -> None:  # type: ignore[no-untyped-def]
        pass

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()

    def _spawn(self, coro) -> None:  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_caller(self, said: str) -> None:
        await asyncio.sleep(0.1)  # the transcript arrives just after the end of speech
        item_id = f"item_user_{self._responses}"
        self.emit("input_audio_transcription_completed",
                  llm.InputTranscriptionCompleted(item_id=item_id, transcript=said, is_final=True))
        self.emit("generation_created", self._generation(answer(said.lower()), user_initiated=False))

    def _generation(self, text: str, *, user_initiated: bool) -> llm.GenerationCreatedEvent:
        self._responses += 1
        response_id = f"resp_{self._responses}"
        created = time.time()
        audio: asyncio.Queue[rtc.AudioFrame | None] = asyncio.Queue()
        transcript: asyncio.Queue[str | None] = asyncio.Queue()
        modalities: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        modalities.set_result(["audio", "text"])

        async def drain(queue):  # type: ignore[no-untyped-def]
            while (item := await queue.get()) is not None:
                yield item

        async def one_message():  # type: ignore[no-untyped-def]
            yield llm.MessageGeneration(
                message_id=f"item_{response_id}", text_stream=drain(transcript), audio_stream=drain(audio),
                modalities=modalities,
            )

        async def no_function_calls():  # type: ignore[no-untyped-def]
            return
            yield

        async def speak() -> None:
            await asyncio.sleep(self.TTFB)
            transcript.put_nowait(text)
            chunk = 0.1
            n = int(OUT_RATE * chunk)
            for _ in range(max(1, int(min(0.06 * len(text), 8.0) / chunk))):
                audio.put_nowait(rtc.AudioFrame(data=b"\x00\x00" * n, sample_rate=OUT_RATE, num_channels=1,
                                                samples_per_channel=n))
                await asyncio.sleep(0.005)
            transcript.put_nowait(None)
            audio.put_nowait(None)
            self._report_usage(response_id, created, len(text))

        self._spawn(speak())
        return llm.GenerationCreatedEvent(
            message_stream=one_message(), function_stream=no_function_calls(), user_initiated=user_initiated,
            response_id=response_id,
        )

    def _report_usage(self, response_id: str, created: float, characters: int) -> None:
        from livekit.agents.metrics import RealtimeModelMetrics
        from livekit.agents.metrics.base import Metadata

        text_in, audio_in, cached = 90 + 10 * self._responses, 40 * self._responses, 64
        text_out, audio_out = characters // 4, characters
        metrics = RealtimeModelMetrics(
            label=self._realtime_model.label, request_id=response_id, timestamp=created,
            duration=time.time() - created, ttft=self.TTFB, cancelled=False,
            input_tokens=text_in + audio_in, output_tokens=text_out + audio_out,
            total_tokens=text_in + audio_in + text_out + audio_out, tokens_per_second=0.0,
            input_token_details=RealtimeModelMetrics.InputTokenDetails(
                text_tokens=text_in, audio_tokens=audio_in, cached_tokens=cached,
            ),
            output_token_details=RealtimeModelMetrics.OutputTokenDetails(text_tokens=text_out, audio_tokens=audio_out),
            metadata=Metadata(model_name=self._realtime_model.model, model_provider=self._realtime_model.provider),
        )
        self.emit("metrics_collected", metrics)


class Assistant(Agent):
    def __init__(self) -> None:
        super().__init__(instructions="You are a helpful voice assistant. Keep answers short.")

    async def on_enter(self) -> None:
        self.session.generate_reply(instructions="Greet the caller.")  # the greeting turn

    @function_tool
    async def get_weather(self, city: str) -> str:
        """Current weather for a city.

        Args:
            city: the city
        """
        await asyncio.sleep(0.2)
        return f"Sunny and 20 degrees in {city}."

    @function_tool
    async def reserve_table(self, party_size: int) -> str:
        """Reserve a table at the restaurant.

        Args:
            party_size: how many people
        """
        await asyncio.sleep(0.1)
        raise llm.ToolError("the booking system is down")


# ---------------------------------------------------------------- scenarios
def qa(start: float, text: str) -> Utterance:
    return Utterance(start, start + 1.0, text)


@dataclass
class Scenario:
    utterances: list[Utterance]  # what the caller says and when; the agent greets at t=0
    hang_up: float  # seconds after the start
    models: str = "pipeline"  # "pipeline" (STT, LLM, TTS) | "fallback" (LLM FallbackAdapter) | "realtime"
    # "session": the agent closes the session (session_close `user_initiated`), then ends the job;
    # "job": the job is shut down with the session still open (`job_shutdown`)
    ended_by: str = "session"
    # consecutive unrecoverable LLM/STT/TTS errors the session tolerates before closing itself
    max_unrecoverable_errors: int = 3


SCENARIOS: dict[str, Scenario] = {
    "multi_turn": Scenario(
        [qa(4, "Hi, who are you?"), qa(8, "What can you do?"), qa(12, "Can you book a table?"), qa(16, "Thanks, bye.")],
        21.0,
    ),
    "short_one_turn": Scenario([], 4.0),
    "short_two_turns": Scenario([qa(4, "Are you open today?")], 9.0),
    "tool_call": Scenario([qa(4, "What's the weather in Paris?"), qa(10, "Great, thanks.")], 15.0),
    "barge_in": Scenario([qa(4, "Tell me a story."), Utterance(7.5, 8.5, "Stop, that's enough.")], 13.0),
    # the LLM fails after its retry and the session gives up on the first such error (session_close
    # `error`); the caller is left in silence until hanging up
    "llm_error": Scenario([qa(4, "Hi there."), qa(8, "Please cause an error now.")], 13.0, max_unrecoverable_errors=0),
    # a tool that raises: function_tool stays UNSET with lk.function_tool.is_error; the job ends the call
    "tool_error": Scenario([qa(4, "Please reserve a table for two."), qa(10, "Okay, thanks.")], 14.0, ended_by="job"),
    # the primary LLM is down: a failed llm_request, a background recovery probe, the backup answers
    "llm_fallback": Scenario([qa(4, "Are you open today?"), qa(8, "Do you have parking?")], 12.0, models="fallback"),
    # a speech-to-speech model: realtime_inference spans carry tokens and time to first byte
    "realtime": Scenario([qa(4, "Hi, who are you?"), qa(9, "What can you do?")], 14.0, models="realtime"),
}
TRACES: dict[str, str] = {}  # trace id -> scenario, from the job's span
ENDED: set[str] = set()  # scenarios whose call is over


def session_for(scenario: Scenario, timeline: Timeline) -> AgentSession:
    # fail fast: one quick retry instead of three 2-second ones
    fast = SessionConnectOptions(
        llm_conn_options=APIConnectOptions(max_retry=1, retry_interval=0.2),
        max_unrecoverable_errors=scenario.max_unrecoverable_errors,
    )
    if scenario.models == "realtime":
        return AgentSession(llm=ScriptedRealtimeModel(timeline), conn_options=fast)
    chat_model: llm.LLM = ScriptedLLM()
    if scenario.models == "fallback":
        chat_model = llm.FallbackAdapter([DownLLM(), BackupLLM()], attempt_timeout=2.0)
    return AgentSession(
        vad=ScriptedVAD(timeline),
        stt=ScriptedSTT(timeline),
        llm=chat_model,
        tts=ScriptedTTS(),
        # VAD end-of-turn (no turn-detector model to download); the keyword works in 1.7 and 1.8
        turn_detection="vad",
        conn_options=fast,
    )


async def run_scenario(ctx: JobContext) -> None:
    if PROVIDER_IN_ENTRYPOINT:  # LiveKit's own example: the job's span has already started without it
        set_tracer_provider(PROVIDER, metadata=METADATA)
    name = ctx.job.room.name
    scenario = SCENARIOS[name]
    span = trace.get_current_span().get_span_context()
    timeline = Timeline(scenario.utterances)
    session = session_for(scenario, timeline)
    session.input.audio = SilentMic()
    session.output.audio = SleepingSpeaker()
    timeline.t0 = time.time()
    await session.start(Assistant())
    if span.is_valid:  # the job's span: it only exists when the provider is set before the job
        TRACES[format(span.trace_id, "032x")] = name
    await asyncio.sleep(max(0.0, timeline.t0 + scenario.hang_up - time.time()))
    if scenario.ended_by == "session":
        await session.aclose()
    ENDED.add(name)
    ctx.shutdown(reason="caller hung up")


def label_traces(spans: list[dict], names: list[str]) -> dict[str, str]:
    """Each trace's scenario. Without an exported job span, a process runs one scenario: its
    session's trace is the scenario, any other trace (1.8.2+: `job_shutdown`) is
    "<scenario>/<root span>"."""
    labels = dict(TRACES)
    roots = {s["trace_id"]: s["name"] for s in spans if not s["parent_span_id"]}
    unlabelled = [t for t in roots if t not in labels]
    if unlabelled and len(names) != 1:
        sys.exit(f"traces {unlabelled} belong to no scenario: run one scenario per process")
    for trace_id in unlabelled:
        root = roots[trace_id]
        labels[trace_id] = names[0] if root == "agent_session" else f"{names[0]}/{root}"
    return labels


async def main(names: list[str]) -> None:
    # host: the worker's health server must listen on loopback only (its default is every interface).
    server = AgentServer(job_executor_type=JobExecutorType.THREAD, host="127.0.0.1", port=0, num_idle_processes=1)
    server.rtc_session(run_scenario, agent_name="capture-agent")
    started = asyncio.Event()
    server.once("worker_started", lambda *_: started.set())
    running = asyncio.create_task(server.run(devmode=True, unregistered=True))
    await asyncio.wait_for(started.wait(), 60)
    for name in names:
        await server.simulate_job(name, agent_identity="capture-agent", fake_job=True)
    # wait for every call to end, bounded (a stuck job must not hang CI)
    deadline = time.time() + 30 + max(SCENARIOS[n].hang_up for n in names)
    while len(ENDED) < len(names) and time.time() < deadline:
        await asyncio.sleep(0.2)
    for _ in range(50):  # let the job spans (job_shutdown, job_entrypoint) end
        if not server.active_jobs:
            break
        await asyncio.sleep(0.2)
    try:
        await asyncio.wait_for(server.aclose(), 5)
    except Exception as e:  # noqa: BLE001
        print("AgentServer.aclose:", repr(e), file=sys.stderr)
    running.cancel()


if __name__ == "__main__":
    assert _args is not None
    logging.basicConfig(level=os.getenv("CAPTURE_LOGLEVEL", "ERROR"))
    names = [n for n in _args.scenarios.split(",") if n] or list(SCENARIOS)
    began = time.time()
    asyncio.run(main(names))
    PROVIDER.force_flush()
    spans = spans_to_dicts(EXPORTER.get_finished_spans())
    labels = label_traces(spans, names)
    missing = set(names) - set(labels.values())
    if missing:
        sys.exit(f"scenarios without a trace: {sorted(missing)}")
    write_capture(_args.out, "livekit-agents", spans, labels, began)
