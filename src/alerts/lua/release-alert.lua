--[[
  Gives back an alert booked by reserve-alert.lua that was not sent after all.

  Input:
    KEYS[1] the contact's record (hash)
    ARGV[1] the booked time (s)

  Output: 1 when given back, 0 when it was not booked.
]]
local kept, found = {}, false
for at in string.gmatch(redis.call('HGET', KEYS[1], 'al') or '', '[^,]+') do
  if not found and at == ARGV[1] then found = true else kept[#kept + 1] = at end
end
if not found then return 0 end
if #kept == 0 then redis.call('HDEL', KEYS[1], 'al') else redis.call('HSET', KEYS[1], 'al', table.concat(kept, ',')) end
return 1
