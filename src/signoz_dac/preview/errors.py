"""Why a panel has no numbers. The preview says so on the panel instead of guessing."""

from __future__ import annotations


class NotEvaluated(Exception):
    """A query the preview did not compute; `str(exc)` is the reason shown on the panel."""


class Unsupported(NotEvaluated):
    """SigNoz can run it, the local evaluator cannot (yet): PromQL, logs, metrics, a filter function."""


class QueryFailed(NotEvaluated):
    """It fails: SigNoz would refuse it too (full-text search on traces, an empty variable list), or
    ClickHouse rejected the SQL."""


def no_numbers(exc: NotEvaluated) -> tuple[str, str]:
    """(status, reason) of a query that has no numbers: `not-evaluated` when only the local
    evaluator cannot, `failed` when SigNoz would fail too."""
    return ("not-evaluated" if isinstance(exc, Unsupported) else "failed"), str(exc)


def clickhouse_message(exc: BaseException) -> str:
    """The first line of a chDB/ClickHouse error, short enough for a panel."""
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]
