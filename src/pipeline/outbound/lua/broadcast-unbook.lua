--[[
  Gives back a broadcast's slot that went unused (it went stale before sending, or the
  recipient stopped or the broadcast was cancelled meanwhile): its entry leaves the log
  and the broadcasts' bucket moves back by one message, so the slot is not lost to them.

  Input:
    KEYS[1] the broadcasts' bucket (theoretical arrival time, ms)
    KEYS[2] the channel's log of sends

    ARGV[1] the log's entry of the slot
    ARGV[2] the broadcasts' interval (ms per message)

  Output: 1 given back, 0 already gone from the log (nothing to give back)
]]
if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('INCRBYFLOAT', KEYS[1], -tonumber(ARGV[2]))
end
return 1
