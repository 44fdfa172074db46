"""Text from outside (a server's error message, a header, a title read back) made safe to print.

A hostile or broken server can put anything in the text we show: our API key echoed back, a
newline followed by `::error file=...::` (a forged GitHub Actions annotation), terminal escape
sequences that retitle or repaint the terminal, megabytes of HTML. `printable` turns such text into
one bounded line: every secret replaced, whitespace controls (newlines included) turned into
spaces, every other control or format character (C0, DEL, C1, bidi overrides, zero-width marks)
dropped. The client applies it to every error it raises from a reply, and the command line to
everything it prints, so one function decides what "safe" means.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from urllib.parse import quote

REDACTED = "[redacted]"
MAX_LINE = 500  # characters kept of one piece of server text

# Terminal escape sequences, removed whole (not just their ESC): CSI (`ESC [ ... m`, colours, cursor),
# OSC (`ESC ] ... BEL`, window titles, hyperlinks), and the short ones (`ESC ( B`, `ESC 7`).
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]")
# Line and paragraph separators are not category Cc, but terminals and log viewers break lines there.
_SPACES = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85\u2028\u2029")


class Secrets:
    """Values to redact, iterable, that never show themselves in a repr (or a debugger's `vars`)."""

    def __init__(self, *values: str | None):
        self._values = tuple(v for v in values if v)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __repr__(self) -> str:
        return f"Secrets(<{len(self._values)} hidden>)"


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with each secret replaced, also in its URL-encoded and JSON-escaped spellings."""
    for secret in secrets:
        if not secret:
            continue
        for form in {secret, quote(secret, safe=""), json.dumps(secret)[1:-1]}:
            text = text.replace(form, REDACTED)
    return text


def _keep(char: str) -> str:
    if char in _SPACES:
        return " "
    if unicodedata.category(char) in ("Cc", "Cf", "Cs"):  # Cs: a lone surrogate cannot even be encoded
        return ""
    return char


def printable(text: object, secrets: Iterable[str] = (), *, limit: int | None = MAX_LINE) -> str:
    """One line safe for a terminal and a CI log: secrets redacted, control characters gone,
    at most `limit` characters (None: no limit)."""
    secrets = [s for s in secrets if s]
    value = redact(str(text), secrets)
    if limit is not None and len(value) > limit * 4:
        value = value[: limit * 4]  # bound the work before the per-character pass
    if not value.isprintable():
        # Redact again: an escape sequence or an invisible character inside the key hid it from the first pass.
        value = redact("".join(_keep(c) for c in _ESCAPES.sub("", value)), secrets)
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value
