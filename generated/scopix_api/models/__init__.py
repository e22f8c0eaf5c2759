"""Contains all the data models used in inputs/outputs"""

from .analysis_level import AnalysisLevel
from .billing_period import BillingPeriod
from .conversation_token_usage import ConversationTokenUsage
from .conversation_token_usage_list import ConversationTokenUsageList
from .credit_breakdown_item import CreditBreakdownItem
from .daily_activity import DailyActivity
from .dashboard_analytics import DashboardAnalytics
from .dashboard_period import DashboardPeriod
from .endpoint_usage import EndpointUsage
from .error_response import ErrorResponse
from .error_response_details_type_0 import ErrorResponseDetailsType0
from .feature_limit import FeatureLimit
from .file_token_usage import FileTokenUsage
from .file_token_usage_list import FileTokenUsageList
from .month_token_usage import MonthTokenUsage
from .monthly_token_usage import MonthlyTokenUsage
from .operation_type import OperationType
from .optimization_recommendation import OptimizationRecommendation
from .performance_metrics import PerformanceMetrics
from .period_type import PeriodType
from .plan_details import PlanDetails
from .plan_info import PlanInfo
from .plan_period import PlanPeriod
from .plan_utilization import PlanUtilization
from .recommendation_priority import RecommendationPriority
from .summary_period import SummaryPeriod
from .token_usage_stats import TokenUsageStats
from .top_endpoints import TopEndpoints
from .usage_breakdown import UsageBreakdown
from .usage_by_period import UsageByPeriod
from .usage_check_result import UsageCheckResult
from .usage_details import UsageDetails
from .usage_event import UsageEvent
from .usage_limits import UsageLimits
from .usage_period_point import UsagePeriodPoint
from .usage_projections import UsageProjections
from .usage_summary import UsageSummary

__all__ = (
    "AnalysisLevel",
    "BillingPeriod",
    "ConversationTokenUsage",
    "ConversationTokenUsageList",
    "CreditBreakdownItem",
    "DailyActivity",
    "DashboardAnalytics",
    "DashboardPeriod",
    "EndpointUsage",
    "ErrorResponse",
    "ErrorResponseDetailsType0",
    "FeatureLimit",
    "FileTokenUsage",
    "FileTokenUsageList",
    "MonthTokenUsage",
    "MonthlyTokenUsage",
    "OperationType",
    "OptimizationRecommendation",
    "PerformanceMetrics",
    "PeriodType",
    "PlanDetails",
    "PlanInfo",
    "PlanPeriod",
    "PlanUtilization",
    "RecommendationPriority",
    "SummaryPeriod",
    "TokenUsageStats",
    "TopEndpoints",
    "UsageBreakdown",
    "UsageByPeriod",
    "UsageCheckResult",
    "UsageDetails",
    "UsageEvent",
    "UsageLimits",
    "UsagePeriodPoint",
    "UsageProjections",
    "UsageSummary",
)
