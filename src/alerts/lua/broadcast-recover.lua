--[[
  Takes back one recipient a dead process held. One only claimed goes back to pending (it
  was never sent). One being sent may or may not have reached the platform:
  - on a channel that reports every message it got (WhatsApp Cloud's status webhooks carry
    the broadcast's tag), it is sent if a report came already, and otherwise waits for one
    until a deadline (unconfirmed), after which it is sent again;
  - on other channels it is counted as interrupted and not sent again (at most once,
    rather than twice).
  A live process's own orphans (a reply from Redis lost to a broken connection, so it never
  knew it held them) go back to pending in either state: it calls the platform only after
  it knew.

  Input:
    KEYS[1] the channel's recipients in flight (hash)
    KEYS[2] the channel's pending recipients (sorted set)
    KEYS[3] recipients counted as interrupted (set)
    KEYS[4] the broadcast's counts (hash)
    KEYS[5] recipients waiting for the platform's report (sorted set: number -> deadline, ms)
    KEYS[6] recipients the platform reported on (bitmap)
    KEYS[7] recipients sent (bitmap)

    ARGV[1] the contact number
    ARGV[2] the value read for it (owner:state): only that is taken back
    ARGV[3] now (ms)
    ARGV[4] '1' to put it back on pending whatever its state (the caller's own orphan)
    ARGV[5] the deadline for the platform's report (ms), or '0' on a channel that reports nothing

  Output: 'pending', 'sent', 'unconfirmed', 'interrupted', or false when it changed meanwhile.
]]
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return false end
redis.call('HDEL', KEYS[1], ARGV[1])
if ARGV[4] == '1' or string.sub(ARGV[2], -8) == ':claimed' then
  redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
  return 'pending'
end
if ARGV[5] ~= '0' then
  if redis.call('GETBIT', KEYS[6], ARGV[1]) == 1 then
    redis.call('SETBIT', KEYS[7], ARGV[1], 1)
    redis.call('HINCRBY', KEYS[4], 'sent', 1)
    return 'sent'
  end
  redis.call('ZADD', KEYS[5], ARGV[5], ARGV[1])
  return 'unconfirmed'
end
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('HINCRBY', KEYS[4], 'skipped:interrupted', 1)
return 'interrupted'
