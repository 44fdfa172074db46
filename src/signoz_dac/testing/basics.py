"""What every part of the emulator uses: its error answer, copies, clocks and ids like SigNoz's."""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any


class Reply(Exception):
    """Raised inside a handler to answer with an error envelope."""

    def __init__(self, status: int, type_: str, code: str, message: str, headers: dict[str, str] | None = None):
        self.status, self.type, self.code, self.message = status, type_, code, message
        self.headers = headers or {}


def clone(value: Any) -> Any:
    # Bodies are plain JSON; a JSON round trip copies them several times faster than deepcopy.
    return json.loads(json.dumps(value))


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def uuid7() -> str:
    """A UUIDv7 as SigNoz assigns them: 48 bits of Unix milliseconds, then random bits."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return str(uuid.UUID(int=value))
