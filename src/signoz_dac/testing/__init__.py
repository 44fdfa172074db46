"""Test helpers for signoz-dac and for users' own CI: an emulated SigNoz API on 127.0.0.1."""

from signoz_dac.testing.emulator import Fault, SigNozEmulator
from signoz_dac.testing.helpers import FAST_RETRY, SleepRecorder

__all__ = ["FAST_RETRY", "Fault", "SigNozEmulator", "SleepRecorder"]
