--[[
  Takes a conversation's lock (tokens are unique to each drain) and reads its head item
  with the keys its handler asked for, in one round trip.

  Input:
    KEYS[1] the conversation's lock
    KEYS[2] the conversation's items
    KEYS[3..] keys to read for the handler

    ARGV[1] token
    ARGV[2] the lock's time to live (ms)

  Output:
    {1, head item or nil, each key's value}  taken
    {0}                                      another drainer holds the lock
]]
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local result = {1, redis.call('LINDEX', KEYS[2], 0)}
for i = 3, #KEYS do result[i] = redis.call('GET', KEYS[i]) end
return result
