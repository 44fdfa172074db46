"""Prune on SigNoz before 0.135 (v1 dashboards: titles are not unique, our identity tag finds ours):
a hand-made dashboard that shares an orphan's name is never deleted with it."""

from __future__ import annotations

from signoz_dac.identity import MANAGED_TAG, tag
from tests.support.versions import versions

from .lifecycle_support import dashboard_body, definition, fast_client  # noqa: F401  (fast_client: autouse)
from .test_prune import _push


@versions("0.134")
def test_prune_leaves_a_namesake_it_does_not_manage(emulator, tmp_path):
    keep, gone = definition(tmp_path, "keep", rules=()), definition(tmp_path, "gone", rules=())
    assert _push(emulator, keep, gone, "--no-alerts").code == 0
    emulator.seed(dashboard_body("gone"))  # a namesake someone made by hand: not ours
    assert _push(emulator, "--prune", "--no-alerts", keep).code == 0
    [left] = emulator.by_name("gone")
    assert tag(left, MANAGED_TAG) is None


@versions("0.134")
def test_an_input_carrying_the_identity_tag_itself_is_pushed_once(emulator, tmp_path):
    """`signoz-dac-name` is push's own mark on v1 (as `managed-by` is everywhere): a JSON input that
    carries one (an export of a dashboard SigNoz converted on upgrade keeps it) must not rename what
    push writes, or every push would create the dashboard again and see the last one as an orphan."""
    import json

    path = tmp_path / "mine.json"
    path.write_text(json.dumps(dashboard_body("mine", "Mine", tags=[{"key": "signoz-dac-name", "value": "other"},
                                                                    {"key": "team", "value": "voice"}])))
    assert _push(emulator, str(path), "--no-alerts").code == 0
    second = _push(emulator, str(path), "--no-alerts")
    assert second.code == 0 and second.stdout.splitlines()[-1] == "1 unchanged", second.stdout
    assert emulator.names() == ["mine"]
    assert tag(emulator.get("mine"), "team") == "voice"
