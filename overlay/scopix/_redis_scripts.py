"""The Lua scripts of the Redis limiter. Each runs atomically on the Redis server and takes time
from the server's own clock (`TIME`), so processes with skewed clocks still share one window.

Keys per API key (hashed) and bucket, all in one cluster slot (`_redis_protocol.bucket_keys`):
- `sent`: the departures of the last window (member -> departure, us on the server's clock);
- `queue`: the holders still to leave (member -> the instant each plans to leave). A member is
  `<rank>:<id>`, its rank the instant first booked: its place in the line, which it keeps
  however late it wakes;
- `blocked`: "nothing leaves before" (us), set by 429s;
- `peers`: the processes booking lately (peer id -> last booking);
- `lagged`: the latest departure moved for a server's lag (us; see LEARN);
- `learned`: a limit the server stated, lower than the configured one (LEARN sets it, every
  process's RESERVE and CONFIRM book with the stricter of the two; expires three windows after
  the last response that stated it).

A holder is not stamped when it books but when it confirms, on waking: it leaves then if the
window (every departure, and the holders ahead of it) allows, else it is told the remainder and
keeps its place. So a late wake costs the late holder, never the fleet a window.

Every script returns `{instant, server now, status, peers, member}`; the statuses are in
`_redis_protocol`. Scores are whole microseconds, formatted with '%.0f' wherever they become
strings (Lua's own number formatting keeps 14 digits, too few for an epoch in us).
"""

from __future__ import annotations

__all__ = ["CANCEL", "CONFIRM", "DEPART", "LEARN", "RESERVE", "SERVER_NOW"]

SERVER_NOW = "local t = redis.call('TIME')\nlocal now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"

_HELPERS = """
local GO, WAIT, TOO_FAR, BLOCKED = 0, 1, 2, 3

local function prune(window)
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  -- a holder three windows late is taken for gone (if it comes back it keeps its rank)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - 3 * window)
end

-- The stricter of the configured limit and one a server stated (any process's LEARN).
local function effective(limit)
  local stated = tonumber(redis.call('GET', KEYS[6]) or '0')
  if stated > 0 and stated < limit then return stated end
  return limit
end

local function rank_of(member)
  return tonumber(string.match(member, '^(%d+):'))
end

-- The instants that fill the window from now on, sorted: every departure, and the holders still
-- to leave at their planned instants (with `rank`, only those ranked at or before it).
local function taken(window, rank, self)
  local out = {}
  local since = string.format('(%.0f', now - window)
  local sent = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES')
  for i = 2, #sent, 2 do out[#out + 1] = tonumber(sent[i]) end
  local queue = redis.call('ZRANGEBYSCORE', KEYS[2], since, '+inf', 'WITHSCORES')
  for i = 1, #queue, 2 do
    local m = queue[i]
    if m ~= self and (rank == nil or rank_of(m) <= rank) then
      out[#out + 1] = tonumber(queue[i + 1])
    end
  end
  table.sort(out)
  return out
end

-- The earliest instant from `floor` on at which one more fits: the limit-th latest instant
-- taken has left the window by then.
local function earliest(times, limit, window, floor)
  local n = #times
  if n < limit then return floor end
  return math.max(floor, times[n - limit + 1] + window)
end

-- (a departure's score is its stamp plus its send margin, at most a second past now)
local function keep_sent(window)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 2000)
end

-- The queue lives as long as its last place plus the three windows a late holder keeps it, the
-- horizon at most (a place beyond it is kept by its holder's member, which names its rank).
local function keep_queue(window, horizon)
  local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
  if last[2] then
    local ahead = math.max(0, math.min(tonumber(last[2]) - now, horizon))
    redis.call('PEXPIRE', KEYS[2], math.ceil((ahead + 3 * window) / 1000) + 1000)
  end
end

-- A departure (and a place) is scored with its holder's send margin added: the latest its
-- request may really leave without moving its stamp, so every later grant respects it.
local function go(member, window, horizon, margin)
  redis.call('ZREM', KEYS[2], member)
  keep_queue(window, horizon)
  redis.call('ZADD', KEYS[1], string.format('%.0f', now + margin), member)
  keep_sent(window)
  return {now, now, GO, 0, member}
end

local function wait(at, member, window, horizon, margin)
  redis.call('ZADD', KEYS[2], string.format('%.0f', at + margin), member)
  keep_queue(window, horizon)
  return {at, now, WAIT, 0, member}
end
"""


