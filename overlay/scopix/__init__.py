"""Python SDK for the Scopix usage API.

```python
from scopix import SyncScopix

with SyncScopix(api_key="scopix_...") as client:
    print(client.usage.get_breakdown().usage_percentage)
```
"""

from ._async.client import Scopix
from ._async.pager import AsyncPager
from ._call import RawResponse
from ._config import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from ._errors import (
    APIConnectionError,
    APIError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CreditLedgerUnavailableError,
    InsufficientCreditsError,
    InternalServerError,
    InvalidParameterError,
    InvalidParameterTypeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ScopixError,
    UnprocessableEntityError,
)
from ._generated.usage import SyncUsageResource, UsageResource
from ._options import NOT_GIVEN, NotGiven, RequestOptions
from ._pagination import Page, Position
from ._policy import RateLimitInfo
from ._public import publish
from ._safety import KeyFormatWarning
from ._sync.client import SyncScopix
from ._sync.pager import SyncPager
from ._version import __version__

AsyncScopix = Scopix  # the async client under the name openai's users look for

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
    "AsyncScopix",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CreditLedgerUnavailableError",
    "InsufficientCreditsError",
    "InternalServerError",
    "InvalidParameterError",
    "InvalidParameterTypeError",
    "KeyFormatWarning",
    "NotFoundError",
    "NotGiven",
    "Page",
    "PermissionDeniedError",
    "Position",
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

publish(__name__, __all__, globals())
