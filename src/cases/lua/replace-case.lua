--[[
  Replaces a case only if it is still as it was read, with its audit entry in the same
  step: an operator's claim and a "delete my data" at the same moment cannot undo each
  other (the loser reads again). A resolved case stops being its conversation's active
  one. `release` is src/redis/lua/release.lua, put before this by the code that loads it.

  Input:
    KEYS[1] the case
    KEYS[2] its audit trail
    KEYS[3] the conversation's active-case pointer

    ARGV[1] the case as read (json)
    ARGV[2] the new case (json)
    ARGV[3] the case's id
    ARGV[4] 1 when the new case is resolved, else 0
    ARGV[5] how long the audit trail is kept (s)
    ARGV[6..] the audit entry's field/value pairs

  Output:
    1  replaced
    0  the case changed meanwhile: nothing done
]]
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
-- The pointer goes only while it still points at this case.
if ARGV[4] == '1' then release({KEYS[3]}, {ARGV[3]}) end
redis.call('XADD', KEYS[2], '*', unpack(ARGV, 6))
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
