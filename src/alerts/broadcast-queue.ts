import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CHANNELS, type Channel } from '../core/messages/channel.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { SkipReason } from './broadcast.ts';
import type { BroadcastKeys } from './broadcast-store.ts';

const CLAIM = LuaScript.fromFile(new URL('./lua/broadcast-claim.lua', import.meta.url));
const SENDING = LuaScript.fromFile(new URL('./lua/broadcast-sending.lua', import.meta.url));
const FINISH = LuaScript.fromFile(new URL('./lua/broadcast-finish.lua', import.meta.url));
const DEFER = LuaScript.fromFile(new URL('./lua/broadcast-defer.lua', import.meta.url));
const RECOVER = LuaScript.fromFile(new URL('./lua/broadcast-recover.lua', import.meta.url));

export type RecipientOutcome = 'sent' | 'failed' | `skipped:${SkipReason}`;

/** How long a sending process's heartbeat lives: past it, others take back what it held. */
export const HEARTBEAT_TTL_MS = 10_000;

/**
 * The recipients of broadcasts as work: each recipient is claimed by one sending process,
 * marked just before the platform is called, and finished exactly once. A process that
 * dies leaves a heartbeat that expires: what it had only claimed goes back to pending;
 * what it was sending at that instant is counted as interrupted and never sent again, as
 * the platform may have it already (Telegram and WhatsApp take no idempotency key).
 */
export class BroadcastQueue {
  /** This process, as owner of what it claims. */
  readonly owner = `s${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  private heartbeatKey(owner: string): string {
    return `${this.keys.alertsBase()}broadcast-sender:${owner}`;
  }

  /** Says this process is alive; call at least every HEARTBEAT_TTL_MS / 3. */
  async beat(): Promise<void> {
    await this.redis.set(this.heartbeatKey(this.owner), '1', 'PX', HEARTBEAT_TTL_MS);
  }

  async claim(k: BroadcastKeys, channel: Channel, nowMs: number): Promise<number | undefined> {
    const number = await CLAIM.run(this.redis, [k.pending(channel), k.inFlight(channel), k.sent], [nowMs, this.owner]);
    return typeof number === 'number' ? number : undefined;
  }

  /** The platform is about to be called: false when the recipient is no longer this process's. */
  async markSending(k: BroadcastKeys, channel: Channel, number: number): Promise<boolean> {
    return (await SENDING.run(this.redis, [k.inFlight(channel)], [number, this.owner])) === 1;
  }

  async finish(k: BroadcastKeys, channel: Channel, number: number, outcome: RecipientOutcome): Promise<boolean> {
    return (await FINISH.run(this.redis, [k.inFlight(channel), k.sent, k.counts, k.interrupted], [number, outcome])) === 1;
  }

  async defer(k: BroadcastKeys, channel: Channel, number: number, atMs: number, why: 'quiet_hours' | 'weekly_limit'): Promise<void> {
    await DEFER.run(this.redis, [k.inFlight(channel), k.pending(channel), k.deferred, k.counts], [number, atMs, `deferred:${why}`]);
  }

  /** Puts a recipient this process claimed, but could not handle (Redis away), back on pending; false when it was no longer only claimed. */
  async release(k: BroadcastKeys, channel: Channel, number: number, nowMs: number): Promise<boolean> {
    const args = [number, `${this.owner}:claimed`, nowMs, '0'];
    return (await RECOVER.run(this.redis, [k.inFlight(channel), k.pending(channel), k.interrupted, k.counts], args)) === 'pending';
  }

  /**
   * Takes back what dead processes held in this broadcast, and this process's own orphans
   * (held in Redis, but not being worked on here: `working` says what is, as
   * `channel:number`). Returns how many went back to pending and how many were interrupted.
   */
  async recover(k: BroadcastKeys, nowMs: number, working: ReadonlySet<string>): Promise<{ pending: number; interrupted: number }> {
    const found = { pending: 0, interrupted: 0 };
    for (const channel of CHANNELS) {
      const held = await this.redis.hgetall(k.inFlight(channel));
      const owners = [...new Set(Object.values(held).map((value) => value.slice(0, value.lastIndexOf(':'))))];
      if (owners.length === 0) continue;
      const alive = await Promise.all(owners.map(async (owner) => (await this.redis.exists(this.heartbeatKey(owner))) === 1));
      const dead = new Set(owners.filter((_, index) => !alive[index]));
      for (const [number, value] of Object.entries(held)) {
        const owner = value.slice(0, value.lastIndexOf(':'));
        const orphan = owner === this.owner && !working.has(`${channel}:${number}`);
        if (!dead.has(owner) && !orphan) continue;
        const result = await RECOVER.run(
          this.redis,
          [k.inFlight(channel), k.pending(channel), k.interrupted, k.counts],
          [number, value, nowMs, orphan ? '1' : '0'],
        );
        if (result === 'pending') found.pending += 1;
        if (result === 'interrupted') found.interrupted += 1;
      }
    }
    return found;
  }
}
