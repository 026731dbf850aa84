--[[
  Recipients whose deadline for the platform's report has passed: one the platform did
  report on meanwhile is counted as sent; one it never reported on never reached it, and
  goes back to pending to be sent again.

  Input:
    KEYS[1] recipients waiting for the platform's report (sorted set: number -> deadline, ms)
    KEYS[2] the channel's pending recipients (sorted set)
    KEYS[3] recipients the platform reported on (bitmap)
    KEYS[4] recipients sent (bitmap)
    KEYS[5] the broadcast's counts (hash)
    ARGV[1] now (ms)
    ARGV[2] at most this many

  Output: { counted as sent, sent again }
]]
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local sent, again = 0, 0
for _, number in ipairs(due) do
  redis.call('ZREM', KEYS[1], number)
  if redis.call('GETBIT', KEYS[3], number) == 1 then
    redis.call('SETBIT', KEYS[4], number, 1)
    redis.call('HINCRBY', KEYS[5], 'sent', 1)
    sent = sent + 1
  else
    redis.call('ZADD', KEYS[2], ARGV[1], number)
    again = again + 1
  end
end
return { sent, again }
