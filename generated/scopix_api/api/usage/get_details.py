import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.operation_type import OperationType
from ...models.usage_details import UsageDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
    operation_type: OperationType | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_start_date: str | Unset = UNSET
    if not isinstance(start_date, Unset):
        json_start_date = start_date.isoformat()
    params["start_date"] = json_start_date

    json_end_date: str | Unset = UNSET
    if not isinstance(end_date, Unset):
        json_end_date = end_date.isoformat()
    params["end_date"] = json_end_date

    params["api_key_id"] = api_key_id

    json_operation_type: str | Unset = UNSET
    if not isinstance(operation_type, Unset):
        json_operation_type = operation_type.value

    params["operation_type"] = json_operation_type

    params["limit"] = limit

    params["offset"] = offset

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/details",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UsageDetails | None:
    if response.status_code == 200:
        response_200 = UsageDetails.from_dict(response.json())

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
) -> Response[ErrorResponse | UsageDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
    operation_type: OperationType | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorResponse | UsageDetails]:
    """Paginated usage events

     Get paginated usage event details, newest first, with filtering by date range, API key and operation
    type. Page with `limit` and `offset`; `has_more` tells whether another page exists.

    Args:
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):
        operation_type (OperationType | Unset): Kind of operation a usage event records. New kinds
            may appear; clients keep unknown values as strings.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageDetails]
    """

    kwargs = _get_kwargs(
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=operation_type,
        limit=limit,
        offset=offset,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
    operation_type: OperationType | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorResponse | UsageDetails | None:
    """Paginated usage events

     Get paginated usage event details, newest first, with filtering by date range, API key and operation
    type. Page with `limit` and `offset`; `has_more` tells whether another page exists.

    Args:
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):
        operation_type (OperationType | Unset): Kind of operation a usage event records. New kinds
            may appear; clients keep unknown values as strings.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageDetails
    """

    return sync_detailed(
        client=client,
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=operation_type,
        limit=limit,
        offset=offset,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
    operation_type: OperationType | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> Response[ErrorResponse | UsageDetails]:
    """Paginated usage events

     Get paginated usage event details, newest first, with filtering by date range, API key and operation
    type. Page with `limit` and `offset`; `has_more` tells whether another page exists.

    Args:
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):
        operation_type (OperationType | Unset): Kind of operation a usage event records. New kinds
            may appear; clients keep unknown values as strings.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageDetails]
    """

    kwargs = _get_kwargs(
        start_date=start_date,
        end_date=end_date,
        api_key_id=api_key_id,
        operation_type=operation_type,
        limit=limit,
        offset=offset,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    start_date: datetime.datetime | Unset = UNSET,
    end_date: datetime.datetime | Unset = UNSET,
    api_key_id: str | Unset = UNSET,
    operation_type: OperationType | Unset = UNSET,
    limit: int | Unset = 50,
    offset: int | Unset = 0,
) -> ErrorResponse | UsageDetails | None:
    """Paginated usage events

     Get paginated usage event details, newest first, with filtering by date range, API key and operation
    type. Page with `limit` and `offset`; `has_more` tells whether another page exists.

    Args:
        start_date (datetime.datetime | Unset):
        end_date (datetime.datetime | Unset):
        api_key_id (str | Unset):
        operation_type (OperationType | Unset): Kind of operation a usage event records. New kinds
            may appear; clients keep unknown values as strings.
        limit (int | Unset):  Default: 50.
        offset (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            start_date=start_date,
            end_date=end_date,
            api_key_id=api_key_id,
            operation_type=operation_type,
            limit=limit,
            offset=offset,
        )
    ).parsed
