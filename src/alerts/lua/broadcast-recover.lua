--[[
  Takes back one recipient a dead process held: one only claimed goes back to pending (it
  was never sent); one being sent is counted as interrupted and not sent again, since the
  platform may have got it (at most once, rather than twice). A live process's own
  orphans (a reply from Redis lost to a broken connection, so it never knew it held them)
  go back to pending in either state: it calls the platform only after it knew.

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    KEYS[2] the channel's pending recipients (sorted set)
    KEYS[3] recipients counted as interrupted (set)
    KEYS[4] the broadcast's counts (hash)

    ARGV[1] the contact number
    ARGV[2] the value read for it (owner:state): only that is taken back
    ARGV[3] now (ms)
    ARGV[4] '1' to put it back on pending whatever its state (the caller's own orphan)

  Output: 'pending', 'interrupted', or false when it changed meanwhile.
]]
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
if ARGV[4] == '1' or string.sub(ARGV[2], -8) == ':claimed' then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return 'pending'
end
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[4], 'skipped:interrupted', 1)
return 'interrupted'
