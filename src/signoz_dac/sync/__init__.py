"""Deploying dashboards: canonical form, managed tags, plan, apply, diff.

    plan = make_plan(client, [(source, body), ...], force=False, adopt=False)
    results = apply(client, plan, concurrency=4, lock=False)
"""

from signoz_dac.sync.apply import Outcome, Result, apply
from signoz_dac.sync.canonical import canonical, canonical_json
from signoz_dac.sync.diff import PanelChange, Summary, summarize, unified_diff
from signoz_dac.sync.plan import Action, Plan, PlanItem, make_plan
from signoz_dac.sync.tags import HASH_KEY, MANAGED_KEY, MANAGED_VALUE, content_hash, is_managed, recorded_hash, stamp

__all__ = [
    "HASH_KEY", "MANAGED_KEY", "MANAGED_VALUE", "Action", "Outcome", "PanelChange", "Plan", "PlanItem",
    "Result", "Summary", "apply", "canonical", "canonical_json", "content_hash", "is_managed", "make_plan",
    "recorded_hash", "stamp", "summarize", "unified_diff",
]
