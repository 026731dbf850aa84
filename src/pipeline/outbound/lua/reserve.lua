--[[
  The generic cell rate algorithm, reserving: how long the caller must wait before sending
  `cost` messages, which it books. When that wait is longer than the most it may book
  ahead, books nothing, so the caller waits and asks again. A pause (after a 429) pushes
  the bucket's theoretical arrival time past now + pause, so every sender of the channel
  waits. Redis's own clock keeps several processes consistent.

  Input:
    KEYS[1] the bucket (its theoretical arrival time, ms)

    ARGV[1] interval (ms per message)
    ARGV[2] tolerance (ms of burst)
    ARGV[3] cost (messages)
    ARGV[4] pause (ms; 0 for none)
    ARGV[5] the most wait it may book (ms; -1 for no limit)

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
local most = tonumber(ARGV[5])
if most >= 0 and wait > most then return -math.ceil(wait) - 1 end
local newTat = tat + interval * cost
redis.call('SET', KEYS[1], newTat, 'PX', math.ceil(math.max(1, newTat - now + 1000)))
return math.ceil(wait)
