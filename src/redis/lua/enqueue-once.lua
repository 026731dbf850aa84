--[[
  Queues an item in a conversation's inbox, once: a platform's second delivery of the same
  item is recognised by its seen marker and not queued again.

  Input:
    KEYS[1] the item's seen marker
    KEYS[2] the conversation's items
    KEYS[3] the conversation's lock

    ARGV[1] how long the seen marker is kept (s)
    ARGV[2] the item (json)

  Output:
    n   the number of items once queued (1: the inbox was empty)
    -1  a duplicate while items wait and no drainer holds the lock: the first delivery's
        wake-up may have been lost, so the caller wakes it again
    0   any other duplicate
]]
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('RPUSH', KEYS[2], ARGV[2])
end
if redis.call('LLEN', KEYS[2]) > 0 and redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
return 0
