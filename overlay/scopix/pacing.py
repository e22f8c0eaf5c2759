"""Client-side pacing under the API's rate limits: settings and limiters.

SyncScopix(pacing=False)                                       # off
SyncScopix(pacing=RateLimits({"usage": BucketLimit(10, 60)}))  # other numbers
SyncScopix(pacing=RateLimits({"usage": BucketLimit(10, 4, shape="even")}))  # a smoothing gateway
SyncScopix(pacing=SyncRedisLimiter(redis.Redis()))             # shared by many processes
"""

from ._async.limiter import AsyncLimiter
from ._async.redis_limiter import AsyncRedisLimiter
from ._public import publish
from ._ratelimit import BucketLimit, RateLimits
from ._redis_protocol import RedisPacingError
from ._sync.limiter import SyncLimiter
from ._sync.redis_limiter import SyncRedisLimiter

__all__ = [
    "AsyncLimiter",
    "AsyncRedisLimiter",
    "BucketLimit",
    "RateLimits",
    "RedisPacingError",
    "SyncLimiter",
    "SyncRedisLimiter",
]

publish(__name__, __all__, globals())
