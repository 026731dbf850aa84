import type { Redis } from 'ioredis';
import { LuaScript } from '../../redis/lua-script.ts';

/**
 * KEYS: bucket. ARGV: interval (ms per message), tolerance (ms of burst), cost, pause (ms),
 * most wait (ms; -1 for no limit). The generic cell rate algorithm, reserving: returns how
 * long the caller must wait before sending `cost` messages, and books them; when that wait
 * is longer than the most it may book ahead, books nothing and returns -(wait + 1), so the
 * caller waits and asks again. A pause (after a 429) pushes the bucket's theoretical
 * arrival time past now + pause, so every sender of the channel waits. Redis's own clock
 * keeps several processes consistent.
 */
const RESERVE = new LuaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local pause = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
if pause > 0 then
  local paused = now + pause + tolerance
  if paused > tat then tat = paused end
  redis.call('SET', KEYS[1], tat, 'PX', math.ceil(math.max(1, tat - now + 1000)))
  return 0
end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local most = tonumber(ARGV[5])
if most >= 0 and wait > most then return -math.ceil(wait) - 1 end
local newTat = tat + interval * cost
redis.call('SET', KEYS[1], newTat, 'PX', math.ceil(math.max(1, newTat - now + 1000)))
return math.ceil(wait)
`);

export interface Pace {
  /** Messages per second; 0 means no limit. */
  perSecond: number;
  /** Messages allowed at once before the pace applies. */
  burst: number;
}

/** A token bucket in Redis shared by every process that sends on a channel. */
export class PaceLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly pace: Pace,
  ) {}

  /** Books `cost` messages; returns how many milliseconds to wait before sending them. */
  async take(cost: number): Promise<number> {
    return Number(await RESERVE.run(this.redis, [this.key], [this.interval, this.tolerance, cost, 0, -1]));
  }

  /**
   * Books `cost` messages only if they may go now (within the burst): returns 0 when
   * booked, else how many milliseconds until they might, booking nothing. Senders that can
   * wait use this, so the bucket never fills with their bookings ahead of an urgent one.
   * `reserve`: slots left free for others (see below).
   */
  async takeNow(cost: number, reserve = 0): Promise<{ booked: boolean; waitMs: number }> {
    // With a reserve, the slot is booked only if `reserve` more could still go at once after
    // it: what waits with a reserve goes after everything that waits without one.
    const tolerance = Math.max(0, this.tolerance - this.interval * reserve);
    const result = Number(await RESERVE.run(this.redis, [this.key], [this.interval, tolerance, cost, 0, 0]));
    return result >= 0 ? { booked: true, waitMs: result } : { booked: false, waitMs: -result - 1 };
  }

  /** Nobody sends on this bucket for `ms` (a platform's Retry-After). */
  async pause(ms: number): Promise<void> {
    await RESERVE.run(this.redis, [this.key], [this.interval, this.tolerance, 0, Math.max(1, ms), -1]);
  }

  /** Milliseconds per message; 0 without a limit (the bucket then only carries pauses). */
  private get interval(): number {
    return this.pace.perSecond > 0 ? 1000 / this.pace.perSecond : 0;
  }

  private get tolerance(): number {
    return this.interval * Math.max(0, this.pace.burst - 1);
  }
}
