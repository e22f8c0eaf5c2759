"""The Redis credit ledger's protocol, without I/O: key names, the Lua scripts (the rules of
`_ledger` transcribed, run atomically on the Redis server's clock), their argument vectors and
the decoding of their replies. The shells (`_async/credit_ledger.py`) only send these.

Keys of one account share a hash tag (`{digest}`), so on Redis Cluster they live in one slot and
a script may touch them all. Every script ends by setting every key to expire after the latest
lease and the memory of spends, so an abandoned account's keys go away.

    holds    hash  hold id -> "required:expires_us:owner"
    spends   zset  "hold id:credits" -> when spent (us); a lapsed lease spends all it held
    queue    zset  waiter id -> arrival (us, strictly increasing)
    waiters  hash  waiter id -> "required:expires_us"
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ._ledger import Decision, HeldCredits, HoldView, Verdict
from ._ratelimit import key_digest

__all__ = [
    "LEAVE",
    "NOW",
    "RELEASE",
    "RENEW",
    "RESERVE",
    "SNAPSHOT",
    "Timing",
    "Unreachable",
    "account_keys",
    "decode_now",
    "decode_release",
    "decode_renew",
    "decode_reserve",
    "decode_snapshot",
    "ledger_down",
    "redis_server_name",
    "release_args",
    "renew_args",
    "reserve_args",
    "unavailable_message",
    "unreachable_mode",
]

US = 1_000_000
_CODES = {0: Verdict.GRANT, 1: Verdict.WAIT, 2: Verdict.REFUSE, 3: Verdict.RECHECK}


class Unreachable(enum.Enum):
    """What a reservation does when Redis cannot be reached."""

    REFUSE = "refuse"  # raise CreditLedgerUnavailableError: money fails closed
    LOCAL = "local"  # hold on this process's own ledger instead (logged as a warning)


def unreachable_mode(value: object) -> Unreachable:
    for mode in Unreachable:
        if value == mode.value:
            return mode
    allowed = ", ".join(repr(m.value) for m in Unreachable)
    raise ValueError(f"unreachable must be one of {allowed}, got {value!r}")


def ledger_down(exc: BaseException | None) -> bool:
    """Whether a ledger error was Redis out of reach (or failing over), the one case
    `unreachable="local"` may hold locally; a client that cannot run the scripts (a wrong
    password, CROSSSLOT, a read-only replica) refuses whatever was chosen."""
    from ._redis_protocol import RedisPacingError, failure

    if exc is None:
        return False
    try:
        return failure(exc) == "down"
    except RedisPacingError:
        return False


def redis_server_name(client: object) -> str:
    """Where a Redis client points, for messages: `host:port`, a Cluster's default node, or a
    Sentinel master's service and its sentinels (their pool knows no host of its own)."""
    pool = getattr(client, "connection_pool", None)
    service = getattr(pool, "service_name", None)
    if isinstance(service, str):
        sentinels = getattr(getattr(pool, "sentinel_manager", None), "sentinels", ())
        where = ", ".join(redis_server_name(s) for s in sentinels) or "?"
        return f"Sentinel service {service!r} via {where}"
    kwargs = getattr(pool, "connection_kwargs", None)
    if not isinstance(kwargs, Mapping):
        default_node = getattr(client, "get_default_node", None)  # Redis Cluster
        node = default_node() if callable(default_node) else None
        if node is None:  # one that has not asked its nodes yet (redis.asyncio's): the first
            startup = getattr(getattr(client, "nodes_manager", None), "startup_nodes", None)
            node = next(iter(startup.values()), None) if isinstance(startup, Mapping) else None
        kwargs = {"host": getattr(node, "host", "?"), "port": getattr(node, "port", "?")}
    if "path" in kwargs and "host" not in kwargs:
        return str(kwargs["path"])  # a unix socket
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}"


# redis-py's MasterNotFoundError text: "No master found for 'svc' : <client repr> - <error>, ..."
_SENTINEL_ERROR = re.compile(r"host=([^,]+),port=(\d+),.*?\)>\)>\)> - (.+?)(?=, <redis\.|$)")


def _sentinel_causes(exc: BaseException) -> tuple[str, bool]:
    """What each sentinel said, shortly, and whether all of them were out of reach."""
    found = [
        (f"{h}:{p}", e.removeprefix("network:")) for h, p, e in _SENTINEL_ERROR.findall(str(exc))
    ]
    if not found:
        return "no sentinel named a master", False
    said = [error if where in error else f"{where}: {error}" for where, error in found]
    lost = all(error.split(":", 1)[0] in _LOST for _, error in found)
    return f"no sentinel named a master ({'; '.join(dict.fromkeys(said))})", lost


_LOST = ("ConnectionError", "TimeoutError", "RedisClusterUnreachableError")


