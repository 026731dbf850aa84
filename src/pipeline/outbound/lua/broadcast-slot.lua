--[[
  One slot for a broadcast message on a channel, booked only if it may be sent now:

  - no reply is waiting for a slot on the channel (replies go first);
  - the broadcasts' own bucket (their share of the channel's rate) has a slot due. A slot
    missed (the sender's timer fired late, a reply went first) can still be taken up to
    `catch-up` ms later, so small delays do not add up to a slower broadcast;
  - the channel's bucket (shared with replies and notices) has nothing booked ahead: no
    reply burst in progress, no pause after a platform's "too many requests";
  - the log of the channel's sends in the last window holds fewer than `most in window`,
    which leaves the rest of the platform's count to replies (they keep to the whole of it,
    lua/reserve.lua), and its newest send is at least `gap` ms old, so catching up is
    never a burst.

  What is booked is booked in one step, so two senders never take the same slot. The
  channel's bucket is only read: replies keep to the log, which counts broadcasts too.

  Input:
    KEYS[1] the broadcasts' bucket (theoretical arrival time, ms)
    KEYS[2] the channel's bucket (theoretical arrival time, ms)
    KEYS[3] the channel's log of sends (sorted set: score = send time, ms)
    KEYS[4] the broadcasts' counter of slots (names the log's entries)
    KEYS[5] set while a reply waits for a slot on the channel

    ARGV[1] the broadcasts' interval (ms per message)
    ARGV[2] catch-up (ms)
    ARGV[3] gap (ms)
    ARGV[4] the most broadcast messages may bring the log to in one window
    ARGV[5] the window (ms)
    ARGV[6] how long to hold back while a reply waits (ms)

  Output:
    member  booked: send now (the log's entry, to give the slot back if it goes unused)
    wait    nothing booked: ask again in `wait` ms
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ownInterval = tonumber(ARGV[1])
local catchUp = tonumber(ARGV[2])
local gap = tonumber(ARGV[3])
local most = tonumber(ARGV[4])
local window = tonumber(ARGV[5])

if redis.call('EXISTS', KEYS[5]) == 1 then return tonumber(ARGV[6]) end

local own = tonumber(redis.call('GET', KEYS[1]) or now)
if own < now - catchUp then own = now - catchUp end
if own > now then return math.ceil(own - now) end

local channel = tonumber(redis.call('GET', KEYS[2]) or now)
if channel > now then return math.ceil(channel - now) end

redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - window)
local over = redis.call('ZCARD', KEYS[3]) + 1 - most
if over > 0 then
  local oldest = redis.call('ZRANGE', KEYS[3], over - 1, over - 1, 'WITHSCORES')
  return math.max(1, math.ceil(tonumber(oldest[2]) + window + 1 - now))
end
local newest = redis.call('ZRANGE', KEYS[3], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) + gap > now then
  return math.max(1, math.ceil(tonumber(newest[2]) + gap - now))
end

local nextOwn = own + ownInterval
redis.call('SET', KEYS[1], nextOwn, 'PX', math.ceil(math.max(1, nextOwn - now + catchUp + 1000)))
-- Named by a counter: the bucket's time moves back when a slot is given back.
local member = 'b' .. redis.call('INCR', KEYS[4])
redis.call('ZADD', KEYS[3], now, member)
if redis.call('PTTL', KEYS[3]) < window + 1000 then redis.call('PEXPIRE', KEYS[3], window + 1000) end
return member
