--[[
  The generic cell rate algorithm, reserving: how long the caller must wait before sending
  `cost` messages, which it books. When that wait is longer than the most it may book
  ahead, books nothing, so the caller waits and asks again. A pause (after a 429) pushes
  the bucket's theoretical arrival time past now + pause, so every sender of the channel
  waits. Redis's own clock keeps several processes consistent.

  With a log of what was sent (KEYS[2]), the booking also keeps to the platform's own
  rule: at most `most in window` messages in any `window` ms. A bucket allows its burst on
  top of its rate within one second; a platform that counts the last second refuses that.
  Every sender of the channel (replies, notices, broadcasts) writes to the same log.

  Input:
    KEYS[1] the bucket (its theoretical arrival time, ms)
    KEYS[2] optional: the log of sends (sorted set: score = send time, ms)

    ARGV[1] interval (ms per message)
    ARGV[2] tolerance (ms of burst)
    ARGV[3] cost (messages)
    ARGV[4] pause (ms; 0 for none)
    ARGV[5] the most wait it may book (ms; -1 for no limit)
    ARGV[6] with a log: the most messages in one window
    ARGV[7] with a log: the window (ms)

  Output:
    wait         booked: the milliseconds to wait before sending (0 after a pause)
    -(wait + 1)  nothing booked: the wait is longer than the most allowed
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local pause = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if pause > 0 then
  local paused = now + pause + tolerance
  if paused > tat then tat = paused end
  redis.call('SET', KEYS[1], tat, 'PX', math.ceil(math.max(1, tat - now + 1000)))
  return 0
end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local log = KEYS[2]
if log then
  local most = tonumber(ARGV[6])
  local window = tonumber(ARGV[7])
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  local count = redis.call('ZCARD', log)
  local over = count + cost - most
  -- More at once than one window holds: they go when the window is empty.
  if over > count then over = count end
  if over > 0 then
    -- Free once the `over` oldest sends have left the window.
    local oldest = redis.call('ZRANGE', log, over - 1, over - 1, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window + 1 - now
    if free > wait then wait = free end
  end
end
local most = tonumber(ARGV[5])
if most >= 0 and wait > most then return -math.ceil(wait) - 1 end
local sendAt = now + wait
if sendAt > tat then tat = sendAt end
local newTat = tat + interval * cost
redis.call('SET', KEYS[1], newTat, 'PX', math.ceil(math.max(1, newTat - now + 1000)))
if log then
  -- Members are unique: the bucket's arrival time only ever grows.
  for i = 1, cost do redis.call('ZADD', log, sendAt, string.format('%.3f:%d', newTat, i)) end
  local keep = math.ceil(sendAt - now + tonumber(ARGV[7]) + 1000)
  if redis.call('PTTL', log) < keep then redis.call('PEXPIRE', log, keep) end
end
return math.ceil(wait)
