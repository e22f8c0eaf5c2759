from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dashboard_period import DashboardPeriod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.daily_activity import DailyActivity
    from ..models.performance_metrics import PerformanceMetrics
    from ..models.token_usage_stats import TokenUsageStats


T = TypeVar("T", bound="DashboardAnalytics")


@_attrs_define
class DashboardAnalytics:
    """Dashboard figures for a period.

    Attributes:
        period (DashboardPeriod | str): The period.
        total_files_uploaded (int): Files uploaded in the period.
        total_chat_sessions (int): Chat sessions active in the period.
        daily_activity (list[DailyActivity]): One entry per day of the period, oldest first.
        total_chat_messages (int | None): Chat messages sent in the period.
        total_requests (int | None): API requests made in the period.
        token_usage (TokenUsageStats | None): Token usage in the period.
        performance (PerformanceMetrics | None): Latency and error rate in the period.
    """

    period: DashboardPeriod | str
    total_files_uploaded: int
    total_chat_sessions: int
    daily_activity: list[DailyActivity]
    total_chat_messages: int | None = None
    total_requests: int | None = None
    token_usage: TokenUsageStats | None = None
    performance: PerformanceMetrics | None = None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The optional fields the response set to null (otherwise None means absent): to_dict() keeps
    # them.
    _null_fields: frozenset[str] = _attrs_field(
        init=False, factory=frozenset, repr=False, eq=False
    )

    def to_json(self) -> str:
        """The JSON text of `to_dict()`."""
        return _json.dumps(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        from ..models.performance_metrics import PerformanceMetrics
        from ..models.token_usage_stats import TokenUsageStats

        period: str
        if isinstance(self.period, DashboardPeriod):
            period = self.period.value
        else:
            period = self.period

        total_files_uploaded = self.total_files_uploaded

        total_chat_sessions = self.total_chat_sessions

        daily_activity = []
        for daily_activity_item_data in self.daily_activity:
            daily_activity_item = daily_activity_item_data.to_dict()
            daily_activity.append(daily_activity_item)

        _total_chat_messages: int | Unset = (
            UNSET if self.total_chat_messages is None else self.total_chat_messages
        )
        total_chat_messages = _total_chat_messages

        _total_requests: int | Unset = (
            UNSET if self.total_requests is None else self.total_requests
        )
        total_requests = _total_requests

        _token_usage: None | TokenUsageStats | Unset = self.token_usage
        if _token_usage is None and "token_usage" not in self._null_fields:
            _token_usage = UNSET
        token_usage: dict[str, Any] | None | Unset
        if isinstance(_token_usage, Unset):
            token_usage = UNSET
        elif isinstance(_token_usage, TokenUsageStats):
            token_usage = _token_usage.to_dict()
        else:
            token_usage = _token_usage

        _performance: None | PerformanceMetrics | Unset = self.performance
        if _performance is None and "performance" not in self._null_fields:
            _performance = UNSET
        performance: dict[str, Any] | None | Unset
        if isinstance(_performance, Unset):
            performance = UNSET
        elif isinstance(_performance, PerformanceMetrics):
            performance = _performance.to_dict()
        else:
            performance = _performance

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "total_files_uploaded": total_files_uploaded,
                "total_chat_sessions": total_chat_sessions,
                "daily_activity": daily_activity,
            }
        )
        if total_chat_messages is not UNSET:
            field_dict["total_chat_messages"] = total_chat_messages
        if total_requests is not UNSET:
            field_dict["total_requests"] = total_requests
        if token_usage is not UNSET:
            field_dict["token_usage"] = token_usage
        if performance is not UNSET:
            field_dict["performance"] = performance

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.daily_activity import DailyActivity
        from ..models.performance_metrics import PerformanceMetrics
        from ..models.token_usage_stats import TokenUsageStats

        d = dict(src_dict)

        def _parse_period(data: object) -> DashboardPeriod | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_0 = DashboardPeriod(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DashboardPeriod | str, data)

        period = _parse_period(d.pop("period"))

        total_files_uploaded = d.pop("total_files_uploaded")

        total_chat_sessions = d.pop("total_chat_sessions")

        daily_activity = []
        _daily_activity = d.pop("daily_activity")
        for daily_activity_item_data in _daily_activity:
            daily_activity_item = DailyActivity.from_dict(daily_activity_item_data)

            daily_activity.append(daily_activity_item)

        total_chat_messages = d.pop("total_chat_messages", UNSET)

        total_requests = d.pop("total_requests", UNSET)

        def _parse_token_usage(data: object) -> None | TokenUsageStats | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                token_usage_type_0 = TokenUsageStats.from_dict(data)

                return token_usage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenUsageStats | Unset, data)

        token_usage = _parse_token_usage(d.pop("token_usage", UNSET))

        def _parse_performance(data: object) -> None | PerformanceMetrics | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                performance_type_0 = PerformanceMetrics.from_dict(data)

                return performance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PerformanceMetrics | Unset, data)

        performance = _parse_performance(d.pop("performance", UNSET))

        dashboard_analytics = cls(
            period=period,
            total_files_uploaded=total_files_uploaded,
            total_chat_sessions=total_chat_sessions,
            daily_activity=daily_activity,
            total_chat_messages=None
            if isinstance(total_chat_messages, Unset)
            else total_chat_messages,
            total_requests=None
            if isinstance(total_requests, Unset)
            else total_requests,
            token_usage=None if isinstance(token_usage, Unset) else token_usage,
            performance=None if isinstance(performance, Unset) else performance,
        )
        dashboard_analytics._null_fields = frozenset(
            k
            for k in (
                "token_usage",
                "performance",
            )
            if k in src_dict and src_dict[k] is None
        )

        dashboard_analytics.additional_properties = d
        return dashboard_analytics

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
