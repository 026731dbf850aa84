--[[
  Opens a case, or adds a request to the conversation's active one, in one atomic step
  (see CaseStore.openCall). A new case's id also goes to the opened list, from which the
  case desk schedules the notice to case workers.

  The active case's own keys are built from the pointer's value: this script, like the
  rest of the case store, expects a single Redis, not a Cluster.

  Input:
    KEYS[1] the conversation's active-case pointer
    KEYS[2] the candidate case
    KEYS[3] the candidate's audit trail
    KEYS[4] cases by time
    KEYS[5] the conversation's cases
    KEYS[6] the opened list

    ARGV[1] the candidate (json)
    ARGV[2] the candidate's id
    ARGV[3] opened at (ms)
    ARGV[4] retention (s)
    ARGV[5] now (ISO)
    ARGV[6] reason
    ARGV[7] the case key prefix
    ARGV[8] situation (json) or ''
    ARGV[9] country or ''

  Output:
    {1, id}  it opened the candidate
    {0, id}  it added the request to the case with this id
]]
local active = redis.call('GET', KEYS[1])
if active and active ~= ARGV[2] then
  local key = ARGV[7] .. active
  local raw = redis.call('GET', key)
  if raw then
    local found = cjson.decode(raw)
    if found.status ~= 'resolved' then
      -- What the new request knows of where the person is now replaces the old.
      if ARGV[8] ~= '' then found.situation = cjson.decode(ARGV[8]) end
      if ARGV[9] ~= '' then found.country = ARGV[9] end
      redis.call('SET', key, cjson.encode(found), 'KEEPTTL')
      redis.call('XADD', key .. ':audit', '*', 'at', ARGV[5], 'event', 'asked_again', 'by', 'person', 'detail', ARGV[6])
      return {0, active}
    end
  end
end
if not redis.call('SET', KEYS[2], ARGV[1], 'EX', ARGV[4], 'NX') then return {0, ARGV[2]} end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[4])
redis.call('ZADD', KEYS[4], ARGV[3], ARGV[2])
-- The index keeps no case past its retention (the cases themselves expire).
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', tonumber(ARGV[3]) - tonumber(ARGV[4]) * 1000)
redis.call('SADD', KEYS[5], ARGV[2])
redis.call('EXPIRE', KEYS[5], ARGV[4])
redis.call('XADD', KEYS[3], '*', 'at', ARGV[5], 'event', 'opened', 'by', 'system', 'detail', ARGV[6])
redis.call('EXPIRE', KEYS[3], ARGV[4])
redis.call('RPUSH', KEYS[6], ARGV[2])
return {1, ARGV[2]}
