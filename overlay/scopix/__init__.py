"""Python SDK for the Scopix usage API.

from scopix import Scopix, SyncScopix
client = SyncScopix(api_key="scopix_...")
print(client.usage.get_breakdown().usage_percentage)
"""

from ._async.client import Scopix
from ._async.pager import AsyncPager
from ._async.usage import UsageResource
from ._base import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    NotGiven,
    RawResponse,
    RequestOptions,
)
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidParameterError,
    InvalidParameterTypeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ScopixError,
    UnprocessableEntityError,
)
from ._pagination import Page
from ._policy import RateLimitInfo
from ._safety import KeyFormatWarning
from ._sync.client import SyncScopix
from ._sync.pager import SyncPager
from ._sync.usage import SyncUsageResource
from ._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "KeyFormatWarning",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitInfo",
    "RawResponse",
    "RequestOptions",
    "Scopix",
    "ScopixError",
    "SyncPager",
    "SyncScopix",
    "SyncUsageResource",
    "UnprocessableEntityError",
    "UsageResource",
    "__version__",
]
