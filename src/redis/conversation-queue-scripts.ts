import { composed, LuaScript } from './lua-script.ts';

/**
 * Lua scripts behind ConversationQueue. Each touches the keys of one conversation only
 * (they share a {hashtag}), so they run atomically and stay valid on Redis Cluster.
 */

/**
 * KEYS: seen, items, lock. ARGV: dedupe ttl (s), item json. Returns the inbox's length once
 * queued (1: it was empty); for a duplicate, -1 when items wait with no drainer holding the
 * lock (the first delivery's wake-up may have been lost: wake it again), else 0.
 */
export const ENQUEUE_ONCE = new LuaScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('RPUSH', KEYS[2], ARGV[2])
end
if redis.call('LLEN', KEYS[2]) > 0 and redis.call('EXISTS', KEYS[3]) == 0 then return -1 end
return 0
`);

/**
 * KEYS: lock, items, then keys to read for the handler. ARGV: token, ttl (ms). Takes the
 * conversation's lock (tokens are unique to each drain). Returns {1, head item or nil,
 * each key's value} when taken, {0} when another drainer holds it.
 */
export const ACQUIRE = new LuaScript(`
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {0} end
local result = {1, redis.call('LINDEX', KEYS[2], 0)}
for i = 3, #KEYS do result[i] = redis.call('GET', KEYS[i]) end
return result
`);

/** A write that writes nothing, for an acknowledgement that carries none. */
const NO_WRITE = new LuaScript('return 0');

/**
 * Removes the head item once it is handled, with the handler's write in the same atomic
 * step and only while this drainer holds the lock: a drainer that lost it (it stalled past
 * the lock's time to live) can neither remove an item nor overwrite what the new holder
 * wrote. Comparing the head first makes a repeated acknowledgement harmless. Then, if
 * items wait, reads the keys the handler asked for, for the next item (the drainer still
 * holds the lock); if none does, gives the lock up in the same step (as RELEASE_IF_EMPTY).
 *
 * KEYS: items, lock, the write's keys, then the keys to read. ARGV: the head item as read,
 * token, ttl (ms), number of keys to read, then the write's arguments. Returns
 * {1, next head, each key's value}, {2} when the inbox is empty and the lock given up, or
 * {-1} when the lock was lost.
 */
export function ackHead(write: LuaScript = NO_WRITE): LuaScript {
  return composed([write], ackHeadSource);
}

function ackHeadSource([write]: readonly LuaScript[]): string {
  return `local write = ${write!.asFunction()}
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {-1} end
local reads = tonumber(ARGV[4])
local keys, args = {}, {}
for i = 3, #KEYS - reads do keys[#keys + 1] = KEYS[i] end
for i = 5, #ARGV do args[#args + 1] = ARGV[i] end
write(keys, args)
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
local nextHead = redis.call('LINDEX', KEYS[1], 0)
if nextHead == false then
  redis.call('DEL', KEYS[2])
  return {2}
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
local result = {1, nextHead}
for i = #KEYS - reads + 1, #KEYS do result[#result + 1] = redis.call('GET', KEYS[i]) end
return result`;
}

/**
 * KEYS: items, lock. ARGV: token. Gives the lock up only when nothing is waiting. Checking
 * and releasing in one step closes the gap in which a new item could arrive after the
 * holder looked and before it let go (a drainer woken for it would then find the lock held).
 */
export const RELEASE_IF_EMPTY = new LuaScript(`
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
`);

/** KEYS: lock. ARGV: token. Gives the lock up unconditionally (on a handler error). */
export const RELEASE = new LuaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * KEYS: items, lock, dead. ARGV: the head item as read, token, the dead-letter record.
 * Sets the head item aside (on the conversation's dead list) while this drainer holds the
 * lock, so the conversation's next items can go on. Returns 1 when moved, 0 when the lock
 * or the head changed meanwhile.
 */
export const SET_ASIDE = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('RPUSH', KEYS[3], ARGV[3])
return 1
`);
