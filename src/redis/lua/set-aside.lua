--[[
  Sets a conversation's head item aside (on the conversation's dead list) while this
  drainer holds the lock, so the conversation's next items can go on.

  Input:
    KEYS[1] the conversation's items
    KEYS[2] the conversation's lock
    KEYS[3] the conversation's dead list

    ARGV[1] the head item as read
    ARGV[2] token
    ARGV[3] the dead-letter record

  Output:
    1  moved
    0  the lock or the head changed meanwhile: nothing done
]]
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('RPUSH', KEYS[3], ARGV[3])
return 1
