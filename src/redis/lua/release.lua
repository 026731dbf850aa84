--[[
  Deletes a key only while it holds the given value: a lock (or a pointer) let go by its
  holder, never by someone whose time ran out and whose place another has taken.

  Input:
    KEYS[1] the lock

    ARGV[1] the holder's token

  Output:
    1  deleted
    0  another value (or none) was there: nothing done
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
