--[[
  Writes one contact of the alerts' contact book and keeps its segments in step, in one
  atomic step (see ContactBook). A contact has a number, given once: segments with few
  values (opted in, topic, language, channel, province, destination) are bitmaps indexed
  by it; those with many (district, source) are sets of numbers, so that a sparse district
  costs its members only.

  Every key of the contact book carries the {alerts} hashtag, so the record and segment
  keys this script builds from ARGV[1] hash to the slot of KEYS: valid on Redis Cluster.

  Input:
    KEYS[1] conversation id -> contact number (hash)
    KEYS[2] the last contact number given (counter)

    ARGV[1] the key base: a record is base .. 'contact:' .. number, a segment base .. 'segment:' .. name
    ARGV[2] the conversation id
    ARGV[3] what to do: subscribe | update | erase
    ARGV[4..] field, value pairs to set; an empty value removes the field

  Output: the contact's number, or 0 when there is none to update or erase.
]]
local base = ARGV[1]
local mode = ARGV[3]

-- Field -> segment: bitmaps for few values, sets for many.
local BITMAP = { l = 'language:', p = 'province:', x = 'destination:', ch = 'channel:' }
local SET = { d = 'district:', cs = 'source:' }

local function segments(record)
  local bitmaps, sets = {}, {}
  for field, prefix in pairs(BITMAP) do
    if record[field] then bitmaps[#bitmaps + 1] = prefix .. record[field] end
  end
  for field, prefix in pairs(SET) do
    if record[field] then sets[#sets + 1] = prefix .. record[field] end
  end
  if record.t then
    for topic in string.gmatch(record.t, '[^,]+') do bitmaps[#bitmaps + 1] = 'topic:' .. topic end
  end
  if record.s == 'in' then bitmaps[#bitmaps + 1] = 'opted-in' end
  return bitmaps, sets
end

local function place(record, number, bit)
  local bitmaps, sets = segments(record)
  for _, name in ipairs(bitmaps) do redis.call('SETBIT', base .. 'segment:' .. name, number, bit) end
  for _, name in ipairs(sets) do
    if bit == 1 then redis.call('SADD', base .. 'segment:' .. name, number)
    else redis.call('SREM', base .. 'segment:' .. name, number) end
  end
end

local number = redis.call('HGET', KEYS[1], ARGV[2])
if not number then
  if mode ~= 'subscribe' then return 0 end
  number = redis.call('INCR', KEYS[2])
  redis.call('HSET', KEYS[1], ARGV[2], number)
end
number = tonumber(number)
local key = base .. 'contact:' .. number

local old = {}
local stored = redis.call('HGETALL', key)
for i = 1, #stored, 2 do old[stored[i]] = stored[i + 1] end

place(old, number, 0)
if mode == 'erase' then
  redis.call('DEL', key)
  redis.call('HDEL', KEYS[1], ARGV[2])
  return number
end

local new = {}
for field, value in pairs(old) do new[field] = value end
local removed = {}
for i = 4, #ARGV, 2 do
  local field, value = ARGV[i], ARGV[i + 1]
  if value == '' then
    new[field] = nil
    removed[#removed + 1] = field
  else
    new[field] = value
  end
end

local pairs_to_set = {}
for field, value in pairs(new) do
  pairs_to_set[#pairs_to_set + 1] = field
  pairs_to_set[#pairs_to_set + 1] = value
end
if #removed > 0 then redis.call('HDEL', key, unpack(removed)) end
if #pairs_to_set > 0 then redis.call('HSET', key, unpack(pairs_to_set)) end
place(new, number, 1)
return number
