"""Capture real LiveKit Agents spans offline: LiveKit's own tracing, our small fake VAD/STT/LLM/TTS.

Runs inside a virtualenv with `livekit-agents` (1.8.9, and 1.7.1 for the legacy profile) and
`opentelemetry-sdk` (see run.py). The tracer provider is given to LiveKit with its own
`set_tracer_provider()` at module level, i.e. before any job starts: that is what makes the job's
`job_entrypoint` span exist and be exported (set inside the entrypoint, it never is).

Each scenario is a real job of a real `AgentServer` (THREAD executor, `simulate_job(fake_job=True)`:
no LiveKit server, no keys), running an `AgentSession` with:
- a silent microphone (`SilentMic`) paced in real time, and a speaker that "plays" audio by waiting
  for its duration (`SleepingSpeaker`);
- a VAD (`ScriptedVAD`) that reports speech during the scenario's scripted user utterances;
- a batch STT (`ScriptedSTT`, wrapped by LiveKit in its VAD-driven StreamAdapter) returning the
  utterance's text, an LLM (`ScriptedLLM`) answering by keyword (tool call on "weather", failure on
  "error") with token usage, and a TTS (`ScriptedTTS`) producing silence of a plausible length.
Each fake reports the model/provider names a real plugin would.

usage: python livekit_scenarios.py OUT.json --service-name NAME [--scenarios a,b,...]
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
from spanjson import spans_to_dicts, write_capture  # noqa: E402

ARGS = argparse.ArgumentParser()
ARGS.add_argument("out")
ARGS.add_argument("--service-name", required=True)
ARGS.add_argument("--scenarios", default="")

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
set_tracer_provider(PROVIDER, metadata={"env": "capture"})

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


class ScriptedLLM(llm.LLM):
    @property
    def model(self) -> str:
        return "gpt-4o-mini"

    @property
    def provider(self) -> str:
        return "api.openai.com"

    def chat(self, *, chat_ctx, tools=None, conn_options=None, **_):  # type: ignore[no-untyped-def]
        return ScriptedLLMStream(self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options)


class ScriptedLLMStream(llm.LLMStream):
    async def _run(self) -> None:
        items = [i for i in self._chat_ctx.items if i.type in ("message", "function_call_output")]
        last = items[-1] if items else None
        said = (last.text_content or "").lower() if last is not None and last.type == "message" else ""
        prompt_tokens = 80 + 12 * len(items)
        await asyncio.sleep(0.2)  # time to first token
        if last is not None and last.type == "message" and last.role == "user" and "error" in said:
            raise APIConnectionError("upstream model unavailable")
        if last is not None and last.type == "message" and last.role == "user" and "weather" in said:
            call = llm.FunctionToolCall(name="get_weather", arguments='{"city": "Paris"}', call_id="call_1")
            self._event_ch.send_nowait(llm.ChatChunk(id="c1", delta=llm.ChoiceDelta(role="assistant", tool_calls=[call])))
            self._usage(prompt_tokens, 14)
            return
        if last is not None and last.type == "function_call_output":
            answer = "It is sunny and twenty degrees in Paris."
        elif "story" in said:
            answer = (
                "Once upon a time a little robot lived by the sea and told long stories to every "
                "passing boat, and the boats always slowed down to listen to the very end."
            )
        elif last is None or last.role != "user":
            answer = "Hello! How can I help you today?"
        else:
            answer = "Sure, I can help with that."
        words = answer.split(" ")
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


# ---------------------------------------------------------------- scenarios
def qa(start: float, text: str) -> Utterance:
    return Utterance(start, start + 1.0, text)


# name: (what the caller says and when, when the caller hangs up); the agent greets at t=0.
SCENARIOS: dict[str, tuple[list[Utterance], float]] = {
    "multi_turn": (
        [qa(4, "Hi, who are you?"), qa(8, "What can you do?"), qa(12, "Can you book a table?"), qa(16, "Thanks, bye.")],
        21.0,
    ),
    "short_one_turn": ([], 4.0),
    "short_two_turns": ([qa(4, "Are you open today?")], 9.0),
    "tool_call": ([qa(4, "What's the weather in Paris?"), qa(10, "Great, thanks.")], 15.0),
    "barge_in": ([qa(4, "Tell me a story."), Utterance(7.5, 8.5, "Stop, that's enough.")], 13.0),
    "llm_error": ([qa(4, "Hi there."), qa(8, "Please cause an error now.")], 13.0),
}
TRACES: dict[str, str] = {}  # trace id -> scenario


async def run_scenario(ctx: JobContext) -> None:
    name = ctx.job.room.name
    utterances, hang_up = SCENARIOS[name]
    span = trace.get_current_span().get_span_context()
    timeline = Timeline(utterances)
    session = AgentSession(
        vad=ScriptedVAD(timeline),
        stt=ScriptedSTT(timeline),
        llm=ScriptedLLM(),
        tts=ScriptedTTS(),
        # VAD end-of-turn (no turn-detector model to download); the keyword works in 1.7 and 1.8
        turn_detection="vad",
        # fail fast: one quick retry instead of three 2-second ones
        conn_options=SessionConnectOptions(llm_conn_options=APIConnectOptions(max_retry=1, retry_interval=0.2)),
    )
    session.input.audio = SilentMic()
    session.output.audio = SleepingSpeaker()
    timeline.t0 = time.time()
    await session.start(Assistant())
    if not span.is_valid:  # no job span (it only exists when the provider is set before the job)
        span = trace.get_current_span().get_span_context()
    await asyncio.sleep(max(0.0, timeline.t0 + hang_up - time.time()))
    await session.aclose()
    TRACES[format(span.trace_id, "032x")] = name
    ctx.shutdown(reason="caller hung up")


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
    # wait for every job to report its trace, bounded (a stuck job must not hang CI)
    deadline = time.time() + 30 + max(SCENARIOS[n][1] for n in names)
    while len(TRACES) < len(names) and time.time() < deadline:
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
    missing = set(names) - set(TRACES.values())
    if missing:
        sys.exit(f"scenarios without a trace: {sorted(missing)}")
    write_capture(_args.out, "livekit-agents", spans, TRACES, began)
