--[[
  The fixed part of a sequence (see `sequence` in lua-script.ts): the code puts the
  composed scripts before it, as `local parts = {function(KEYS, ARGV) ... end, ...}`.
  Runs each part in order with its own keys and arguments, cut from the whole.

  Input:
    KEYS[..] each part's keys, part after part

    ARGV[1..2n] for each of the n parts, its number of keys and of arguments
    ARGV[2n+1..] each part's arguments, part after part

  Output: the last part's result.
]]
local keyAt, argAt = 0, 2 * #parts
local result
for i = 1, #parts do
  local keyCount, argCount = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local keys, args = {}, {}
  for j = 1, keyCount do keys[j] = KEYS[keyAt + j] end
  for j = 1, argCount do args[j] = ARGV[argAt + j] end
  keyAt, argAt = keyAt + keyCount, argAt + argCount
  result = parts[i](keys, args)
end
return result
