# Code generated from openapi.yaml by scripts/gen_resources.py. DO NOT EDIT.
# Change openapi.yaml (or the script), then run make generate.

"""The values of the spec's request enums as `Literal` types, so editors complete them
and type checkers catch a misspelt one. A value a newer server accepts goes in
`extra_query=`."""

from typing import Literal

__all__ = [
    "AnalysisLevelValue",
    "DashboardPeriodValue",
    "OperationTypeValue",
    "PeriodTypeValue",
    "PlanPeriodValue",
    "SummaryPeriodValue",
]

AnalysisLevelValue = Literal["basic", "standard", "thorough"]
DashboardPeriodValue = Literal["week", "month", "year"]
OperationTypeValue = Literal[
    "image_analysis",
    "video_analysis",
    "document_analysis",
    "chat",
    "file_upload",
    "search",
    "usage_query",
]
PeriodTypeValue = Literal["hour", "day", "month"]
PlanPeriodValue = Literal["month", "quarter", "year"]
SummaryPeriodValue = Literal["day", "week", "month"]
