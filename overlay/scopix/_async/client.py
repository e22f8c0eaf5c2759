from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Any, Unpack

import httpx

from .. import _logs, _policy
from .._call import Call, finish, prepare
from .._config import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    ClientConfig,
    ConfigChanges,
    check_http_client,
)
from .._errors import InvalidParameterTypeError
from .._flavours import async_paced, async_shielded, async_sleep
from .._generated import AsyncAPI
from .._options import NOT_GIVEN, NotGiven, RequestOptions, Timeout
from .._policy import DEFAULT_MAX_RETRY_WAIT
from .._ratelimit import RateLimits, WaitTooLong
from ..observe import CallRecord, Observer, check_observers
from .credit_ledger import AsyncRedisLedger
from .limiter import AsyncLimiter

__all__ = ["Scopix"]


def _limiter(pacing: bool | RateLimits | AsyncLimiter) -> AsyncLimiter:
    if isinstance(pacing, AsyncLimiter):
        return pacing
    if isinstance(pacing, RateLimits):
        return AsyncLimiter(pacing)
    return AsyncLimiter(RateLimits.from_spec() if pacing else RateLimits.disabled())


def _credit_ledger(credits: object) -> AsyncRedisLedger | None:
    if credits is not None and not isinstance(credits, AsyncRedisLedger):
        wanted = AsyncRedisLedger.__name__
        raise InvalidParameterTypeError(
            "credits", f"credits must be a {wanted} (scopix.credits) or None, got {credits!r}"
        )
    return credits


class Scopix(AsyncAPI):
    """Client of the Scopix API. `client.usage` holds the usage endpoints.

    The API key comes from `api_key` or the SCOPIX_API_KEY environment variable; the base URL from
    `base_url`, SCOPIX_BASE_URL, or the production URL of the spec. Plain http is refused for
    hosts other than loopback unless `allow_insecure_http=True`; TLS is verified; redirects are
    not followed, so the key never goes to another origin. An `http_client` of your own (of
    this client's flavour) keeps its pool, proxies and TLS settings, but never its `auth` nor
    `follow_redirects`: the SDK sets both on every request.

    Requests are paced under the API's rate limits (the spec's `x-rate-limit`: 30 per minute, 60
    for `check`) so a bulk job runs as fast as allowed without 429s. `pacing=False` turns that
    off; `pacing=RateLimits(...)` sets other limits; a limiter object (e.g. a Redis one) shares
    the budget with other clients, processes or machines.

    `credits=AsyncRedisLedger(...)` (scopix.credits) shares the holds of
    `client.usage.reserve()` with other processes and machines; without it they are shared
    by this process's clients of the same account.

    `observers=[...]` hear of every finished call (`scopix.observe`: `Stats` counts requests,
    429s, retries and pacing waits; `scopix.otel.OTelObserver` makes spans and metrics), and
    those with `on_hold(event)` of every credit hold granted, refused, released or lost.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        default_headers: Mapping[str, str] | None = None,
        http_client: httpx.AsyncClient | None = None,
        pacing: bool | RateLimits | AsyncLimiter = True,
        allow_insecure_http: bool = False,
        max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT,
        observers: Iterable[Observer] | None = None,
        credits: AsyncRedisLedger | None = None,
    ) -> None:
        config = ClientConfig.create(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            default_headers=default_headers,
            allow_insecure_http=allow_insecure_http,
            max_retry_wait=max_retry_wait,
        )
        check_http_client(type(self).__name__, http_client, httpx.AsyncClient)
        watchers = check_observers(observers)
        _logs.configure_from_env()
        self._credits = _credit_ledger(credits)
        http = http_client or httpx.AsyncClient()
        self._setup(config, http, _limiter(pacing), watchers, owns_http=http_client is None)

    def _setup(
        self,
        config: ClientConfig,
        http: httpx.AsyncClient,
        limiter: AsyncLimiter,
        observers: tuple[Observer, ...],
        *,
        owns_http: bool,
    ) -> None:
        self._config = config
        self._observers = observers
        self._http = http
        self._limiter = limiter.for_key(config.api_key)
        self._owns_http = owns_http
        self._bind_resources(self)

    @property
    def base_url(self) -> str:
        return self._config.base_url

    @property
    def timeout(self) -> httpx.Timeout:
        return self._config.timeout

    @property
    def max_retries(self) -> int:
        return self._config.max_retries

    def with_options(
        self,
        *,
        pacing: bool | RateLimits | AsyncLimiter | NotGiven = NOT_GIVEN,
        credits: AsyncRedisLedger | NotGiven | None = NOT_GIVEN,
        **changes: Unpack[ConfigChanges],
    ) -> Scopix:
        """A copy with other settings (`api_key`, `base_url`, `timeout`, `max_retries`,
        `default_headers`, `pacing`, `credits`) that shares this client's connection pool, and
        its pacing while the API key and the pacing settings stay the same."""
        config = self._config.with_changes(changes)
        limiter = self._limiter if isinstance(pacing, NotGiven) else _limiter(pacing)
        clone = object.__new__(type(self))
        clone._credits = self._credits if isinstance(credits, NotGiven) else _credit_ledger(credits)
        clone._setup(config, self._http, limiter, self._observers, owns_http=False)
        return clone

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in, or this is a with_options copy)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Scopix:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    async def _send(self, call: Call[Any], seen: CallRecord) -> httpx.Response:
        """Send with retries; every decision is the policy core's. `seen` hears of each attempt."""
        attempt = 0
        bucket = call.op.rate_limit.bucket
        while True:
            request = self._http.build_request(**call.request_kwargs(self._config, attempt))
            max_wait = self._config.max_retry_wait
            operation = call.op.operation_id
            try:
                with _logs.sending(operation, request, attempt, call.max_retries):
                    slot = await async_paced(seen, self._limiter.acquire, bucket, max_wait)
            except WaitTooLong as exc:
                raise _policy.wait_error(request, exc.seconds, max_wait) from None
            if slot is not None:
                request.extensions["trace"] = self._limiter.tracer(slot)
            try:
                response = await self._http.send(
                    request, auth=self._config.auth, follow_redirects=False
                )
            except BaseException as exc:
                seen.attempt(exc)
                await async_shielded(self._limiter.finish, bucket, slot, None)
                if not isinstance(exc, httpx.TransportError):
                    raise
                _logs.failure(operation, request, exc, attempt, call.max_retries)
                retry = _policy.decide_transport_error(
                    attempt=attempt, max_retries=call.max_retries
                )
                if retry is None:
                    raise _policy.transport_error(exc, request) from exc
                after: httpx.Response | Exception = exc
            else:
                seen.attempt(response)
                _logs.response(operation, request, response, attempt, call.max_retries)
                await self._limiter.finish(bucket, slot, response)
                retry = _policy.decide_response(
                    response,
                    attempt=attempt,
                    max_retries=call.max_retries,
                    max_wait=self._config.max_retry_wait,
                )
                if retry is None:
                    return response
                after = response
            _logs.retry(
                operation,
                request,
                retry.delay,
                attempt,
                call.max_retries,
                bucket=bucket,
                after=after,
            )
            await async_sleep(retry.delay)
            attempt += 1

    async def _call(
        self, operation_id: str, args: dict[str, object], *, raw: bool, options: RequestOptions
    ) -> Any:
        call = prepare(self._config, operation_id, args, options)
        seen = CallRecord.begin(call, self._observers)
        try:
            result = finish(call, await self._send(call, seen), raw)
        except BaseException as exc:
            seen.end(exc)
            raise
        seen.end(None)
        return result
