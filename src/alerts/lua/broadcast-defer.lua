--[[
  Puts a claimed recipient back until `at` (quiet hours where they are, or their weekly
  limit), counting each recipient deferred once.

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    KEYS[2] the channel's pending recipients (sorted set)
    KEYS[3] recipients deferred at least once (bitmap)
    KEYS[4] the broadcast's counts (hash)

    ARGV[1] the contact number
    ARGV[2] not before (ms)
    ARGV[3] the counter to raise the first time ('deferred:quiet_hours', 'deferred:weekly_limit')

  Output: 1, or 0 when the recipient was no longer in flight.
]]
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
if redis.call('SETBIT', KEYS[3], ARGV[1], 1) == 0 then redis.call('HINCRBY', KEYS[4], ARGV[3], 1) end
return 1
