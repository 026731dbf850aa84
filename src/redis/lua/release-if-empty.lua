--[[
  Gives a conversation's lock up only when no item waits. Checking and releasing in one
  step closes the gap in which a new item could arrive after the holder looked and before
  it let go (a drainer woken for it would then find the lock held). `release` is
  release.lua, put before this by the code that loads it.

  Input:
    KEYS[1] the conversation's items
    KEYS[2] the conversation's lock

    ARGV[1] token

  Output:
    1  nothing waits: the lock is given up (if this token still held it)
    0  items wait: the lock is kept
]]
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
release({KEYS[2]}, {ARGV[1]})
return 1
