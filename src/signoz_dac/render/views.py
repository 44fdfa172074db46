"""What the templates receive besides the generic models (those travel as `render.generic.View`s):
where each panel sits in its section, and the values of each ClickHouse SQL template.

Each SQL view names its template and holds exactly the values that template reads; a test checks
the templates against these fields, so a renamed value fails in the tests, not at render time.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from signoz_dac.render.queries import TokenCount


@dataclass(frozen=True)
class Item:
    """One panel's place in a section (a SigNoz grid item)."""

    key: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class SqlView:
    """The values of one SQL template (`template`), passed to it as top-level names."""

    template: ClassVar[str]

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ModelValuesSql(SqlView):
    """The models seen on a component's spans: a model variable's values."""

    template: ClassVar[str] = "sql/model_values.sql.j2"
    spans: tuple[str, ...]
    attribute: str


@dataclass(frozen=True)
class FinishedConversationsSql(SqlView):
    """What every query over the conversations that ended in the time range reads
    (sql/_finished_conversations.sql.j2): the profile's spans, how far back turns are counted,
    and (column, map key or None, variable) for each variable that filters."""

    conversation_span: str
    turn_span: str
    turn_unless: str | None
    lookback_seconds: int
    filters: tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True)
class BelowThresholdSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/conversations_below_threshold.sql.j2"
    threshold_variable: str


@dataclass(frozen=True)
class AverageTurnsSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/average_turns_per_conversation.sql.j2"


@dataclass(frozen=True)
class BelowThresholdListSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/conversations_below_threshold_list.sql.j2"
    threshold_variable: str
    limit: int


@dataclass(frozen=True)
class InterruptionsSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/interruptions_per_call.sql.j2"
    interrupt_span: str
    interrupt_attribute: str
    leave_out_last_turn: bool


@dataclass(frozen=True)
class TokensPerCallSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/tokens_per_call.sql.j2"
    tokens: tuple[TokenCount, ...]


@dataclass(frozen=True)
class CostPerCallSql(FinishedConversationsSql):
    template: ClassVar[str] = "sql/cost_per_call.sql.j2"
    llm: dict[str, Any]  # spans, model, input, output, cached attributes; prices: [(model, {input, output, cached, cached_in_input})]
    tts: dict[str, Any]  # prices: [(model, price)]; span, model, characters when the profile records them
    stt: dict[str, Any]  # prices: [(model, price)]; span, model, audio_seconds when the profile records them


SQL_VIEWS: tuple[type[SqlView], ...] = (
    ModelValuesSql, BelowThresholdSql, AverageTurnsSql, BelowThresholdListSql, InterruptionsSql, TokensPerCallSql,
    CostPerCallSql,
)
