"""Deploying dashboards and their alert rules: canonical form, plan, apply, diff; one path for both
kinds, with what differs between them in `kinds` (and the marks in `signoz_dac.identity`).

    plan = make_plan(client, [(source, body), ...], rules=[(source, rule), ...], set_name="my-team",
                     orphans=(DASHBOARD, RULE), prune=True)
    results = apply(client, plan, concurrency=4)
"""

from signoz_dac.sync.apply import Outcome, Result, apply
from signoz_dac.sync.canonical import canonical, canonical_json
from signoz_dac.sync.channels import UnknownChannels, channels_of, check_channels
from signoz_dac.sync.diff import PanelChange, Summary, summarize, unified_diff
from signoz_dac.sync.kinds import DASHBOARD, KINDS, RULE, Kind
from signoz_dac.sync.plan import Action, Plan, PlanItem, make_plan

__all__ = [
    "DASHBOARD", "KINDS", "RULE", "Action", "Kind", "Outcome", "PanelChange", "Plan", "PlanItem",
    "Result", "Summary", "UnknownChannels", "apply", "canonical", "canonical_json", "channels_of", "check_channels",
    "make_plan", "summarize", "unified_diff",
]
