from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Unpack

from .._base import RequestOptions, as_raw_async, call_options, check_page_size, prepare
from .._pagination import OffsetPages
from .pager import AsyncPager

if TYPE_CHECKING:
    from ..types import (
        ConversationTokenUsage,
        ConversationTokenUsageList,
        DashboardAnalytics,
        FileTokenUsage,
        FileTokenUsageList,
        MonthlyTokenUsage,
        PlanUtilization,
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

    Rate limited per API key: 30 requests per minute, `check()` 60 per minute.
    """

    def __init__(self, client: Scopix, *, raw: bool = False) -> None:
        self._client = client
        self._raw = raw

    @property
    def with_raw_response(self) -> UsageResourceWithRawResponse:
        """The same methods, returning the HTTP response (headers, rate limit) with `parse()`."""
        return UsageResourceWithRawResponse(UsageResource(self._client, raw=True))

    async def _call(self, operation_id: str, args: dict[str, Any], options: RequestOptions) -> Any:
        return await self._client._call(
            operation_id, args, raw=self._raw, options=call_options(options)
        )

    async def check(
        self,
        *,
        analysis_level: str = "standard",
        item_count: int = 1,
        content_category: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageCheckResult:
        """Check if an operation would exceed usage limits before attempting it."""
        args = {
            "analysis_level": analysis_level,
            "item_count": item_count,
            "content_category": content_category,
        }
        result: UsageCheckResult = await self._call("check", args, options)
        return result

    async def get_breakdown(self, **options: Unpack[RequestOptions]) -> UsageBreakdown:
        """Credit usage breakdown for the current billing period."""
        result: UsageBreakdown = await self._call("get_breakdown", {}, options)
        return result

    async def get_summary(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        period: str = "month",
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageSummary:
        """Usage summary for a billing period: credits, request counts, limits and plan info."""
        args = {
            "start_date": start_date,
            "end_date": end_date,
            "period": period,
            "api_key_id": api_key_id,
        }
        result: UsageSummary = await self._call("get_summary", args, options)
        return result

    async def get_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        **options: Unpack[RequestOptions],
    ) -> UsageDetails:
        """One page of usage events, newest first, with filtering."""
        args = {
            "start_date": start_date,
            "end_date": end_date,
            "api_key_id": api_key_id,
            "operation_type": operation_type,
            "limit": limit,
            "offset": offset,
        }
        result: UsageDetails = await self._call("get_details", args, options)
        return result

    def get_all_details(
        self,
        *,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        operation_type: str | None = None,
        page_size: int = 50,
        **options: Unpack[RequestOptions],
    ) -> AsyncPager[UsageEvent]:
        """Every usage event of every page, in order (the filters apply to every page).

        Without `end_date` the listing is a snapshot up to the moment of this call: events
        recorded while it runs would otherwise shift the newest-first pages under it.
        """
        check_page_size("get_all_details", "get_details", page_size)
        filters: dict[str, Any] = {
            "start_date": start_date,
            "end_date": end_date if end_date is not None else _snapshot_end(start_date),
            "api_key_id": api_key_id,
            "operation_type": operation_type,
        }
        prepare(
            self._client._config,
            "get_details",
            {**filters, "limit": page_size},
            **call_options(options),
        )

        async def page(limit: int, offset: int) -> UsageDetails:
            return await self.get_details(**filters, limit=limit, offset=offset, **options)

        return AsyncPager(page, OffsetPages(page_size, lambda p: p.events))

    async def get_by_period(
        self,
        *,
        period_type: str = "day",
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        api_key_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> UsageByPeriod:
        """Usage time series grouped by hour, day or month."""
        args = {
            "period_type": period_type,
            "start_date": start_date,
            "end_date": end_date,
            "api_key_id": api_key_id,
        }
        result: UsageByPeriod = await self._call("get_by_period", args, options)
        return result

    async def get_top_endpoints(
        self,
        *,
        limit: int = 10,
        start_date: dt.datetime | None = None,
        end_date: dt.datetime | None = None,
        **options: Unpack[RequestOptions],
    ) -> TopEndpoints:
        """The most used endpoints ranked by request count."""
        args = {"limit": limit, "start_date": start_date, "end_date": end_date}
        result: TopEndpoints = await self._call("get_top_endpoints", args, options)
        return result

    async def get_dashboard_analytics(
        self, *, period: str = "month", **options: Unpack[RequestOptions]
    ) -> DashboardAnalytics:
        """Daily activity, token usage and performance metrics for a period."""
        result: DashboardAnalytics = await self._call(
            "get_dashboard_analytics", {"period": period}, options
        )
        return result

    async def get_plan(
        self,
        *,
        period: str = "month",
        include_projections: bool = True,
        **options: Unpack[RequestOptions],
    ) -> PlanUtilization:
        """Plan utilization: billing period, feature limits, projections, recommendations."""
        args = {"period": period, "include_projections": include_projections}
        result: PlanUtilization = await self._call("get_plan", args, options)
        return result

    async def get_monthly_tokens(
        self,
        *,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
        **options: Unpack[RequestOptions],
    ) -> MonthlyTokenUsage:
        """Token usage over a range of dates (default: the current billing period)."""
        args = {"start_date": start_date, "end_date": end_date}
        result: MonthlyTokenUsage = await self._call("get_monthly_tokens", args, options)
        return result

    async def get_file_tokens(
        self, *, limit: int = 50, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> FileTokenUsageList:
        """Per-file token usage, one page."""
        args = {"limit": limit, "offset": offset}
        result: FileTokenUsageList = await self._call("get_file_tokens", args, options)
        return result

    def get_all_file_tokens(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncPager[FileTokenUsage]:
        """Every file of every page."""
        check_page_size("get_all_file_tokens", "get_file_tokens", page_size)

        async def page(limit: int, offset: int) -> FileTokenUsageList:
            return await self.get_file_tokens(limit=limit, offset=offset, **options)

        return AsyncPager(page, OffsetPages(page_size, lambda p: p.files))

    async def get_conversation_tokens(
        self, *, limit: int = 50, offset: int = 0, **options: Unpack[RequestOptions]
    ) -> ConversationTokenUsageList:
        """Per-conversation token usage, one page."""
        args = {"limit": limit, "offset": offset}
        result: ConversationTokenUsageList = await self._call(
            "get_conversation_tokens", args, options
        )
        return result

    def get_all_conversation_tokens(
        self, *, page_size: int = 50, **options: Unpack[RequestOptions]
    ) -> AsyncPager[ConversationTokenUsage]:
        """Every conversation of every page."""
        check_page_size("get_all_conversation_tokens", "get_conversation_tokens", page_size)

        async def page(limit: int, offset: int) -> ConversationTokenUsageList:
            return await self.get_conversation_tokens(limit=limit, offset=offset, **options)

        return AsyncPager(page, OffsetPages(page_size, lambda p: p.conversations))


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
