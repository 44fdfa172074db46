"""The fields SigNoz adds to a dashboard it returns: GET's `GettableDashboardV2` and the list shape.

A body sent back to SigNoz (PUT) or compared with ours must leave them out; `import` reads past them.
"""

DASHBOARD_SERVER_FIELDS = frozenset(
    {"id", "createdAt", "updatedAt", "createdBy", "updatedBy", "orgId", "locked", "source", "legacy", "pinned"}
)