def unavailable_message(server: str, exc: BaseException) -> str:
    """The refusal's words: the server (`redis_server_name`) and what went wrong."""
    name = type(exc).__name__
    lost = isinstance(exc, OSError) or name in _LOST
    if name == "MasterNotFoundError":
        # redis-py's own text quotes every sentinel client's repr (a page per sentinel)
        said, lost = _sentinel_causes(exc)
        cause = f"{name}: {said}"
    else:
        cause = f"{name}: {exc}"
    what = "cannot be reached" if lost else "failed"
    return f"the credit ledger in Redis ({server}) {what} ({cause}); nothing was held"


def account_keys(prefix: str, base_url: str, api_key: str) -> list[str]:
    tag = key_digest(f"{base_url} {api_key}")
    return [f"{prefix}:{{{tag}}}:{name}" for name in ("holds", "spends", "queue", "waiters")]


def _us(seconds: float) -> int:
    return math.ceil(seconds * US)


@dataclass(frozen=True)
class Timing:
    """The ledger's settings every script needs (seconds)."""

    settle: float
    memory: float

    def args(self) -> list[int]:
        return [_us(self.settle), _us(self.memory)]


def reserve_args(
    timing: Timing, hold_id: str, *, required: int, available: int, can_proceed: bool,
    checked_at: float, ttl: float, may_wait: bool, owner: str = "",
) -> list[object]:  # fmt: skip
    """`checked_at` on the server's clock (seconds)."""
    return [
        *timing.args(), hold_id, required, available, int(can_proceed),
        math.floor(checked_at * US), _us(ttl), int(may_wait), owner,
    ]  # fmt: skip


def renew_args(timing: Timing, hold_id: str, ttl: float) -> list[object]:
    return [*timing.args(), hold_id, _us(ttl)]


def release_args(timing: Timing, hold_id: str, credits_used: int | None) -> list[object]:
    return [*timing.args(), hold_id, -1 if credits_used is None else credits_used]


def _int(x: object) -> int:
    if isinstance(x, (int, str, bytes)):
        return int(x)
    raise TypeError(f"unexpected reply element from the Redis ledger: {x!r}")


def decode_reserve(reply: Sequence[object], required: int, available: int) -> Decision:
    """RESERVE's reply {code, held, unseen, ahead, expires_us, now_us} as the core's Decision."""
    code, held, unseen, ahead, expires, _now = (_int(x) for x in reply)
    return Decision(
        _CODES[code], required, available, held, unseen, ahead,
        expires / US if code == 0 else None,
    )  # fmt: skip


def decode_renew(reply: Sequence[object]) -> float | None:
    """RENEW's reply {lease end (us), now}: the new end in seconds, None when the hold had
    ended (-1)."""
    value = _int(reply[0])
    return None if value < 0 else value / US


def decode_release(reply: Sequence[object]) -> bool:
    """RELEASE's reply {1 ended now or 0 had ended already, now}."""
    return _int(reply[0]) == 1


# Shared head of every script: the server's time, expiry of lapsed holds (spending all they
# held, at their lease's end) and waiters, forgetting spends older than the memory, and `touch`.
_HEAD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local settle = tonumber(ARGV[1])
local memory = tonumber(ARGV[2])
local function num(x) return string.format('%.0f', x) end
local function parse(v)
  local a, b, rest = string.match(v, '^(%d+):(%d+)(.*)$')
  return tonumber(a), tonumber(b), rest
end
local h = redis.call('HGETALL', KEYS[1])
for i = 1, #h, 2 do
  local req, exp = parse(h[i + 1])
  if exp <= now then
    redis.call('HDEL', KEYS[1], h[i])
    redis.call('ZADD', KEYS[2], num(exp), h[i] .. ':' .. num(req))
  end
end
local w = redis.call('HGETALL', KEYS[4])
for i = 1, #w, 2 do
  local _, exp = parse(w[i + 1])
  if exp <= now then
    redis.call('HDEL', KEYS[4], w[i])
    redis.call('ZREM', KEYS[3], w[i])
  end
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. num(now - memory))
local function touch()
  local last = now
  for _, key in ipairs({KEYS[1], KEYS[4]}) do
    local all = redis.call('HVALS', key)
    for i = 1, #all do
      local _, exp = parse(all[i])
      if exp > last then last = exp end
    end
  end
  local ms = math.ceil((last - now + memory) / 1000) + 1000
  for i = 1, 4 do redis.call('PEXPIRE', KEYS[i], ms) end
end
"""

# ARGV: settle, memory, hold id, required, available, can proceed (0/1), checked at (us), ttl
# (us), may wait (0/1), owner. Reply: {code (0 grant, 1 wait, 2 refuse, 3 recheck), held, unseen,
# ahead, expires (us, on a grant), now}.
RESERVE = (
    _HEAD
    + """
