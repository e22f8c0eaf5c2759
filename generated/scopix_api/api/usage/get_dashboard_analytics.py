from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dashboard_analytics import DashboardAnalytics
from ...models.dashboard_period import DashboardPeriod
from ...models.error_response import ErrorResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period: DashboardPeriod | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period: str | Unset = UNSET
    if not isinstance(period, Unset):
        json_period = period.value

    params["period"] = json_period

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/dashboard",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DashboardAnalytics | ErrorResponse | None:
    if response.status_code == 200:
        response_200 = DashboardAnalytics.from_dict(response.json())

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
) -> Response[DashboardAnalytics | ErrorResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: DashboardPeriod | Unset = UNSET,
) -> Response[DashboardAnalytics | ErrorResponse]:
    """Dashboard analytics

     Get dashboard analytics for a period: files uploaded, chat sessions, daily activity, token usage and
    performance metrics (latency, error rate).

    Args:
        period (DashboardPeriod | Unset): Length of a dashboard period.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DashboardAnalytics | ErrorResponse]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period: DashboardPeriod | Unset = UNSET,
) -> DashboardAnalytics | ErrorResponse | None:
    """Dashboard analytics

     Get dashboard analytics for a period: files uploaded, chat sessions, daily activity, token usage and
    performance metrics (latency, error rate).

    Args:
        period (DashboardPeriod | Unset): Length of a dashboard period.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DashboardAnalytics | ErrorResponse
    """

    return sync_detailed(
        client=client,
        period=period,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period: DashboardPeriod | Unset = UNSET,
) -> Response[DashboardAnalytics | ErrorResponse]:
    """Dashboard analytics

     Get dashboard analytics for a period: files uploaded, chat sessions, daily activity, token usage and
    performance metrics (latency, error rate).

    Args:
        period (DashboardPeriod | Unset): Length of a dashboard period.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DashboardAnalytics | ErrorResponse]
    """

    kwargs = _get_kwargs(
        period=period,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period: DashboardPeriod | Unset = UNSET,
) -> DashboardAnalytics | ErrorResponse | None:
    """Dashboard analytics

     Get dashboard analytics for a period: files uploaded, chat sessions, daily activity, token usage and
    performance metrics (latency, error rate).

    Args:
        period (DashboardPeriod | Unset): Length of a dashboard period.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DashboardAnalytics | ErrorResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            period=period,
        )
    ).parsed
