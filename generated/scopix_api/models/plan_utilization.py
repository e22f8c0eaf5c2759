from __future__ import annotations

import json as _json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.plan_period import PlanPeriod
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.billing_period import BillingPeriod
    from ..models.feature_limit import FeatureLimit
    from ..models.optimization_recommendation import OptimizationRecommendation
    from ..models.plan_details import PlanDetails
    from ..models.usage_projections import UsageProjections


T = TypeVar("T", bound="PlanUtilization")


@_attrs_define
class PlanUtilization:
    """Plan utilization over a period.

    Attributes:
        period (PlanPeriod | str): Period the utilization is computed over.
        billing_period (BillingPeriod): A billing period; `end` is exclusive and is when the credits reset.
        feature_limits (list[FeatureLimit]): Limits per feature.
        recommendations (list[OptimizationRecommendation]): Optimization recommendations, most important first.
        plan_details (PlanDetails | None): The plan and its use; absent when the account has no plan.
        projections (UsageProjections | None): Projections to the end of the period; null when not asked for.
    """

    period: PlanPeriod | str
    billing_period: BillingPeriod
    feature_limits: list[FeatureLimit]
    recommendations: list[OptimizationRecommendation]
    plan_details: PlanDetails | None = None
    projections: UsageProjections | None = None
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
        from ..models.plan_details import PlanDetails
        from ..models.usage_projections import UsageProjections

        period: str
        if isinstance(self.period, PlanPeriod):
            period = self.period.value
        else:
            period = self.period

        billing_period = self.billing_period.to_dict()

        feature_limits = []
        for feature_limits_item_data in self.feature_limits:
            feature_limits_item = feature_limits_item_data.to_dict()
            feature_limits.append(feature_limits_item)

        recommendations = []
        for recommendations_item_data in self.recommendations:
            recommendations_item = recommendations_item_data.to_dict()
            recommendations.append(recommendations_item)

        _plan_details: None | PlanDetails | Unset = self.plan_details
        if _plan_details is None and "plan_details" not in self._null_fields:
            _plan_details = UNSET
        plan_details: dict[str, Any] | None | Unset
        if isinstance(_plan_details, Unset):
            plan_details = UNSET
        elif isinstance(_plan_details, PlanDetails):
            plan_details = _plan_details.to_dict()
        else:
            plan_details = _plan_details

        _projections: None | Unset | UsageProjections = self.projections
        if _projections is None and "projections" not in self._null_fields:
            _projections = UNSET
        projections: dict[str, Any] | None | Unset
        if isinstance(_projections, Unset):
            projections = UNSET
        elif isinstance(_projections, UsageProjections):
            projections = _projections.to_dict()
        else:
            projections = _projections

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "period": period,
                "billing_period": billing_period,
                "feature_limits": feature_limits,
                "recommendations": recommendations,
            }
        )
        if plan_details is not UNSET:
            field_dict["plan_details"] = plan_details
        if projections is not UNSET:
            field_dict["projections"] = projections

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.billing_period import BillingPeriod
        from ..models.feature_limit import FeatureLimit
        from ..models.optimization_recommendation import OptimizationRecommendation
        from ..models.plan_details import PlanDetails
        from ..models.usage_projections import UsageProjections

        d = dict(src_dict)

        def _parse_period(data: object) -> PlanPeriod | str:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                period_type_0 = PlanPeriod(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(PlanPeriod | str, data)

        period = _parse_period(d.pop("period"))

        billing_period = BillingPeriod.from_dict(d.pop("billing_period"))

        feature_limits = []
        _feature_limits = d.pop("feature_limits")
        for feature_limits_item_data in _feature_limits:
            feature_limits_item = FeatureLimit.from_dict(feature_limits_item_data)

            feature_limits.append(feature_limits_item)

        recommendations = []
        _recommendations = d.pop("recommendations")
        for recommendations_item_data in _recommendations:
            recommendations_item = OptimizationRecommendation.from_dict(
                recommendations_item_data
            )

            recommendations.append(recommendations_item)

        def _parse_plan_details(data: object) -> None | PlanDetails | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plan_details_type_0 = PlanDetails.from_dict(data)

                return plan_details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlanDetails | Unset, data)

        plan_details = _parse_plan_details(d.pop("plan_details", UNSET))

        def _parse_projections(data: object) -> None | Unset | UsageProjections:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projections_type_0 = UsageProjections.from_dict(data)

                return projections_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UsageProjections, data)

        projections = _parse_projections(d.pop("projections", UNSET))

        plan_utilization = cls(
            period=period,
            billing_period=billing_period,
            feature_limits=feature_limits,
            recommendations=recommendations,
            plan_details=None if isinstance(plan_details, Unset) else plan_details,
            projections=None if isinstance(projections, Unset) else projections,
        )
        plan_utilization._null_fields = frozenset(
            k
            for k in (
                "plan_details",
                "projections",
            )
            if k in src_dict and src_dict[k] is None
        )

        plan_utilization.additional_properties = d
        return plan_utilization

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
