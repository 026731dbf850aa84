--[[
  Records what became of one recipient, exactly once, by the process that holds it. A
  recipient a recovering process had counted as interrupted, or left waiting for the
  platform's report (its owner looked dead, but was only cut off from Redis), is counted
  by its real outcome instead.

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    KEYS[2] recipients sent (bitmap)
    KEYS[3] the broadcast's counts (hash)
    KEYS[4] recipients counted as interrupted (set)
    KEYS[5] recipients waiting for the platform's report (sorted set)
    ARGV[1] the contact number
    ARGV[2] the outcome: 'sent', 'failed' or 'skipped:<reason>'
    ARGV[3] the owner (the sending process's id)

  Output: 1 when recorded, 0 when this recipient's outcome was recorded already, or it is
  another process's now.
]]
local held = redis.call('HGET', KEYS[1], ARGV[1])
if held and string.sub(held, 1, #ARGV[3] + 1) == ARGV[3] .. ':' then
  redis.call('HDEL', KEYS[1], ARGV[1])
elseif redis.call('SREM', KEYS[4], ARGV[1]) == 1 then
  redis.call('HINCRBY', KEYS[3], 'skipped:interrupted', -1)
elseif redis.call('ZREM', KEYS[5], ARGV[1]) == 0 then
  return 0
end
if ARGV[2] == 'sent' then redis.call('SETBIT', KEYS[2], ARGV[1], 1) end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
return 1
