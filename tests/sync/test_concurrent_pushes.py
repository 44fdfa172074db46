"""Several real `signoz-dac push` processes at once against one emulator: exactly one of each
dashboard and each alert rule at the end, every time, and no lock left behind.

SigNoz keeps no unique index on rules; before push took its lock, two pushes planning at the same
moment both created every rule (issue 11: 14 or 24 rules instead of 12 in half of the runs). Each
round starts a fresh server and PUSHES processes together; a little server latency stretches
planning so the processes overlap as CI jobs do. Against SigNoz 0.138 (whose unique dashboard
names make the lock a 409) and 0.134 (v1 dashboards: nothing refuses a second lock marker).
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from signoz_dac.identity import rule_key
from signoz_dac.resources import builtin_definitions
from signoz_dac.sources import load_inputs
from signoz_dac.sync.lock import LOCK_NAME
from signoz_dac.testing import SigNozEmulator
from tests.client.support import KEYS
from tests.support.versions import SERVERS

from .cli_support import process_env, spawn

pytestmark = pytest.mark.slow

ROUNDS = 3
PUSHES = 4


@pytest.mark.parametrize("server", ["0.138", "0.134"])
def test_concurrent_pushes_leave_exactly_one_of_each(tmp_path, server):
    definitions = [str(p) for p in builtin_definitions()]
    rules = len(load_inputs(definitions).rules)  # one of each rule the definitions hold
    started = time.monotonic()
    for round_ in range(ROUNDS):
        with SigNozEmulator(api_keys=KEYS, latency=0.01, **SERVERS[server]) as emulator:
            env = process_env(emulator.url)
            processes = [spawn(["push", *definitions], env, tmp_path) for _ in range(PUSHES)]
            outcomes = [(p.wait(timeout=90), *p.communicate()) for p in processes]
            for code, stdout, stderr in outcomes:
                assert code == 0, f"round {round_}: {stdout}{stderr}"
                assert "Traceback" not in stderr
            names = Counter(emulator.names())
            assert names == {"pipecat-voice-agent": 1, "livekit-voice-agent": 1}, f"round {round_}: {names}"
            identities = Counter(rule_key(r) for r in emulator.rules.values())
            assert len(identities) == rules and set(identities.values()) == {1}, f"round {round_}: {identities}"
            assert emulator.by_name(LOCK_NAME) == []
            # Every rule was created once: the pushes took turns, the later ones found them in place.
            assert emulator.calls[emulator.route_for("POST /api/v2/rules")] == rules
    assert time.monotonic() - started < 90
