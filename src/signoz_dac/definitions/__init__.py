"""User-facing definition models: Dashboard, Variable, Section, the semantic panel catalog and the
generic panels (spec/generic)."""

from signoz_dac.definitions.alerts import (
    ALERT_TYPES,
    Alert,
    AlertDefaults,
    Alerts,
    ComponentLatencyP95,
    DeadAirAlert,
    ErrorRateAlert,
    NoData,
    ThresholdAlert,
    TokensPerCall,
    TurnLatencyP95,
)
from signoz_dac.definitions.dashboard import Dashboard, LintSettings, LlmPrice, Prices, ProfileName, Section
from signoz_dac.definitions.generic.panels import PromqlPanel, QueryPanel, SqlPanel
from signoz_dac.definitions.generic.variables import CustomVariable, QueryVariable
from signoz_dac.definitions.load import SourceMap, load_definition, source_map_of
from signoz_dac.definitions.panels import (
    PANEL_TYPES,
    AverageTurnsPerConversation,
    CallDuration,
    CallEndReasons,
    ComponentLatency,
    ConversationsBelowThreshold,
    ConversationsBelowThresholdList,
    ConversationsOverTime,
    CostPerCall,
    DeadAir,
    EndOfUtterance,
    ErrorRate,
    ErrorRecords,
    HttpRequestDuration,
    InterruptionsPerCall,
    LatencyByProvider,
    Logs,
    ModelDistribution,
    Panel,
    RealtimeLatency,
    ServicesAndLanguages,
    ShortestConversations,
    Size,
    Thresholds,
    TokensPerCallPanel,
    TokenUsage,
    ToolCalls,
    TtsWithoutAudio,
    TurnLatency,
)
from signoz_dac.definitions.variables import DynamicVariable, ModelVariable, TextVariable, Variable

__all__ = [
    "ALERT_TYPES", "Alert", "AlertDefaults", "Alerts", "ComponentLatencyP95", "DeadAirAlert", "ErrorRateAlert",
    "NoData", "ThresholdAlert", "TokensPerCall", "TurnLatencyP95",
    "PANEL_TYPES", "AverageTurnsPerConversation", "CallDuration", "CallEndReasons", "ComponentLatency",
    "ConversationsBelowThreshold", "ConversationsBelowThresholdList", "ConversationsOverTime", "CostPerCall",
    "Dashboard", "DeadAir", "DynamicVariable", "EndOfUtterance", "ErrorRate", "ErrorRecords",
    "HttpRequestDuration", "InterruptionsPerCall", "LatencyByProvider", "LintSettings", "LlmPrice", "Logs",
    "ModelDistribution", "ModelVariable", "Panel", "Prices", "ProfileName", "RealtimeLatency", "Section",
    "ServicesAndLanguages",
    "ShortestConversations", "Size", "SourceMap", "TextVariable", "Thresholds", "TokensPerCallPanel",
    "TokenUsage", "ToolCalls", "TtsWithoutAudio", "TurnLatency", "Variable", "load_definition", "source_map_of",
    "CustomVariable", "PromqlPanel", "QueryPanel", "QueryVariable", "SqlPanel",
]