local id = ARGV[3]
local required = tonumber(ARGV[4])
local available = tonumber(ARGV[5])
local can_proceed = ARGV[6] == '1'
local checked_at = tonumber(ARGV[7])
local ttl = tonumber(ARGV[8])
local may_wait = ARGV[9] == '1'
local held = 0
local hv = redis.call('HVALS', KEYS[1])
for i = 1, #hv do held = held + parse(hv[i]) end
local unseen = 0
local sp = redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. num(checked_at - settle), '+inf')
for i = 1, #sp do unseen = unseen + tonumber(string.match(sp[i], ':(%d+)$')) end
local ahead = 0
local q = redis.call('ZRANGE', KEYS[3], 0, -1)
for i = 1, #q do
  if q[i] == id then break end
  ahead = ahead + parse(redis.call('HGET', KEYS[4], q[i]))
end
local function out(code, expires)
  touch()
  return {code, held, unseen, ahead, expires, num(now)}
end
local function unqueue()
  redis.call('ZREM', KEYS[3], id)
  redis.call('HDEL', KEYS[4], id)
end
if now - checked_at > memory - settle then return out(3, 0) end
if not can_proceed or available < required then
  unqueue()
  return out(2, 0)
end
if available - held - unseen - ahead >= required then
  unqueue()
  redis.call('HSET', KEYS[1], id, num(required) .. ':' .. num(now + ttl) .. ':' .. ARGV[10])
  return out(0, num(now + ttl))
end
if unseen > 0 and available - held - ahead >= required then return out(3, 0) end
if may_wait and (held > 0 or ahead > 0) then
  if not redis.call('ZSCORE', KEYS[3], id) then
    local arrival = now
    local last = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
    if #last > 0 and tonumber(last[2]) >= arrival then arrival = tonumber(last[2]) + 1 end
    redis.call('ZADD', KEYS[3], num(arrival), id)
  end
  redis.call('HSET', KEYS[4], id, num(required) .. ':' .. num(now + ttl))
  return out(1, 0)
end
unqueue()
return out(2, 0)
"""
)

# ARGV: settle, memory, hold id, ttl (us). Reply: {new lease end (us) or -1 when the hold had
# ended, now}.
RENEW = (
    _HEAD
    + """
local v = redis.call('HGET', KEYS[1], ARGV[3])
local result = -1
if v then
  local req, _, rest = parse(v)
  result = now + tonumber(ARGV[4])
  redis.call('HSET', KEYS[1], ARGV[3], num(req) .. ':' .. num(result) .. rest)
end
touch()
return {num(result), num(now)}
"""
)

# ARGV: settle, memory, hold id, credits used (-1: all it held). Reply: {1 ended now, 0 it had
# ended already (released, or its lease lapsed), now}.
RELEASE = (
    _HEAD
    + """
local v = redis.call('HGET', KEYS[1], ARGV[3])
local result = 0
if v then
  local req = parse(v)
  local spent = tonumber(ARGV[4])
  if spent < 0 then spent = req end
  redis.call('HDEL', KEYS[1], ARGV[3])
  if spent > 0 then redis.call('ZADD', KEYS[2], num(now), ARGV[3] .. ':' .. num(spent)) end
  result = 1
end
touch()
return {result, num(now)}
"""
)

# ARGV: settle, memory, waiter id. A waiter gives up.
LEAVE = (
    _HEAD
    + """
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('HDEL', KEYS[4], ARGV[3])
touch()
return {0, num(now)}
"""
)

# ARGV: settle, memory. Reply: {now, waiters, then per live hold: id, required, expires (us),
# owner}.
SNAPSHOT = (
    _HEAD
    + """
local out = {num(now), redis.call('ZCARD', KEYS[3])}
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local req, exp, rest = parse(all[i + 1])
  table.insert(out, all[i])
  table.insert(out, req)
  table.insert(out, num(exp))
  table.insert(out, string.sub(rest, 2))
end
touch()
return out
"""
)


def _text(x: object) -> str:
    return x.decode() if isinstance(x, bytes) else str(x)


def decode_snapshot(reply: Sequence[object]) -> HeldCredits:
    """SNAPSHOT's reply as the account's live holds, soonest to end first."""
    waiting, rest = _int(reply[1]), reply[2:]
    holds = [
        HoldView(
            _text(rest[i]),
            _int(rest[i + 1]),
            datetime.fromtimestamp(_int(rest[i + 2]) / US, UTC),
            _text(rest[i + 3]),
        )
        for i in range(0, len(rest), 4)
    ]
    return HeldCredits(tuple(sorted(holds, key=lambda h: h.expires_at)), waiting)


# KEYS: the account's keys (not touched: they route the call, on Redis Cluster, to the node
# whose clock every other script of the account reads). Reply: {seconds, microseconds}.
NOW = """
local t = redis.call('TIME')
return {tonumber(t[1]), tonumber(t[2])}
"""


def decode_now(reply: Sequence[object]) -> float:
    return _int(reply[0]) + _int(reply[1]) / US
