--[[
  Ends a lease taken with claim-due.lua: the entry goes, unless it was scheduled anew
  meanwhile (its score is no longer the lease's end), or is put off to a later time.

  Input:
    KEYS[1] the schedule

    ARGV[1] the entry
    ARGV[2] when the lease ends (ms), as claimed
    ARGV[3] when it is due again (ms), or '' to remove it

  Output:
    1 if the lease was still this caller's, else 0
]]
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not due or tonumber(due) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
end
return 1
