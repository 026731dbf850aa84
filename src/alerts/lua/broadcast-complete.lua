--[[
  Marks a broadcast done once nobody is left to send to, in one step: a recipient put back
  (quiet hours) between two separate reads could otherwise be missed.

  Input:
    KEYS[1] the broadcast (hash)
    KEYS[2] broadcasts being sent or scheduled (set of ids)
    KEYS[3] its audit trail (stream)
    KEYS[4..] every channel's pending set, in-flight hash and recipients waiting for a report

    ARGV[1] the broadcast's id
    ARGV[2] now (ISO)

  Output: 1 when it was marked done, 0 otherwise.
]]
if redis.call('HGET', KEYS[1], 'state') ~= 'sending' then return 0 end
for i = 4, #KEYS do
  local kind = redis.call('TYPE', KEYS[i]).ok
  if kind == 'zset' and redis.call('ZCARD', KEYS[i]) > 0 then return 0 end
  if kind == 'hash' and redis.call('HLEN', KEYS[i]) > 0 then return 0 end
end
redis.call('HSET', KEYS[1], 'state', 'done', 'finished_at', ARGV[2])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('XADD', KEYS[3], '*', 'at', ARGV[2], 'by', 'system', 'event', 'done', 'from', 'sending', 'to', 'done')
return 1
