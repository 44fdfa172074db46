"""The fields SigNoz adds to a dashboard or an alert rule it returns, which a client never sends.

A body sent back to SigNoz (PUT) or compared with ours must leave them out; `import` reads past them,
lint reads a saved GET reply as the body that was posted.
"""

# GET's `GettableDashboardV2` and the list shape.
DASHBOARD_SERVER_FIELDS = frozenset(
    {"id", "createdAt", "updatedAt", "createdBy", "updatedBy", "orgId", "locked", "source", "legacy", "pinned"}
)
# How /api/v1/rules (GettableRule) spells the audit fields /api/v2/rules (RuletypesRule) returns.
RULE_AUDIT_V1_SPELLING = {"createdAt": "createAt", "updatedAt": "updateAt", "createdBy": "createBy", "updatedBy": "updateBy"}
# RuletypesRule's fields, and v1 GettableRule's spelling of the audit fields (older servers).
RULE_SERVER_FIELDS = frozenset({"id", "state", *RULE_AUDIT_V1_SPELLING, *RULE_AUDIT_V1_SPELLING.values()})
