--[[
  Moves a broadcast from one of some states to another, with its audit entry, in one step:
  two staff members acting at once cannot both move it.

  Input:
    KEYS[1] the broadcast (hash)
    KEYS[2] broadcasts being sent or scheduled (set of ids)
    KEYS[3] its audit trail (stream)

    ARGV[1] the states it may be in, comma-separated
    ARGV[2] the state to move to
    ARGV[3] the broadcast's id
    ARGV[4] who (a staff name)
    ARGV[5] when (ISO)
    ARGV[6] the event to audit
    ARGV[7..] field, value pairs to set with it

  Output: {1, new state} when moved, {0, current state} when not (false: no such broadcast).
]]
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return false end
local allowed = false
for candidate in string.gmatch(ARGV[1], '[^,]+') do
  if candidate == state then allowed = true end
end
if not allowed then return {0, state} end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
if ARGV[2] == 'sending' or ARGV[2] == 'scheduled' or ARGV[2] == 'paused' then
  redis.call('SADD', KEYS[2], ARGV[3])
else
  redis.call('SREM', KEYS[2], ARGV[3])
end
redis.call('XADD', KEYS[3], '*', 'at', ARGV[5], 'by', ARGV[4], 'event', ARGV[6], 'from', state, 'to', ARGV[2])
return {1, ARGV[2]}
