import type { Redis } from 'ioredis';
import { LuaScript } from '../../redis/lua-script.ts';

/** Books messages on a bucket, or pauses it, with the generic cell rate algorithm (lua/reserve.lua). */
const RESERVE = LuaScript.fromFile(new URL('./lua/reserve.lua', import.meta.url));

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
