--[[
  As append-turn.lua (`append`, put before this by the code that loads it), and sets the
  delivered marker: a batch delivered again after a crash finds it and adds nothing.

  Input and output: as append-turn.lua.
]]
local appended = append(KEYS, ARGV)
if appended == 1 then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
return appended
