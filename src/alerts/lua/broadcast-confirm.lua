--[[
  The platform reported on a broadcast message to one recipient (sent, delivered, read or
  failed: it got the message either way). Remembered, so a recovering process knows the
  message went out; a recipient waiting for this report is counted as sent now.

  Input:
    KEYS[1] recipients the platform reported on (bitmap)
    KEYS[2] recipients waiting for the platform's report (sorted set)
    KEYS[3] recipients sent (bitmap)
    KEYS[4] the broadcast's counts (hash)
    ARGV[1] the contact number

  Output: 1 when a waiting recipient was counted as sent, 0 otherwise.
]]
redis.call('SETBIT', KEYS[1], ARGV[1], 1)
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('SETBIT', KEYS[3], ARGV[1], 1)
redis.call('HINCRBY', KEYS[4], 'sent', 1)
return 1
