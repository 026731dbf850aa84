--[[
  Counts one message of a sender in the current window. Both keys share the
  conversation's {hashtag}.

  Input:
    KEYS[1] the sender's counter
    KEYS[2] the conversation's session

    ARGV[1] the window (s)

  Output:
    {count in this window, new, the window's milliseconds left}, where new is 1 for the
    window's first message from a sender with no session yet (a new conversation), else 0
]]
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  if redis.call('EXISTS', KEYS[2]) == 0 then return {count, 1, 0} end
end
return {count, 0, redis.call('PTTL', KEYS[1])}
