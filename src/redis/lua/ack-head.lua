--[[
  The fixed part of a queue's acknowledgement: the code puts the handler's write before it,
  as `local write = function(KEYS, ARGV) ... end` (see ackHead).

  Removes the head item once it is handled, with the write in the same atomic step and only
  while this drainer holds the lock: a drainer that lost it (it stalled past the lock's time
  to live) can neither remove an item nor overwrite what the new holder wrote. Comparing the
  head first makes a repeated acknowledgement harmless. Then, if items wait, reads the keys
  the handler asked for, for the next item (the drainer still holds the lock); if none
  does, gives the lock up in the same step (as release-if-empty.lua).

  Input:
    KEYS[1] the conversation's items
    KEYS[2] the conversation's lock
    KEYS[3..] the write's keys, then the keys to read

    ARGV[1] the head item as read
    ARGV[2] token
    ARGV[3] the lock's time to live (ms)
    ARGV[4] how many keys to read (the last ones of KEYS)
    ARGV[5..] the write's arguments

  Output:
    {1, next head, each key's value}  items wait; the lock is extended
    {2}                               the inbox is empty and the lock given up
    {-1}                              the lock was lost: nothing was done
]]
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {-1} end
local reads = tonumber(ARGV[4])
local keys, args = {}, {}
for i = 3, #KEYS - reads do keys[#keys + 1] = KEYS[i] end
for i = 5, #ARGV do args[#args + 1] = ARGV[i] end
write(keys, args)
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
local nextHead = redis.call('LINDEX', KEYS[1], 0)
if nextHead == false then
  redis.call('DEL', KEYS[2])
  return {2}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local result = {1, nextHead}
for i = #KEYS - reads + 1, #KEYS do result[#result + 1] = redis.call('GET', KEYS[i]) end
return result
