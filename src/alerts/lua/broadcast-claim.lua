--[[
  Takes the next recipient of one channel of a broadcast whose time has come, for one
  sending process (see BroadcastQueue.claim). A recipient already marked sent (a plan made
  twice) is dropped, never taken again.

  Input:
    KEYS[1] the channel's pending recipients (sorted set: contact number -> not before, ms)
    KEYS[2] the channel's recipients in flight (hash: contact number -> owner ':claimed' or ':sending')
    KEYS[3] recipients sent (bitmap by contact number)

    ARGV[1] now (ms)
    ARGV[2] the owner (a sending process's id)

  Output: the contact number, or false when none is due.
]]
for _ = 1, 20 do
  local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
  if #due == 0 then return false end
  local number = due[1]
  redis.call('ZREM', KEYS[1], number)
  if redis.call('GETBIT', KEYS[3], number) == 0 then
    redis.call('HSET', KEYS[2], number, ARGV[2] .. ':claimed')
    return tonumber(number)
  end
end
return false
