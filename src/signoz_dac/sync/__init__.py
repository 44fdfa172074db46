"""Deploying dashboards and their alert rules: canonical form, managed tags and labels, plan, apply, diff.

    plan = make_plan(client, [(source, body), ...], rules=[(source, rule), ...], force=False, adopt=False)
    results = apply(client, plan, concurrency=4, lock=False)
"""

from signoz_dac.sync.apply import Outcome, Result, apply
from signoz_dac.sync.canonical import canonical, canonical_json, canonical_rule
from signoz_dac.sync.channels import UnknownChannels, channels_of, check_channels
from signoz_dac.sync.diff import PanelChange, Summary, summarize, summarize_rule, unified_diff
from signoz_dac.sync.labels import HASH_LABEL, recorded_rule_hash, rule_content_hash, stamp_rule
from signoz_dac.sync.plan import Action, Kind, Plan, PlanItem, make_plan
from signoz_dac.sync.tags import HASH_KEY, MANAGED_KEY, MANAGED_VALUE, content_hash, is_managed, recorded_hash, stamp

__all__ = [
    "HASH_KEY", "HASH_LABEL", "MANAGED_KEY", "MANAGED_VALUE", "Action", "Kind", "Outcome", "PanelChange", "Plan",
    "PlanItem", "Result", "Summary", "UnknownChannels", "apply", "canonical", "canonical_json", "canonical_rule",
    "channels_of", "check_channels", "content_hash", "is_managed", "make_plan", "recorded_hash",
    "recorded_rule_hash", "rule_content_hash", "stamp", "stamp_rule", "summarize", "summarize_rule", "unified_diff",
]
