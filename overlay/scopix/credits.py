"""Credits held for work, shared by many processes and machines: the Redis credit ledger.

    import redis
    from scopix import SyncScopix
    from scopix.credits import SyncRedisLedger   # AsyncRedisLedger with redis.asyncio for Scopix

    client = SyncScopix(credits=SyncRedisLedger(redis.Redis(host="127.0.0.1", socket_timeout=2)))
    with client.usage.reserve(analysis_level="thorough", item_count=10, ttl=60) as hold:
        ...  # the work that spends hold.required_credits

Without `credits=`, `client.usage.reserve()` holds on this process's own ledger.
`client.usage.holds()` shows the account's live holds (`HeldCredits` of `HoldView`s: who, how
many credits, until when) and how many reservations wait. See
docs/credits.md for the guarantee, leases and what happens when Redis cannot be reached.
"""

from ._async.credit_ledger import AsyncRedisLedger
from ._async.usage_methods import AsyncHold
from ._errors import CreditLedgerUnavailableError, InsufficientCreditsError
from ._ledger import HeldCredits, HoldView
from ._public import publish
from ._sync.credit_ledger import SyncRedisLedger
from ._sync.usage_methods import SyncHold

__all__ = [
    "AsyncHold",
    "AsyncRedisLedger",
    "CreditLedgerUnavailableError",
    "HeldCredits",
    "HoldView",
    "InsufficientCreditsError",
    "SyncHold",
    "SyncRedisLedger",
]

publish(__name__, __all__, globals())
