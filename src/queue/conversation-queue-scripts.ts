import { composed, LuaScript } from '../redis/lua-script.ts';

/**
 * Lua scripts behind ConversationQueue. Each touches the keys of one conversation only
 * (they share a {hashtag}), so they run atomically and stay valid on Redis Cluster.
 */

/**
 * KEYS: seen, items. ARGV: dedupe ttl (s), item json. Returns the inbox's length once
 * queued (1: it was empty), 0 for a duplicate.
 */
export const ENQUEUE_ONCE = new LuaScript(`
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('RPUSH', KEYS[2], ARGV[2])
end
return 0
`);

/**
 * KEYS: lock, items. ARGV: token, ttl (ms). Takes the conversation's lock, or keeps it when
 * the same drain job (after a crash and BullMQ's stalled-job retry) already holds it.
 * Returns {1, head item or nil} when taken, {0, nil} when another drainer holds it.
 */
export const ACQUIRE = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return {1, redis.call('LINDEX', KEYS[2], 0)}
end
return {0, false}
`);

/**
 * KEYS: items, lock. ARGV: the head item as read, token, ttl (ms). Removes the head once
 * it is handled; comparing it first makes a repeated acknowledgement harmless. Returns
 * {1, next head or nil}, or {-1, nil} when the lock was lost to another drainer.
 */
export const ACK_HEAD = new LuaScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {-1, false} end
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, redis.call('LINDEX', KEYS[1], 0)}
`);

/**
 * ACK_HEAD with a handler's write made in the same atomic step, and only while this drainer
 * holds the lock: a drainer that lost it (it stalled past the lock's time to live) cannot
 * overwrite what the new holder wrote. KEYS: items, lock, then the write's keys. ARGV: head,
 * token, ttl (ms), then the write's arguments. Returns as ACK_HEAD.
 */
export function ackHeadWith(write: LuaScript): LuaScript {
  return composed([write], ackHeadWithSource);
}

function ackHeadWithSource([write]: readonly LuaScript[]): string {
  return `local write = ${write!.asFunction()}
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {-1, false} end
local keys, args = {}, {}
for i = 3, #KEYS do keys[i - 2] = KEYS[i] end
for i = 4, #ARGV do args[i - 3] = ARGV[i] end
write(keys, args)
if redis.call('LINDEX', KEYS[1], 0) == ARGV[1] then redis.call('LPOP', KEYS[1]) end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {1, redis.call('LINDEX', KEYS[1], 0)}`;
}

/**
 * KEYS: items, lock. ARGV: token. Gives the lock up only when nothing is waiting. Checking
 * and releasing in one step closes the gap in which a new item could arrive after the
 * holder looked and before it let go (its own drain job would then find the lock held).
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
