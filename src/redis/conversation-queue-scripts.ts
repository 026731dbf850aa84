import { RELEASE } from './lock-release.ts';
import { composed, localFunctions, LuaScript, readLuaFile } from './lua-script.ts';

/**
 * Lua scripts behind ConversationQueue, each in lua/ with its KEYS, ARGV and result. Each
 * touches the keys of one conversation only (they share a {hashtag}), so they run
 * atomically and stay valid on Redis Cluster. The lock's plain release is lock-release.ts's.
 */

/** Queues an item unless a delivery of it was queued before (lua/enqueue-once.lua). */
export const ENQUEUE_ONCE = LuaScript.fromFile(new URL('./lua/enqueue-once.lua', import.meta.url));

/** Takes a conversation's lock and reads its head item and the handler's keys (lua/acquire.lua). */
export const ACQUIRE = LuaScript.fromFile(new URL('./lua/acquire.lua', import.meta.url));

/** A write that writes nothing, for an acknowledgement that carries none (lua/no-write.lua). */
const NO_WRITE = LuaScript.fromFile(new URL('./lua/no-write.lua', import.meta.url));

/** What every acknowledgement runs after its write (lua/ack-head.lua). */
const ACK_HEAD = readLuaFile(new URL('./lua/ack-head.lua', import.meta.url));

/**
 * Removes a handled head item with the handler's write in the same atomic step, then reads
 * ahead for the next item or gives the lock up: lua/ack-head.lua, after the write as the
 * function `write`. Built once per kind of write.
 */
export function ackHead(write: LuaScript = NO_WRITE): LuaScript {
  return composed([write], ackHeadSource);
}

function ackHeadSource([write]: readonly LuaScript[]): string {
  return localFunctions({ write: write! }) + ACK_HEAD;
}

/** Gives the lock up only when no item waits (lua/release-if-empty.lua). */
export const RELEASE_IF_EMPTY = LuaScript.fromFile(new URL('./lua/release-if-empty.lua', import.meta.url), { release: RELEASE });

/** Sets the head item aside on the conversation's dead list (lua/set-aside.lua). */
export const SET_ASIDE = LuaScript.fromFile(new URL('./lua/set-aside.lua', import.meta.url));
