--[[
  Takes one due entry of a schedule for a while: its score moves to the end of the lease,
  so no other worker takes it meanwhile, and it comes due again if the taker dies.

  Input:
    KEYS[1] the schedule (a sorted set scored by when each entry is due, in ms)

    ARGV[1] the entry
    ARGV[2] now (ms)
    ARGV[3] when the lease ends (ms)

  Output:
    1 if this caller took it, 0 if it is not due or another caller has it
]]
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) > tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1
