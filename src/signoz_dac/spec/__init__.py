"""User-facing definition models: Dashboard, Variable, Section, the semantic panel catalog and the
generic panels (spec/generic)."""

from signoz_dac.spec.alerts import (
    ALERT_TYPES,
    Alert,
    AlertDefaults,
    Alerts,
    ComponentLatencyP95,
    ErrorRateAlert,
    ThresholdAlert,
    TokensPerTurn,
    TurnLatencyP95,
)
from signoz_dac.spec.dashboard import Dashboard, LintSettings, ProfileName, Section
from signoz_dac.spec.generic.panels import PromqlPanel, QueryPanel, SqlPanel
from signoz_dac.spec.generic.variables import CustomVariable, QueryVariable
from signoz_dac.spec.load import SourceMap, load_definition, source_map_of
from signoz_dac.spec.panels import (
    PANEL_TYPES,
    AverageTurnsPerConversation,
    ComponentLatency,
    ConversationsBelowThreshold,
    ConversationsBelowThresholdList,
    ConversationsOverTime,
    ErrorRate,
    ErrorRecords,
    HttpRequestDuration,
    Logs,
    ModelDistribution,
    Panel,
    ServicesAndLanguages,
    Size,
    Thresholds,
    TokenUsage,
    TurnLatency,
)
from signoz_dac.spec.variables import DynamicVariable, ModelVariable, TextVariable, Variable

__all__ = [
    "ALERT_TYPES", "Alert", "AlertDefaults", "Alerts", "ComponentLatencyP95", "ErrorRateAlert", "ThresholdAlert",
    "TokensPerTurn", "TurnLatencyP95",
    "PANEL_TYPES", "AverageTurnsPerConversation", "ComponentLatency", "ConversationsBelowThreshold",
    "ConversationsBelowThresholdList", "ConversationsOverTime", "Dashboard", "DynamicVariable", "ErrorRate",
    "ErrorRecords", "HttpRequestDuration", "LintSettings", "Logs", "ModelDistribution", "ModelVariable",
    "Panel", "ProfileName", "Section", "ServicesAndLanguages", "Size", "SourceMap", "TextVariable",
    "Thresholds", "TokenUsage", "TurnLatency", "Variable", "load_definition", "source_map_of",
    "CustomVariable", "PromqlPanel", "QueryPanel", "QueryVariable", "SqlPanel",
]