def _script(body: str) -> str:
    return SERVER_NOW + _HELPERS + body


# KEYS: sent, queue, blocked, peers (every script). ARGV: limit, window (us), horizon (us: how far
# ahead a place may be booked), id, longest block to wait for (us, -1 for any), peer id, send
# margin (us: how long after its stamp its request may leave).
# GO: leave now (stamped); WAIT: a place in the line, planned for `instant` (confirm then);
# TOO_FAR: the line reaches further than the horizon (nothing booked: ask again at `instant`
# minus the horizon); BLOCKED: a 429 blocks the bucket until `instant`, longer than the caller
# may wait (nothing booked). `peers`: the processes that booked on this key in the last three
# windows (the share each takes if Redis goes away).
RESERVE = _script("""
local limit, window, horizon = effective(tonumber(ARGV[1])), tonumber(ARGV[2]), tonumber(ARGV[3])
local max_block, margin = tonumber(ARGV[5]), tonumber(ARGV[7] or '0')
redis.call('ZADD', KEYS[4], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 3 * window)
redis.call('PEXPIRE', KEYS[4], math.ceil(3 * window / 1000))
local peers = redis.call('ZCARD', KEYS[4])
prune(window)
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if max_block >= 0 and blocked - now > max_block then
  return {blocked, now, BLOCKED, peers, ''}
end
local at = earliest(taken(window, nil, nil), limit, window, math.max(now, blocked))
if at - now > horizon then
  return {at, now, TOO_FAR, peers, ''}
end
local member = string.format('%.0f:%s', at, ARGV[4])
local reply
if at <= now then
  reply = go(member, window, horizon, margin)
else
  reply = wait(at, member, window, horizon, margin)
end
reply[4] = peers
return reply
""")

# ARGV: limit, window (us), horizon (us), member, longest block to wait for (us, -1 for any),
# send margin (us).
# A holder woke: it leaves now (GO, stamped now) if the departures and the holders ahead of it
# leave room, else it keeps its place and is told when there will be room (WAIT). BLOCKED: a 429
# blocks longer than it may wait (its place is given up).
CONFIRM = _script("""
local limit, window, horizon = effective(tonumber(ARGV[1])), tonumber(ARGV[2]), tonumber(ARGV[3])
local member, max_block, margin = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6] or '0')
prune(window)
local blocked = tonumber(redis.call('GET', KEYS[3]) or '0')
if max_block >= 0 and blocked - now > max_block then
  redis.call('ZREM', KEYS[2], member)
  keep_queue(window, horizon)
  return {blocked, now, BLOCKED, 0, member}
end
local at = earliest(taken(window, rank_of(member), member), limit, window, math.max(now, blocked))
if at <= now then return go(member, window, horizon, margin) end
return wait(at, member, window, horizon, margin)
""")

# ARGV: window (us), horizon (us), member, id. A holder gave up before leaving: its place is
# freed, and the departure its last script may have stamped (it never left). With no member (it
# gave up while a reply was on its way), the members ending in ':' .. id (the line is short: at
# most the horizon's worth, and the departures of one window).
CANCEL = _script("""
local member, suffix = ARGV[3], ':' .. ARGV[4]
for _, key in ipairs({KEYS[1], KEYS[2]}) do
  if member ~= '' then
    redis.call('ZREM', key, member)
  else
    for _, m in ipairs(redis.call('ZRANGE', key, 0, -1)) do
      if string.sub(m, -#suffix) == suffix then redis.call('ZREM', key, m) end
    end
  end
end
keep_queue(tonumber(ARGV[1]), tonumber(ARGV[2]))
return {now, now, GO, 0, member}
""")

