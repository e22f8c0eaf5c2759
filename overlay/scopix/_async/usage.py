# Generated from openapi.yaml by scripts/gen_resources.py; edit that, then make generate.

"""`client.usage`: usage monitoring, analytics and plan utilization."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._base import (
    NOT_GIVEN,
    NotGiven,
    QueryValue,
    RawResponse,
    Timeout,
    as_raw_async,
    check_page_size,
    prepare,
    strict_keywords,
)
from .._literals import (
    AnalysisLevelValue,
    DashboardPeriodValue,
    OperationTypeValue,
    PeriodTypeValue,
    PlanPeriodValue,
    SummaryPeriodValue,
)
from .._pagination import Walk, resume
from .pager import AsyncPager

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
    from .client import Scopix


def _snapshot_end(start_date: dt.datetime | None) -> dt.datetime:
    now = dt.datetime.now(dt.UTC)
    if isinstance(start_date, dt.datetime) and start_date.utcoffset() is not None:
        return max(now, start_date)
    return now  # a bad start_date is reported by the argument checks


class UsageResource:
    """`client.usage`: usage monitoring, analytics and plan utilization.

    Every method takes keyword arguments only, with the spec's defaults, and the
    per-call options `timeout`, `max_retries`, `extra_headers` and `extra_query`. Rate
    limited per API key: 30 or 60 requests per minute (the spec's `x-rate-limit`).
    """

    def __init__(self, client: Scopix, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    @property
    def with_raw_response(self) -> UsageResourceWithRawResponse:
        """The same methods, returning the HTTP response (headers, rate limit) with `parse()`."""
        return UsageResourceWithRawResponse(UsageResource(self._client, raw=True))

    async def _call(self, operation_id: str, args: dict[str, Any], options: dict[str, Any]) -> Any:
        return await self._client._call(operation_id, args, raw=self._raw, options=options)

    @strict_keywords
    async def check(
        self,
        *,
        analysis_level: AnalysisLevelValue | AnalysisLevel = "standard",
        item_count: int = 1,
        content_category: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> UsageCheckResult:
        """Check whether an operation fits the remaining credits."""
        result: UsageCheckResult = await self._call(
            "check",
            {
                "analysis_level": analysis_level,
                "item_count": item_count,
                "content_category": content_category,
            },
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_breakdown(
        self,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> UsageBreakdown:
        """Credit usage breakdown for the current billing period."""
        result: UsageBreakdown = await self._call(
            "get_breakdown",
            {},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_summary(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        period: SummaryPeriodValue | SummaryPeriod = "month",
        api_key_id: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> UsageSummary:
        """Usage summary for a billing period."""
        result: UsageSummary = await self._call(
            "get_summary",
            {
                "start_date": start_date,
                "end_date": end_date,
                "period": period,
                "api_key_id": api_key_id,
            },
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
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
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> UsageDetails:
        """Paginated usage events."""
        result: UsageDetails = await self._call(
            "get_details",
            {
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
                "operation_type": operation_type,
                "limit": limit,
                "offset": offset,
            },
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
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
        resume_from: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPager[UsageEvent]:
        """Every item of every page of `get_details()`, in order (the filters apply to every
        page).

        `resume_from=` a pager's `position` continues its walk (with its filters). Without
        `end_date` the listing is a snapshot up to the moment of this call (kept by every
        walk and position): items recorded meanwhile would otherwise shift the pages.
        """
        check_page_size("get_all_details", "get_details", page_size)
        filters: dict[str, Any] = {
            "start_date": start_date,
            "end_date": end_date,
            "api_key_id": api_key_id,
            "operation_type": operation_type,
        }
        options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "extra_headers": extra_headers,
            "extra_query": extra_query,
        }
        check = functools.partial(prepare, self._client._config, "get_details")
        check({**filters, "limit": page_size}, **options)
        if resume_from is None:
            walk = Walk("get_details", filters)
        else:  # a position's filters are checked too
            walk = resume("get_details", filters, resume_from)
            check({**walk.filters, "limit": page_size}, **options)
        if walk.filters["end_date"] is None:
            walk.filters["end_date"] = _snapshot_end(walk.filters["start_date"])
        raw = self.with_raw_response

        async def page(limit: int, offset: int) -> RawResponse[UsageDetails]:
            return await raw.get_details(**walk.filters, limit=limit, offset=offset, **options)

        return AsyncPager(page, page_size, lambda p: p.events, walk)

    @strict_keywords
    async def get_by_period(
        self,
        *,
        period_type: PeriodTypeValue | PeriodType = "day",
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> UsageByPeriod:
        """Usage time series grouped by period."""
        result: UsageByPeriod = await self._call(
            "get_by_period",
            {
                "period_type": period_type,
                "start_date": start_date,
                "end_date": end_date,
                "api_key_id": api_key_id,
            },
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_top_endpoints(
        self,
        *,
        limit: int = 10,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> TopEndpoints:
        """Most used endpoints."""
        result: TopEndpoints = await self._call(
            "get_top_endpoints",
            {"limit": limit, "start_date": start_date, "end_date": end_date},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_dashboard_analytics(
        self,
        *,
        period: DashboardPeriodValue | DashboardPeriod = "month",
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> DashboardAnalytics:
        """Dashboard analytics."""
        result: DashboardAnalytics = await self._call(
            "get_dashboard_analytics",
            {"period": period},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_plan(
        self,
        *,
        period: PlanPeriodValue | PlanPeriod = "month",
        include_projections: bool = True,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> PlanUtilization:
        """Plan utilization."""
        result: PlanUtilization = await self._call(
            "get_plan",
            {"period": period, "include_projections": include_projections},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_monthly_tokens(
        self,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> MonthlyTokenUsage:
        """Aggregated token usage over a date range."""
        result: MonthlyTokenUsage = await self._call(
            "get_monthly_tokens",
            {"start_date": start_date, "end_date": end_date},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    async def get_file_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> FileTokenUsageList:
        """Per-file token usage."""
        result: FileTokenUsageList = await self._call(
            "get_file_tokens",
            {"limit": limit, "offset": offset},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    def get_all_file_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPager[FileTokenUsage]:
        """Every item of every page of `get_file_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        check_page_size("get_all_file_tokens", "get_file_tokens", page_size)
        filters: dict[str, Any] = {}
        options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "extra_headers": extra_headers,
            "extra_query": extra_query,
        }
        check = functools.partial(prepare, self._client._config, "get_file_tokens")
        check({**filters, "limit": page_size}, **options)
        if resume_from is None:
            walk = Walk("get_file_tokens", filters)
        else:  # a position's filters are checked too
            walk = resume("get_file_tokens", filters, resume_from)
            check({**walk.filters, "limit": page_size}, **options)
        raw = self.with_raw_response

        async def page(limit: int, offset: int) -> RawResponse[FileTokenUsageList]:
            return await raw.get_file_tokens(**walk.filters, limit=limit, offset=offset, **options)

        return AsyncPager(page, page_size, lambda p: p.files, walk)

    @strict_keywords
    async def get_conversation_tokens(
        self,
        *,
        limit: int = 50,
        offset: int = 0,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> ConversationTokenUsageList:
        """Per-conversation token usage."""
        result: ConversationTokenUsageList = await self._call(
            "get_conversation_tokens",
            {"limit": limit, "offset": offset},
            {
                "timeout": timeout,
                "max_retries": max_retries,
                "extra_headers": extra_headers,
                "extra_query": extra_query,
            },
        )
        return result

    @strict_keywords
    def get_all_conversation_tokens(
        self,
        *,
        page_size: int = 50,
        resume_from: Mapping[str, Any] | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, QueryValue] | None = None,
    ) -> AsyncPager[ConversationTokenUsage]:
        """Every item of every page of `get_conversation_tokens()`, in order.

        `resume_from=` a pager's `position` continues its walk (with its filters).
        """
        check_page_size("get_all_conversation_tokens", "get_conversation_tokens", page_size)
        filters: dict[str, Any] = {}
        options: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "extra_headers": extra_headers,
            "extra_query": extra_query,
        }
        check = functools.partial(prepare, self._client._config, "get_conversation_tokens")
        check({**filters, "limit": page_size}, **options)
        if resume_from is None:
            walk = Walk("get_conversation_tokens", filters)
        else:  # a position's filters are checked too
            walk = resume("get_conversation_tokens", filters, resume_from)
            check({**walk.filters, "limit": page_size}, **options)
        raw = self.with_raw_response

        async def page(limit: int, offset: int) -> RawResponse[ConversationTokenUsageList]:
            return await raw.get_conversation_tokens(
                **walk.filters, limit=limit, offset=offset, **options
            )

        return AsyncPager(page, page_size, lambda p: p.conversations, walk)


class UsageResourceWithRawResponse:
    """`client.usage.with_raw_response`: each method returns a RawResponse."""

    def __init__(self, usage: UsageResource) -> None:
        self.check = as_raw_async(usage.check)
        self.get_breakdown = as_raw_async(usage.get_breakdown)
        self.get_summary = as_raw_async(usage.get_summary)
        self.get_details = as_raw_async(usage.get_details)
        self.get_by_period = as_raw_async(usage.get_by_period)
        self.get_top_endpoints = as_raw_async(usage.get_top_endpoints)
        self.get_dashboard_analytics = as_raw_async(usage.get_dashboard_analytics)
        self.get_plan = as_raw_async(usage.get_plan)
        self.get_monthly_tokens = as_raw_async(usage.get_monthly_tokens)
        self.get_file_tokens = as_raw_async(usage.get_file_tokens)
        self.get_conversation_tokens = as_raw_async(usage.get_conversation_tokens)
