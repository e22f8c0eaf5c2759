from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.analysis_level import AnalysisLevel
from ...models.error_response import ErrorResponse
from ...models.usage_check_result import UsageCheckResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    analysis_level: AnalysisLevel | Unset = UNSET,
    item_count: int | Unset = 1,
    content_category: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_analysis_level: str | Unset = UNSET
    if not isinstance(analysis_level, Unset):
        json_analysis_level = analysis_level.value

    params["analysis_level"] = json_analysis_level

    params["item_count"] = item_count

    params["content_category"] = content_category

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/usage/check",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | UsageCheckResult | None:
    if response.status_code == 200:
        response_200 = UsageCheckResult.from_dict(response.json())

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
) -> Response[ErrorResponse | UsageCheckResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    analysis_level: AnalysisLevel | Unset = UNSET,
    item_count: int | Unset = 1,
    content_category: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageCheckResult]:
    """Check whether an operation fits the remaining credits

     Check if an operation would exceed usage limits before attempting it. Costs nothing and changes
    nothing; allows 60 requests per minute per API key.

    Args:
        analysis_level (AnalysisLevel | Unset): Depth of analysis; deeper levels cost more credits
            per item.
        item_count (int | Unset):  Default: 1.
        content_category (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageCheckResult]
    """

    kwargs = _get_kwargs(
        analysis_level=analysis_level,
        item_count=item_count,
        content_category=content_category,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    analysis_level: AnalysisLevel | Unset = UNSET,
    item_count: int | Unset = 1,
    content_category: str | Unset = UNSET,
) -> ErrorResponse | UsageCheckResult | None:
    """Check whether an operation fits the remaining credits

     Check if an operation would exceed usage limits before attempting it. Costs nothing and changes
    nothing; allows 60 requests per minute per API key.

    Args:
        analysis_level (AnalysisLevel | Unset): Depth of analysis; deeper levels cost more credits
            per item.
        item_count (int | Unset):  Default: 1.
        content_category (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageCheckResult
    """

    return sync_detailed(
        client=client,
        analysis_level=analysis_level,
        item_count=item_count,
        content_category=content_category,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    analysis_level: AnalysisLevel | Unset = UNSET,
    item_count: int | Unset = 1,
    content_category: str | Unset = UNSET,
) -> Response[ErrorResponse | UsageCheckResult]:
    """Check whether an operation fits the remaining credits

     Check if an operation would exceed usage limits before attempting it. Costs nothing and changes
    nothing; allows 60 requests per minute per API key.

    Args:
        analysis_level (AnalysisLevel | Unset): Depth of analysis; deeper levels cost more credits
            per item.
        item_count (int | Unset):  Default: 1.
        content_category (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | UsageCheckResult]
    """

    kwargs = _get_kwargs(
        analysis_level=analysis_level,
        item_count=item_count,
        content_category=content_category,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    analysis_level: AnalysisLevel | Unset = UNSET,
    item_count: int | Unset = 1,
    content_category: str | Unset = UNSET,
) -> ErrorResponse | UsageCheckResult | None:
    """Check whether an operation fits the remaining credits

     Check if an operation would exceed usage limits before attempting it. Costs nothing and changes
    nothing; allows 60 requests per minute per API key.

    Args:
        analysis_level (AnalysisLevel | Unset): Depth of analysis; deeper levels cost more credits
            per item.
        item_count (int | Unset):  Default: 1.
        content_category (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | UsageCheckResult
    """

    return (
        await asyncio_detailed(
            client=client,
            analysis_level=analysis_level,
            item_count=item_count,
            content_category=content_category,
        )
    ).parsed
