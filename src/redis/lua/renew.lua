--[[
  Extends a lease for its holder only.

  Input:
    KEYS[1] the lease

    ARGV[1] the holder's token
    ARGV[2] the lease's time to live (ms)

  Output:
    1  extended
    0  another process holds it, or nobody does
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
