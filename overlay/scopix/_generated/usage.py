# Code generated from openapi.yaml by scripts/gen_resources.py. DO NOT EDIT.
# Change openapi.yaml (or the script), then run make generate.

"""`client.usage`: usage monitoring, analytics and plan utilization."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Unpack

from .._async.pager import AsyncPager
from .._async.usage_methods import UsageMethods as AsyncUsageMethods
from .._call import as_raw_async, as_raw_sync
from .._options import RequestOptions, strict_keywords
from .._pagination import Listing
from .._sync.pager import SyncPager
from .._sync.usage_methods import UsageMethods as SyncUsageMethods
from .literals import (
    AnalysisLevelValue,
    DashboardPeriodValue,
    OperationTypeValue,
    PeriodTypeValue,
    PlanPeriodValue,
    SummaryPeriodValue,
)

if TYPE_CHECKING:
    from ..types import (
        AnalysisLevel,
        ConversationTokenUsage,
        ConversationTokenUsageList,
        DashboardAnalytics,
        DashboardPeriod,
        FileTokenUsage,
        FileTokenUsageList,
        MonthlyTokenUsage,
        OperationType,
        PeriodType,
        PlanPeriod,
        PlanUtilization,
        SummaryPeriod,
        TopEndpoints,
        UsageBreakdown,
        UsageByPeriod,
        UsageCheckResult,
        UsageDetails,
        UsageEvent,
        UsageSummary,
    )

__all__ = [
    "SyncUsageResource",
    "SyncUsageResourceWithRawResponse",
    "UsageResource",
    "UsageResourceWithRawResponse",
]

# The list operations each `get_all_*` walks: the field of the answer that holds the
# items, and whether a walk without `end_date` is pinned to the time of the call.
LISTINGS: dict[str, Listing] = {
    "get_all_details": Listing("get_all_details", "get_details", "events", snapshot=True),
    "get_all_file_tokens": Listing(
        "get_all_file_tokens", "get_file_tokens", "files", snapshot=False
    ),
    "get_all_conversation_tokens": Listing(
        "get_all_conversation_tokens", "get_conversation_tokens", "conversations", snapshot=False
    ),
}


class UsageResource(AsyncUsageMethods):
    """`Scopix.usage`: usage monitoring, analytics and plan utilization.

    Every method takes keyword arguments only, with the spec's defaults, and the
    per-call options `timeout`, `max_retries`, `extra_headers` and `extra_query`
    (`RequestOptions`). Rate limited per API key: 30 or 60 requests per minute
    (the spec's `x-rate-limit`).
    """

    @property
    def with_raw_response(self) -> UsageResourceWithRawResponse:
        """The same methods, returning the HTTP response (headers, rate limit) with `parse()`."""
        return UsageResourceWithRawResponse(UsageResource(self._client, raw=True))

    @strict_keywords
    async def check(
        self,
        *,
        analysis_level: AnalysisLevelValue | AnalysisLevel = "standard",
        item_count: int = 1,
        content_category: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageCheckResult:
        """Check whether an operation fits the remaining credits."""
        result: UsageCheckResult = await self._request(
            "check",
            {
                "analysis_level": analysis_level,
                "item_count": item_count,
                "content_category": content_category,
            },
            options,
        )
        return result

    @strict_keywords
    async def get_breakdown(
        self,
        **options: Unpack[RequestOptions],
    ) -> UsageBreakdown:
        """Credit usage breakdown for the current billing period."""
        result: UsageBreakdown = await self._request("get_breakdown", {}, options)
        return result

    @strict_keywords
    async def get_summary(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        period: SummaryPeriodValue | SummaryPeriod = "month",
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageSummary:
        """Usage summary for a billing period."""
        result: UsageSummary = await self._request(
            "get_summary",
            {
                "start_date": start_date,
                "end_date": end_date,
                "period": period,
                "api_key_id": api_key_id,
            },
            options,
        )
        return result

    @strict_keywords
    async def get_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: OperationTypeValue | OperationType | None = None,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> UsageDetails:
        """Paginated usage events."""
        result: UsageDetails = await self._request(
            "get_details",
            {
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
                "operation_type": operation_type,
                "limit": limit,
                "offset": offset,
            },
            options,
        )
        return result

    @strict_keywords
    def get_all_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: OperationTypeValue | OperationType | None = None,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[UsageEvent]:
        """Every item of every page of `get_details()`, in order (the filters apply to every
        page).

        `resume_from=` a pager's `position` continues its walk (with its filters). Without
        `end_date` the listing is a snapshot up to the moment of this call (kept by every
        walk and position): items recorded meanwhile would otherwise shift the pages.
        """
        pager: AsyncPager[UsageEvent] = self._paginate(
            LISTINGS["get_all_details"],
            {
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
                "operation_type": operation_type,
            },
            page_size,
            resume_from,
            options,
        )
        return pager

    @strict_keywords
    async def get_by_period(
        self,
        *,
        period_type: PeriodTypeValue | PeriodType = "day",
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageByPeriod:
        """Usage time series grouped by period."""
        result: UsageByPeriod = await self._request(
            "get_by_period",
            {
                "period_type": period_type,
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
            },
            options,
        )
        return result

    @strict_keywords
    async def get_top_endpoints(
        self,
        *,
        limit: int = 10,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        **options: Unpack[RequestOptions],
    ) -> TopEndpoints:
        """Most used endpoints."""
        result: TopEndpoints = await self._request(
            "get_top_endpoints",
            {"limit": limit, "start_date": start_date, "end_date": end_date},
            options,
        )
        return result

    @strict_keywords
    async def get_dashboard_analytics(
        self,
        *,
        period: DashboardPeriodValue | DashboardPeriod = "month",
        **options: Unpack[RequestOptions],
    ) -> DashboardAnalytics:
        """Dashboard analytics."""
        result: DashboardAnalytics = await self._request(
            "get_dashboard_analytics", {"period": period}, options
        )
        return result

    @strict_keywords
    async def get_plan(
        self,
        *,
        period: PlanPeriodValue | PlanPeriod = "month",
        include_projections: bool = True,
        **options: Unpack[RequestOptions],
    ) -> PlanUtilization:
        """Plan utilization."""
        result: PlanUtilization = await self._request(
            "get_plan", {"period": period, "include_projections": include_projections}, options
        )
        return result

    @strict_keywords
    async def get_monthly_tokens(
        self,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        **options: Unpack[RequestOptions],
    ) -> MonthlyTokenUsage:
        """Aggregated token usage over a date range."""
        result: MonthlyTokenUsage = await self._request(
            "get_monthly_tokens", {"start_date": start_date, "end_date": end_date}, options
        )
        return result

    @strict_keywords
    async def get_file_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> FileTokenUsageList:
        """Per-file token usage."""
        result: FileTokenUsageList = await self._request(
            "get_file_tokens", {"limit": limit, "offset": offset}, options
        )
        return result

    @strict_keywords
    def get_all_file_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[FileTokenUsage]:
        """Every item of every page of `get_file_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        pager: AsyncPager[FileTokenUsage] = self._paginate(
            LISTINGS["get_all_file_tokens"], {}, page_size, resume_from, options
        )
        return pager

    @strict_keywords
    async def get_conversation_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> ConversationTokenUsageList:
        """Per-conversation token usage."""
        result: ConversationTokenUsageList = await self._request(
            "get_conversation_tokens", {"limit": limit, "offset": offset}, options
        )
        return result

    @strict_keywords
    def get_all_conversation_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[ConversationTokenUsage]:
        """Every item of every page of `get_conversation_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        pager: AsyncPager[ConversationTokenUsage] = self._paginate(
            LISTINGS["get_all_conversation_tokens"], {}, page_size, resume_from, options
        )
        return pager


class UsageResourceWithRawResponse:
    """`Scopix.usage.with_raw_response`: each method returns a RawResponse."""

    def __init__(self, resource: UsageResource) -> None:
        self.check = as_raw_async(resource.check)
        self.get_breakdown = as_raw_async(resource.get_breakdown)
        self.get_summary = as_raw_async(resource.get_summary)
        self.get_details = as_raw_async(resource.get_details)
        self.get_by_period = as_raw_async(resource.get_by_period)
        self.get_top_endpoints = as_raw_async(resource.get_top_endpoints)
        self.get_dashboard_analytics = as_raw_async(resource.get_dashboard_analytics)
        self.get_plan = as_raw_async(resource.get_plan)
        self.get_monthly_tokens = as_raw_async(resource.get_monthly_tokens)
        self.get_file_tokens = as_raw_async(resource.get_file_tokens)
        self.get_conversation_tokens = as_raw_async(resource.get_conversation_tokens)


class SyncUsageResource(SyncUsageMethods):
    """`SyncScopix.usage`: usage monitoring, analytics and plan utilization.

    Every method takes keyword arguments only, with the spec's defaults, and the
    per-call options `timeout`, `max_retries`, `extra_headers` and `extra_query`
    (`RequestOptions`). Rate limited per API key: 30 or 60 requests per minute
    (the spec's `x-rate-limit`).
    """

    @property
    def with_raw_response(self) -> SyncUsageResourceWithRawResponse:
        """The same methods, returning the HTTP response (headers, rate limit) with `parse()`."""
        return SyncUsageResourceWithRawResponse(SyncUsageResource(self._client, raw=True))

    @strict_keywords
    def check(
        self,
        *,
        analysis_level: AnalysisLevelValue | AnalysisLevel = "standard",
        item_count: int = 1,
        content_category: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageCheckResult:
        """Check whether an operation fits the remaining credits."""
        result: UsageCheckResult = self._request(
            "check",
            {
                "analysis_level": analysis_level,
                "item_count": item_count,
                "content_category": content_category,
            },
            options,
        )
        return result

    @strict_keywords
    def get_breakdown(
        self,
        **options: Unpack[RequestOptions],
    ) -> UsageBreakdown:
        """Credit usage breakdown for the current billing period."""
        result: UsageBreakdown = self._request("get_breakdown", {}, options)
        return result

    @strict_keywords
    def get_summary(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        period: SummaryPeriodValue | SummaryPeriod = "month",
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageSummary:
        """Usage summary for a billing period."""
        result: UsageSummary = self._request(
            "get_summary",
            {
                "start_date": start_date,
                "end_date": end_date,
                "period": period,
                "api_key_id": api_key_id,
            },
            options,
        )
        return result

    @strict_keywords
    def get_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: OperationTypeValue | OperationType | None = None,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> UsageDetails:
        """Paginated usage events."""
        result: UsageDetails = self._request(
            "get_details",
            {
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
                "operation_type": operation_type,
                "limit": limit,
                "offset": offset,
            },
            options,
        )
        return result

    @strict_keywords
    def get_all_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: OperationTypeValue | OperationType | None = None,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[UsageEvent]:
        """Every item of every page of `get_details()`, in order (the filters apply to every
        page).

        `resume_from=` a pager's `position` continues its walk (with its filters). Without
        `end_date` the listing is a snapshot up to the moment of this call (kept by every
        walk and position): items recorded meanwhile would otherwise shift the pages.
        """
        pager: SyncPager[UsageEvent] = self._paginate(
            LISTINGS["get_all_details"],
            {
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
                "operation_type": operation_type,
            },
            page_size,
            resume_from,
            options,
        )
        return pager

    @strict_keywords
    def get_by_period(
        self,
        *,
        period_type: PeriodTypeValue | PeriodType = "day",
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageByPeriod:
        """Usage time series grouped by period."""
        result: UsageByPeriod = self._request(
            "get_by_period",
            {
                "period_type": period_type,
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
            },
            options,
        )
        return result

    @strict_keywords
    def get_top_endpoints(
        self,
        *,
        limit: int = 10,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        **options: Unpack[RequestOptions],
    ) -> TopEndpoints:
        """Most used endpoints."""
        result: TopEndpoints = self._request(
            "get_top_endpoints",
            {"limit": limit, "start_date": start_date, "end_date": end_date},
            options,
        )
        return result

    @strict_keywords
    def get_dashboard_analytics(
        self,
        *,
        period: DashboardPeriodValue | DashboardPeriod = "month",
        **options: Unpack[RequestOptions],
    ) -> DashboardAnalytics:
        """Dashboard analytics."""
        result: DashboardAnalytics = self._request(
            "get_dashboard_analytics", {"period": period}, options
        )
        return result

    @strict_keywords
    def get_plan(
        self,
        *,
        period: PlanPeriodValue | PlanPeriod = "month",
        include_projections: bool = True,
        **options: Unpack[RequestOptions],
    ) -> PlanUtilization:
        """Plan utilization."""
        result: PlanUtilization = self._request(
            "get_plan", {"period": period, "include_projections": include_projections}, options
        )
        return result

    @strict_keywords
    def get_monthly_tokens(
        self,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        **options: Unpack[RequestOptions],
    ) -> MonthlyTokenUsage:
        """Aggregated token usage over a date range."""
        result: MonthlyTokenUsage = self._request(
            "get_monthly_tokens", {"start_date": start_date, "end_date": end_date}, options
        )
        return result

    @strict_keywords
    def get_file_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> FileTokenUsageList:
        """Per-file token usage."""
        result: FileTokenUsageList = self._request(
            "get_file_tokens", {"limit": limit, "offset": offset}, options
        )
        return result

    @strict_keywords
    def get_all_file_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[FileTokenUsage]:
        """Every item of every page of `get_file_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        pager: SyncPager[FileTokenUsage] = self._paginate(
            LISTINGS["get_all_file_tokens"], {}, page_size, resume_from, options
        )
        return pager

    @strict_keywords
    def get_conversation_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> ConversationTokenUsageList:
        """Per-conversation token usage."""
        result: ConversationTokenUsageList = self._request(
            "get_conversation_tokens", {"limit": limit, "offset": offset}, options
        )
        return result

    @strict_keywords
    def get_all_conversation_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, object] | None = None,
        **options: Unpack[RequestOptions],
    ) -> SyncPager[ConversationTokenUsage]:
        """Every item of every page of `get_conversation_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        pager: SyncPager[ConversationTokenUsage] = self._paginate(
            LISTINGS["get_all_conversation_tokens"], {}, page_size, resume_from, options
        )
        return pager


class SyncUsageResourceWithRawResponse:
    """`SyncScopix.usage.with_raw_response`: each method returns a RawResponse."""

    def __init__(self, resource: SyncUsageResource) -> None:
        self.check = as_raw_sync(resource.check)
        self.get_breakdown = as_raw_sync(resource.get_breakdown)
        self.get_summary = as_raw_sync(resource.get_summary)
        self.get_details = as_raw_sync(resource.get_details)
        self.get_by_period = as_raw_sync(resource.get_by_period)
        self.get_top_endpoints = as_raw_sync(resource.get_top_endpoints)
        self.get_dashboard_analytics = as_raw_sync(resource.get_dashboard_analytics)
        self.get_plan = as_raw_sync(resource.get_plan)
        self.get_monthly_tokens = as_raw_sync(resource.get_monthly_tokens)
        self.get_file_tokens = as_raw_sync(resource.get_file_tokens)
        self.get_conversation_tokens = as_raw_sync(resource.get_conversation_tokens)
