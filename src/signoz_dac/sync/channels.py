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

    def __init__(self, message: str, missing: dict[str, dict[str, list[str]]]):
        self.missing = missing  # channel name -> {source: [names of the rules that name it]}
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
    missing: dict[str, dict[str, list[str]]] = {}
    for source, rule, names in wanted:
        for name in names:
            if name not in existing:
                missing.setdefault(name, {}).setdefault(source, []).append(str(rule.get("alert")))
    if not missing:
        return
    known = ", ".join(sorted(n for n in existing if isinstance(n, str))) or "none"
    details = "; ".join(
        f"{name!r}, named by " + ", ".join(f"{source} ({_rules(alerts)})" for source, alerts in users.items())
        for name, users in missing.items()
    )
    raise UnknownChannels(
        f"unknown notification channel(s): {details}. Channels in SigNoz: {known}. Create the channel "
        "in SigNoz (Settings → Alert Channels) or fix the name in the definition's `alerts:`; nothing was pushed",
        missing,
    )


def _rules(alerts: list[str]) -> str:
    shown = ", ".join(repr(a) for a in alerts[:2])
    more = f" and {len(alerts) - 2} more" if len(alerts) > 2 else ""
    return f"rule {shown}" if len(alerts) == 1 else f"{len(alerts)} rules: {shown}{more}"
