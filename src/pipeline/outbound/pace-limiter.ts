import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../redis/redis-keys.ts';
import { LuaScript } from '../../redis/lua-script.ts';

/** Books messages on a bucket, or pauses it, with the generic cell rate algorithm (lua/reserve.lua). */
const RESERVE = LuaScript.fromFile(new URL('./lua/reserve.lua', import.meta.url));

/** Platforms count their limit over the last second. */
export const PLATFORM_WINDOW_MS = 1000;

export interface Pace {
  /** Messages per second; 0 means no limit. */
  perSecond: number;
  /** Messages allowed at once before the pace applies. */
  burst: number;
}

/** The log of a channel's sends, and the most it may hold in one window. */
interface SentLog {
  key: string;
  mostInWindow: number;
}

/** A token bucket in Redis shared by every process that sends on a channel. */
export class PaceLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly pace: Pace,
    private readonly sent?: SentLog,
  ) {}

  /**
   * The bucket of a whole channel, shared by every sender on it: besides its rate and
   * burst, it keeps to the platform's count of the last second (a burst on top of a full
   * second is what a platform refuses).
   */
  static forChannel(redis: Redis, keys: RedisKeys, channel: string, pace: Pace): PaceLimiter {
    // One message under the limit: a message is counted when booked, just before the
    // platform is called, and a pause in this process can still bunch two into one second.
    const mostInWindow = Math.max(1, Math.floor(pace.perSecond) - 1);
    const sent = pace.perSecond > 0 ? { key: keys.channelPace(channel, 'sent'), mostInWindow } : undefined;
    return new PaceLimiter(redis, keys.channelPace(channel, 'all'), pace, sent);
  }

  /** Books `cost` messages; returns how many milliseconds to wait before sending them. */
  async take(cost: number): Promise<number> {
    return Number(await this.reserve(cost, 0, -1, this.tolerance));
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
    const result = Number(await this.reserve(cost, 0, 0, tolerance));
    return result >= 0 ? { booked: true, waitMs: result } : { booked: false, waitMs: -result - 1 };
  }

  /** Nobody sends on this bucket for `ms` (a platform's Retry-After). */
  async pause(ms: number): Promise<void> {
    await this.reserve(0, Math.max(1, ms), -1, this.tolerance);
  }

  private reserve(cost: number, pause: number, mostWait: number, tolerance: number): Promise<unknown> {
    const args = [this.interval, tolerance, cost, pause, mostWait];
    if (!this.sent || pause > 0) return RESERVE.run(this.redis, [this.key], args);
    return RESERVE.run(this.redis, [this.key, this.sent.key], [...args, this.sent.mostInWindow, PLATFORM_WINDOW_MS]);
  }

  /** Milliseconds per message; 0 without a limit (the bucket then only carries pauses). */
  private get interval(): number {
    return this.pace.perSecond > 0 ? 1000 / this.pace.perSecond : 0;
  }

  private get tolerance(): number {
    return this.interval * Math.max(0, this.pace.burst - 1);
  }
}
