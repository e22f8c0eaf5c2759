from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.summary_period import SummaryPeriod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.plan_info import PlanInfo
    from ..models.usage_limits import UsageLimits


T = TypeVar("T", bound="UsageSummary")


@_attrs_define
class UsageSummary:
    """Usage over a period.

    Attributes:
        period (str | SummaryPeriod): Period length the summary was asked for.
        start_date (datetime.datetime): Start of the summarised range (inclusive).
        end_date (datetime.datetime): End of the summarised range (exclusive).
        total_credits (int): Credits used in the range.
        total_requests (int): Requests made in the range.
        successful_requests (int): Requests in the range that succeeded (status below 400).
        failed_requests (int): Requests in the range that failed (status 400 or above).
        total_tokens (int | Unset): Tokens used in the range.
        api_key_id (None | str | Unset): The API key the summary is restricted to, if any.
        limits (None | Unset | UsageLimits): The plan's limits and what is left of them; absent for accounts without
            limits.
        plan (None | PlanInfo | Unset): The plan, when known.
    """

    period: str | SummaryPeriod
    start_date: datetime.datetime
    end_date: datetime.datetime
    total_credits: int
    total_requests: int
    successful_requests: int
    failed_requests: int
    total_tokens: int | Unset = UNSET
    api_key_id: None | str | Unset = UNSET
    limits: None | Unset | UsageLimits = UNSET
    plan: None | PlanInfo | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan_info import PlanInfo
        from ..models.usage_limits import UsageLimits

        period: str
        if isinstance(self.period, SummaryPeriod):
            period = self.period.value
        else:
            period = self.period

        start_date = self.start_date.isoformat()

        end_date = self.end_date.isoformat()

        total_credits = self.total_credits

        total_requests = self.total_requests

        successful_requests = self.successful_requests

        failed_requests = self.failed_requests

        total_tokens = self.total_tokens

        api_key_id: None | str | Unset
        if isinstance(self.api_key_id, Unset):
            api_key_id = UNSET
        else:
            api_key_id = self.api_key_id

        limits: dict[str, Any] | None | Unset
        if isinstance(self.limits, Unset):
            limits = UNSET
        elif isinstance(self.limits, UsageLimits):
            limits = self.limits.to_dict()
        else:
            limits = self.limits

        plan: dict[str, Any] | None | Unset
        if isinstance(self.plan, Unset):
            plan = UNSET
        elif isinstance(self.plan, PlanInfo):
            plan = self.plan.to_dict()
        else:
            plan = self.plan

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "start_date": start_date,
                "end_date": end_date,
                "total_credits": total_credits,
                "total_requests": total_requests,
                "successful_requests": successful_requests,
                "failed_requests": failed_requests,
            }
        )
        if total_tokens is not UNSET:
            field_dict["total_tokens"] = total_tokens
        if api_key_id is not UNSET:
            field_dict["api_key_id"] = api_key_id
        if limits is not UNSET:
            field_dict["limits"] = limits
        if plan is not UNSET:
            field_dict["plan"] = plan

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.plan_info import PlanInfo
        from ..models.usage_limits import UsageLimits

        d = dict(src_dict)

        def _parse_period(data: object) -> str | SummaryPeriod:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_0 = SummaryPeriod(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | SummaryPeriod, data)

        period = _parse_period(d.pop("period"))

        start_date = datetime.datetime.fromisoformat(d.pop("start_date"))

        end_date = datetime.datetime.fromisoformat(d.pop("end_date"))

        total_credits = d.pop("total_credits")

        total_requests = d.pop("total_requests")

        successful_requests = d.pop("successful_requests")

        failed_requests = d.pop("failed_requests")

        total_tokens = d.pop("total_tokens", UNSET)

        def _parse_api_key_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        api_key_id = _parse_api_key_id(d.pop("api_key_id", UNSET))

        def _parse_limits(data: object) -> None | Unset | UsageLimits:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                limits_type_0 = UsageLimits.from_dict(data)

                return limits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UsageLimits, data)

        limits = _parse_limits(d.pop("limits", UNSET))

        def _parse_plan(data: object) -> None | PlanInfo | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plan_type_0 = PlanInfo.from_dict(data)

                return plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanInfo | Unset, data)

        plan = _parse_plan(d.pop("plan", UNSET))

        usage_summary = cls(
            period=period,
            start_date=start_date,
            end_date=end_date,
            total_credits=total_credits,
            total_requests=total_requests,
            successful_requests=successful_requests,
            failed_requests=failed_requests,
            total_tokens=total_tokens,
            api_key_id=api_key_id,
            limits=limits,
            plan=plan,
        )

        usage_summary.additional_properties = d
        return usage_summary

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
