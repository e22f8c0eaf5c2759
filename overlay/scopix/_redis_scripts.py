"""The Lua scripts of the Redis limiter. Each runs atomically on the Redis server and takes time
from the server's own clock (`TIME`), so processes with skewed clocks still share one window.

Keys per API key (hashed) and bucket: a sorted set of bookings (member -> send time in
microseconds), a "blocked until" string set by 429s, and a sorted set of the processes booking
(peer id -> last booking).
"""

from __future__ import annotations

# KEYS: log, blocked, peers. ARGV: limit, window (us), horizon (us: how far ahead a booking may
# be made), member, longest block to wait for (us, -1 for any), peer id.
# Returns {time, server now, status, peers}: status 0 booked for that time; 1 the queue is booked
# further ahead than the horizon (nothing booked: wait, ask again); 2 a 429 blocks the bucket
# until that time, longer than the caller may wait (nothing booked). `peers`: the processes that
# booked on this key in the last three windows (the share each takes if Redis goes away).
RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local horizon = tonumber(ARGV[3])
local max_block = tonumber(ARGV[5])
redis.call('ZADD', KEYS[3], now, ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 3 * window)
redis.call('PEXPIRE', KEYS[3], math.ceil(3 * window / 1000))
local peers = redis.call('ZCARD', KEYS[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local at = now
local blocked = tonumber(redis.call('GET', KEYS[2]) or '0')
if max_block >= 0 and blocked - now > max_block then
  return {blocked, now, 2, peers}
end
if blocked > at then at = blocked end
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  local nth = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  local free = tonumber(nth[2]) + window
  if free > at then at = free end
end
if at - now > horizon then
  return {at, now, 1, peers}
end
redis.call('ZADD', KEYS[1], at, ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.ceil((at - now + window) / 1000) + 1000)
return {at, now, 0, peers}
"""

# ARGV: member, force. A booking whose time has not come is given back; with force, also one
# whose time has passed unused (its holder woke too late to use it and books again).
CANCEL = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and (ARGV[2] == '1' or tonumber(score) > now) then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
"""

# ARGV: limit, window (us), remaining, reset (us), block (us, 0 for none), member prefix, horizon.
# Server headers only lower the budget until the reset (phantom bookings that expire then), and
# a reset is never believed beyond one window; a 429 blocks the bucket for its Retry-After, at
# most the horizon. So no key lives longer than a few windows, whatever a server sends.
LEARN = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local remaining = tonumber(ARGV[3])
local reset = tonumber(ARGV[4])
local block = math.min(tonumber(ARGV[5]), tonumber(ARGV[7]))
if reset > window then reset = window end
if reset < 0 then reset = 0 end
if block > 0 then
  local until_ = now + block
  local current = tonumber(redis.call('GET', KEYS[2]) or '0')
  if until_ > current then
    redis.call('SET', KEYS[2], until_, 'PX', math.ceil(block / 1000) + 1000)
  end
end
if remaining >= 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  local used = redis.call('ZCOUNT', KEYS[1], '-inf', now)
  local missing = (limit - used) - remaining
  for i = 1, missing do
    redis.call('ZADD', KEYS[1], now + reset - window, ARGV[6] .. ':' .. i)
  end
  if missing > 0 then
    redis.call('PEXPIRE', KEYS[1], math.ceil((reset + window) / 1000) + 1000)
  end
end
return 0
"""
