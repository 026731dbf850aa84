--[[
  Books one alert for a contact within their weekly limit (the consent promises at most so
  many a week), in one step: two broadcasts sending at once cannot both take the last one.

  Input:
    KEYS[1] the contact's record (hash; field 'al' holds the times of their recent alerts, in seconds, comma-separated)

    ARGV[1] now (s)
    ARGV[2] how many alerts a window allows
    ARGV[3] the window (s)

  Output: 0 when booked (at ARGV[1]); -1 when there is no such contact; otherwise the
  second from which one is free again.
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local now, limit, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local recent = {}
for at in string.gmatch(redis.call('HGET', KEYS[1], 'al') or '', '[^,]+') do
  if tonumber(at) > now - window then recent[#recent + 1] = tonumber(at) end
end
table.sort(recent)
if #recent >= limit then return recent[#recent - limit + 1] + window end
recent[#recent + 1] = now
redis.call('HSET', KEYS[1], 'al', table.concat(recent, ','))
return 0
