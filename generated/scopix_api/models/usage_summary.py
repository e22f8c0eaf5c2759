from __future__ import annotations

import datetime
import json as _json
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
        total_tokens (int | None): Tokens used in the range.
        api_key_id (str | None): The API key the summary is restricted to, if any.
        limits (UsageLimits | None): The plan's limits and what is left of them; absent for accounts without limits.
        plan (PlanInfo | None): The plan, when known.
    """

    period: str | SummaryPeriod
    start_date: datetime.datetime
    end_date: datetime.datetime
    total_credits: int
    total_requests: int
    successful_requests: int
    failed_requests: int
    total_tokens: int | None = None
    api_key_id: str | None = None
    limits: UsageLimits | None = None
    plan: PlanInfo | None = None
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

        _total_tokens: int | Unset = (
            UNSET if self.total_tokens is None else self.total_tokens
        )
        total_tokens = _total_tokens

        _api_key_id: None | str | Unset = self.api_key_id
        if _api_key_id is None and "api_key_id" not in self._null_fields:
            _api_key_id = UNSET
        api_key_id: None | str | Unset
        if isinstance(_api_key_id, Unset):
            api_key_id = UNSET
        else:
            api_key_id = _api_key_id

        _limits: None | Unset | UsageLimits = self.limits
        if _limits is None and "limits" not in self._null_fields:
            _limits = UNSET
        limits: dict[str, Any] | None | Unset
        if isinstance(_limits, Unset):
            limits = UNSET
        elif isinstance(_limits, UsageLimits):
            limits = _limits.to_dict()
        else:
            limits = _limits

        _plan: None | PlanInfo | Unset = self.plan
        if _plan is None and "plan" not in self._null_fields:
            _plan = UNSET
        plan: dict[str, Any] | None | Unset
        if isinstance(_plan, Unset):
            plan = UNSET
        elif isinstance(_plan, PlanInfo):
            plan = _plan.to_dict()
        else:
            plan = _plan

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
            total_tokens=None if isinstance(total_tokens, Unset) else total_tokens,
            api_key_id=None if isinstance(api_key_id, Unset) else api_key_id,
            limits=None if isinstance(limits, Unset) else limits,
            plan=None if isinstance(plan, Unset) else plan,
        )
        usage_summary._null_fields = frozenset(
            k
            for k in (
                "api_key_id",
                "limits",
                "plan",
            )
            if k in src_dict and src_dict[k] is None
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
