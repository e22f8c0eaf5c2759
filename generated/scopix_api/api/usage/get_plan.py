from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.plan_period import PlanPeriod
from ...models.plan_utilization import PlanUtilization
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: PlanPeriod | Unset = UNSET,
    include_projections: bool | Unset = True,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    params["include_projections"] = include_projections

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/plan",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | PlanUtilization | None:
    if response.status_code == 200:
        response_200 = PlanUtilization.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorResponse.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | PlanUtilization]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: PlanPeriod | Unset = UNSET,
    include_projections: bool | Unset = True,
) -> Response[ErrorResponse | PlanUtilization]:
    """Plan utilization

     Get plan utilization: the plan, the billing period, feature limits, usage projections and
    optimization recommendations.

    Args:
        period (PlanPeriod | Unset): Period a plan utilization is computed over.
        include_projections (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PlanUtilization]
    """

    kwargs = _get_kwargs(
        period=period,
        include_projections=include_projections,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period: PlanPeriod | Unset = UNSET,
    include_projections: bool | Unset = True,
) -> ErrorResponse | PlanUtilization | None:
    """Plan utilization

     Get plan utilization: the plan, the billing period, feature limits, usage projections and
    optimization recommendations.

    Args:
        period (PlanPeriod | Unset): Period a plan utilization is computed over.
        include_projections (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PlanUtilization
    """

    return sync_detailed(
        client=client,
        period=period,
        include_projections=include_projections,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: PlanPeriod | Unset = UNSET,
    include_projections: bool | Unset = True,
) -> Response[ErrorResponse | PlanUtilization]:
    """Plan utilization

     Get plan utilization: the plan, the billing period, feature limits, usage projections and
    optimization recommendations.

    Args:
        period (PlanPeriod | Unset): Period a plan utilization is computed over.
        include_projections (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | PlanUtilization]
    """

    kwargs = _get_kwargs(
        period=period,
        include_projections=include_projections,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period: PlanPeriod | Unset = UNSET,
    include_projections: bool | Unset = True,
) -> ErrorResponse | PlanUtilization | None:
    """Plan utilization

     Get plan utilization: the plan, the billing period, feature limits, usage projections and
    optimization recommendations.

    Args:
        period (PlanPeriod | Unset): Period a plan utilization is computed over.
        include_projections (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | PlanUtilization
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
            include_projections=include_projections,
        )
    ).parsed
