--[[
  Marks a claimed recipient as being sent now: from here on, a crash of the owner leaves
  it unknown whether the platform got the message, so it is tried again only where the
  platform's own reports can tell (see BroadcastQueue.recover).

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    ARGV[1] the contact number
    ARGV[2] the owner

  Output: 1 when the recipient was still this owner's, else 0 (recovered by another process).
]]
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] .. ':claimed' then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':sending')
return 1
