import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.period_type import PeriodType
from ...models.usage_by_period import UsageByPeriod
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    period_type: PeriodType | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_period_type: str | Unset = UNSET
    if not isinstance(period_type, Unset):
        json_period_type = period_type.value

    params["period_type"] = json_period_type

    json_start_date: str | Unset = UNSET
    if not isinstance(start_date, Unset):
        json_start_date = start_date.isoformat()
    params["start_date"] = json_start_date

    json_end_date: str | Unset = UNSET
    if not isinstance(end_date, Unset):
        json_end_date = end_date.isoformat()
    params["end_date"] = json_end_date

    params["api_key_id"] = api_key_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/by-period",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UsageByPeriod | None:
    if response.status_code == 200:
        response_200 = UsageByPeriod.from_dict(response.json())

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
) -> Response[ErrorResponse | UsageByPeriod]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    period_type: PeriodType | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageByPeriod]:
    """Usage time series grouped by period

     Get time series usage data (requests, credits and tokens) grouped by hour, day or month, for charts
    and visualizations. Points are in chronological order.

    Args:
        period_type (PeriodType | Unset): Width of one point of a time series.
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageByPeriod]
    """

    kwargs = _get_kwargs(
        period_type=period_type,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    period_type: PeriodType | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
) -> ErrorResponse | UsageByPeriod | None:
    """Usage time series grouped by period

     Get time series usage data (requests, credits and tokens) grouped by hour, day or month, for charts
    and visualizations. Points are in chronological order.

    Args:
        period_type (PeriodType | Unset): Width of one point of a time series.
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageByPeriod
    """

    return sync_detailed(
        client=client,
        period_type=period_type,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    period_type: PeriodType | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageByPeriod]:
    """Usage time series grouped by period

     Get time series usage data (requests, credits and tokens) grouped by hour, day or month, for charts
    and visualizations. Points are in chronological order.

    Args:
        period_type (PeriodType | Unset): Width of one point of a time series.
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageByPeriod]
    """

    kwargs = _get_kwargs(
        period_type=period_type,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    period_type: PeriodType | Unset = UNSET,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
) -> ErrorResponse | UsageByPeriod | None:
    """Usage time series grouped by period

     Get time series usage data (requests, credits and tokens) grouped by hour, day or month, for charts
    and visualizations. Points are in chronological order.

    Args:
        period_type (PeriodType | Unset): Width of one point of a time series.
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageByPeriod
    """

    return (
        await asyncio_detailed(
            client=client,
            period_type=period_type,
            start_date=start_date,
            end_date=end_date,
            api_key_id=api_key_id,
        )
    ).parsed