# ARGV: window (us), member. The request really left now (its headers sent): its departure moves
# to now if that is later than its stamp (a process busy between its stamp and its send).
DEPART = _script("""
redis.call('ZADD', KEYS[1], 'GT', now, ARGV[2])
keep_sent(tonumber(ARGV[1]))
return {now, now, GO, 0, ARGV[2]}
""")

# ARGV: limit, window (us), remaining (-1: none), reset (us), block (us, 0 for none), member
# prefix, horizon (us), age (us: the response came in that long before now), the server's
# window (us), the most a lag moves a departure (us), the limit the server stated (-1: none;
# lower than the configured one it is kept in `learned` for every process, three windows past
# the last response that stated it; not lower, it is forgotten). Server headers only lower the
# budget until the reset (phantom departures that expire then), and a reset is never believed
# beyond one window; a 429 blocks the bucket for its wait, at most the horizon. So no key lives
# longer than a few windows.
# Nothing remaining, the reset is when the server's oldest counted request leaves its window: it
# counted that request at `frees - server window`. The limit-th latest departure is that request
# (the server counts the last `limit`); counted later than its score (its stamp plus its send
# margin: a server busy when a burst came in), it and every later departure move that much later
# (to now at most), so the next burst reaches the server once it has room, not one lag too
# early. A server that answers late after counting sends a reset as old as its answer is late,
# which looks the same: so a departure moves once at most (those up to `lagged` have), by the
# cap at most (2 % of the window plus the latency margin): a slow answer costs that once.
LEARN = _script("""
local window = tonumber(ARGV[2])
local stated = tonumber(ARGV[11] or '-1')
if stated > 0 and stated < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[6], stated, 'PX', math.ceil(3 * window / 1000) + 1000)
elseif stated > 0 then
  redis.call('DEL', KEYS[6])
end
local limit = effective(tonumber(ARGV[1]))
local remaining = tonumber(ARGV[3])
local reset = math.max(0, math.min(tonumber(ARGV[4]), window))
local block = math.min(tonumber(ARGV[5]), tonumber(ARGV[7]))
local age, server_window = tonumber(ARGV[8] or '0'), tonumber(ARGV[9] or '0')
local cap = tonumber(ARGV[10] or '0')
if remaining == 0 and reset > 0 and server_window > 0 then
  prune(window)
  local oldest = redis.call('ZREVRANGE', KEYS[1], limit - 1, limit - 1, 'WITHSCORES')
  if oldest[2] then
    local counted = tonumber(oldest[2])
    local lag = math.min((now - age + reset - server_window) - counted, cap)
    local lagged = tonumber(redis.call('GET', KEYS[5]) or '0')
    if lag > 0 and counted > lagged then
      local later = redis.call('ZRANGEBYSCORE', KEYS[1], counted, '+inf', 'WITHSCORES')
      local last = lagged
      for i = 1, #later, 2 do
        local at = math.min(now, tonumber(later[i + 1]) + lag)
        redis.call('ZADD', KEYS[1], string.format('%.0f', at), later[i])
        last = math.max(last, at)
      end
      redis.call('SET', KEYS[5], string.format('%.0f', last), 'PX', math.ceil(window / 1000) + 1000)
      keep_sent(window)
    end
  end
end
if block > 0 then
  local until_ = now + block
  local current = tonumber(redis.call('GET', KEYS[3]) or '0')
  if until_ > current then
    redis.call('SET', KEYS[3], string.format('%.0f', until_), 'PX', math.ceil(block / 1000) + 1000)
  end
end
if remaining >= 0 then
  prune(window)
  local used = redis.call('ZCOUNT', KEYS[1], '-inf', now)
  local missing = (limit - used) - remaining
  for i = 1, missing do
    redis.call('ZADD', KEYS[1], now + reset - window, ARGV[6] .. ':' .. i)
  end
  if missing > 0 then keep_sent(window) end
end
return {now, now, GO, 0, ''}
""")
