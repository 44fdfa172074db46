"""Canonical form, content hash and managed tags: an unchanged dashboard must never show a change."""

from __future__ import annotations

import copy
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from signoz_dac.errors import InputError
from signoz_dac.identity import HASH_TAG, MANAGED_TAG, SET_TAG, is_managed
from signoz_dac.signoz.client import SigNozClient
from signoz_dac.sync import DASHBOARD, canonical
from signoz_dac.testing import FAST_RETRY
from tests.client.support import CANARY, body

stamp, content_hash, recorded_hash = DASHBOARD.stamp, DASHBOARD.content_hash, DASHBOARD.recorded_hash

TAG_VALUE = re.compile(r"^[a-zA-Z0-9$_@#{}:.+=/-]*$")
TAG_KEY = re.compile(r"^[a-zA-Z$_@{#][a-zA-Z0-9$_@#{}:/-]*$")


def _shuffled(value, rng):
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


def test_stamp_adds_our_three_tags_within_signoz_rules():
    stamped = stamp(body("x"), "acme.voice")
    ours = [t for t in stamped["tags"] if t["key"] in (MANAGED_TAG, SET_TAG, HASH_TAG)]
    assert len(ours) == 3 and is_managed(stamped) and DASHBOARD.set_of(stamped) == "acme.voice"
    for tag in stamped["tags"]:
        assert TAG_KEY.match(tag["key"]) and len(tag["key"]) <= 32
        assert TAG_VALUE.match(tag["value"]) and len(tag["value"]) <= 32
    assert recorded_hash(stamped) == content_hash(stamped)


def test_stamp_is_idempotent_and_keeps_user_tags():
    user = body("x")
    user["tags"] = [{"key": "team", "value": "voice"}]
    once = stamp(user)
    assert stamp(once) == once
    assert once["tags"][0] == {"key": "team", "value": "voice"}


def test_too_many_tags_is_bad_input():
    crowded = body("x")
    crowded["tags"] = [{"key": f"k{i}", "value": "v"} for i in range(8)]
    with pytest.raises(InputError, match="10"):
        stamp(crowded)


def test_server_owned_fields_and_generate_name_do_not_count():
    plain = body("x")
    served = {**copy.deepcopy(plain), "id": "0190", "createdAt": "t", "updatedAt": "t", "createdBy": "a",
              "updatedBy": "b", "orgId": "o", "locked": True, "source": "user", "generateName": False}
    assert canonical(served) == canonical(plain)


def test_hash_ignores_key_order_tag_order_and_explicit_defaults():
    plain = body("x")
    plain["tags"] = [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]
    reordered = _shuffled(copy.deepcopy(plain), random.Random(3))
    reordered["tags"].reverse()
    assert content_hash(reordered) == content_hash(plain)
    # SigNoz fills omitted enums with their defaults on store; the hash must not see the difference.
    panel = next(iter(plain["spec"]["panels"].values()))
    panel["spec"]["plugin"]["spec"].setdefault("visualization", {}).pop("timePreference", None)
    explicit = copy.deepcopy(plain)
    next(iter(explicit["spec"]["panels"].values()))["spec"]["plugin"]["spec"]["visualization"]["timePreference"] = "global_time"
    assert content_hash(explicit) == content_hash(plain)


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_content_change_changes_the_hash(title):
    plain = body("x")
    changed = copy.deepcopy(plain)
    changed["spec"]["display"]["name"] = title
    assert (content_hash(changed) == content_hash(plain)) == (title == plain["spec"]["display"]["name"])


@pytest.mark.parametrize("builtin", ["pipecat", "livekit"])
def test_a_server_round_trip_is_unchanged(emulator, builtin):
    """What SigNoz stores and returns (defaults filled, audit fields added) hashes like what we sent."""
    sent = stamp(body(f"{builtin}-rt", builtin=builtin, panels=None))  # every panel kind we render
    with SigNozClient(emulator.url, CANARY, retry=FAST_RETRY) as client:
        created = client.create_dashboard(sent)
        returned = client.get_dashboard(created["id"])
    assert canonical(returned) == canonical(sent)
    assert content_hash(returned) == recorded_hash(returned) == recorded_hash(sent)
