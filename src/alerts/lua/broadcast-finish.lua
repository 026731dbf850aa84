--[[
  Records what became of one recipient, exactly once. A recipient a recovering process
  had counted as interrupted (its owner looked dead, but was only cut off from Redis) is
  counted again by its real outcome.

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    KEYS[2] recipients sent (bitmap)
    KEYS[3] the broadcast's counts (hash)
    KEYS[4] recipients counted as interrupted (set)

    ARGV[1] the contact number
    ARGV[2] the outcome: 'sent', 'failed' or 'skipped:<reason>'

  Output: 1 when recorded, 0 when this recipient's outcome was recorded already.
]]
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  if redis.call('SREM', KEYS[4], ARGV[1]) == 0 then return 0 end
  redis.call('HINCRBY', KEYS[3], 'skipped:interrupted', -1)
end
if ARGV[2] == 'sent' then redis.call('SETBIT', KEYS[2], ARGV[1], 1) end
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
return 1
