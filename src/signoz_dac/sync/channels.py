"""Notification channels named by rules must exist in SigNoz: checked before anything is written.

A rule names its channels (per threshold level, and in `preferredChannels`) by the names they have
in SigNoz. A name that does not exist there is a mistake in the definition (a typo, a channel not
created yet in this environment) that no retry or flag fixes, and a rule that notifies nobody is
worse than no rule: push stops before any write and says which rule, which file and which names,
with the channels that do exist. It is bad input: exit 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from signoz_dac.errors import InputError

if TYPE_CHECKING:
    from signoz_dac.signoz.client import SigNozClient


class UnknownChannels(InputError):
    """Rules name notification channels that SigNoz does not have."""

    def __init__(self, message: str, missing: dict[str, list[str]]):
        self.missing = missing  # "<source>: rule <name>" -> the unknown channel names
        super().__init__(message)


def channels_of(rule: dict[str, Any]) -> list[str]:
    """Every channel name a rule body refers to, in order, once each."""
    names: list[str] = list(rule.get("preferredChannels") or [])
    for level in ((rule.get("condition") or {}).get("thresholds") or {}).get("spec") or []:
        names.extend(level.get("channels") or [])
    return list(dict.fromkeys(names))


def check_channels(client: SigNozClient, rules: Sequence[tuple[str, dict[str, Any]]]) -> None:
    """Raise UnknownChannels if a rule names a channel SigNoz lacks; no request when none names one."""
    wanted = [(source, rule, channels_of(rule)) for source, rule in rules]
    if not any(names for _, _, names in wanted):
        return
    existing = {c.get("name") for c in client.list_channels()}
    missing = {
        f"{source}: rule {rule.get('alert')!r}": [n for n in names if n not in existing]
        for source, rule, names in wanted
        if any(n not in existing for n in names)
    }
    if not missing:
        return
    known = ", ".join(sorted(n for n in existing if isinstance(n, str))) or "none"
    details = "; ".join(f"{where} names {', '.join(repr(n) for n in names)}" for where, names in missing.items())
    raise UnknownChannels(
        f"unknown notification channel(s) in SigNoz: {details}. Channels in SigNoz: {known}. "
        "Create the channel in SigNoz (Settings → Alert Channels) or fix the name in `alerts.channels`",
        missing,
    )
