--[[
  Saves a conversation's session. A script, not a SET, so that it can join a turn's commit
  (the acknowledgement carries it as its write).

  Input:
    KEYS[1] the session

    ARGV[1] the session (json)
    ARGV[2] its time to live (s)

  Output: 1.
]]
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
