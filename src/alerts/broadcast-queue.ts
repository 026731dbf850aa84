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
const UNCONFIRMED_DUE = LuaScript.fromFile(new URL('./lua/broadcast-unconfirmed-due.lua', import.meta.url));

export type RecipientOutcome = 'sent' | 'failed' | `skipped:${SkipReason}`;

/** How long a sending process's heartbeat lives: past it, others take back what it held. */
export const HEARTBEAT_TTL_MS = 10_000;

/** Channels whose platform reports on every broadcast message it got, and how long to wait for that report. */
export interface PlatformReports {
  channels: ReadonlySet<Channel>;
  waitMs: number;
}

/** Recipients whose wait for a report ended, settled in one call at most. */
const DUE_AT_ONCE = 500;

/**
 * The recipients of broadcasts as work: each recipient is claimed by one sending process,
 * marked just before the platform is called, and finished exactly once. A process that
 * dies leaves a heartbeat that expires: what it had only claimed goes back to pending.
 * What it was sending at that instant may have reached the platform, and neither Telegram
 * nor WhatsApp takes an idempotency key. Where the platform reports on every message it
 * got (WhatsApp Cloud's status webhooks, tagged with the broadcast), the report settles
 * it: a recipient with a report was sent; one with none by the deadline never reached the
 * platform and is sent again. Elsewhere it is counted as interrupted and never sent again.
 */
export class BroadcastQueue {
  /** This process, as owner of what it claims. */
  readonly owner = `s${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly reports: PlatformReports = { channels: new Set(), waitMs: 0 },
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
    const keys = [k.inFlight(channel), k.sent, k.counts, k.interrupted, k.unconfirmed(channel)];
    return (await FINISH.run(this.redis, keys, [number, outcome, this.owner])) === 1;
  }

  async defer(k: BroadcastKeys, channel: Channel, number: number, atMs: number, why: 'quiet_hours' | 'weekly_limit'): Promise<void> {
    await DEFER.run(this.redis, [k.inFlight(channel), k.pending(channel), k.deferred, k.counts], [number, atMs, `deferred:${why}`]);
  }

  /** Puts a recipient this process claimed, but could not handle (Redis away), back on pending; false when it was no longer only claimed. */
  async release(k: BroadcastKeys, channel: Channel, number: number, nowMs: number): Promise<boolean> {
    const args = [number, `${this.owner}:claimed`, nowMs, '0', '0'];
    return (await RECOVER.run(this.redis, recoverKeys(k, channel), args)) === 'pending';
  }

  /**
   * Takes back what dead processes held in this broadcast, and this process's own orphans
   * (held in Redis, but not being worked on here: `working` says what is, as
   * `channel:number`), and settles recipients whose wait for the platform's report ended.
   */
  async recover(k: BroadcastKeys, nowMs: number, working: ReadonlySet<string>): Promise<RecoveryCounts> {
    const found: RecoveryCounts = { pending: 0, sent: 0, unconfirmed: 0, interrupted: 0, sentAgain: 0 };
    for (const channel of this.reports.channels) await this.settleUnconfirmed(k, channel, nowMs, found);
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
        const reportBy = this.reports.channels.has(channel) ? nowMs + this.reports.waitMs : 0;
        const result = await RECOVER.run(this.redis, recoverKeys(k, channel), [number, value, nowMs, orphan ? '1' : '0', reportBy]);
        if (typeof result === 'string' && result in found) found[result as keyof RecoveryCounts] += 1;
      }
    }
    return found;
  }

  /** Recipients past their deadline for a report: sent if one came, else back to pending (the platform never got them). */
  private async settleUnconfirmed(k: BroadcastKeys, channel: Channel, nowMs: number, found: RecoveryCounts): Promise<void> {
    for (;;) {
      const [sent, again] = (await UNCONFIRMED_DUE.run(
        this.redis,
        [k.unconfirmed(channel), k.pending(channel), k.reported, k.sent, k.counts],
        [nowMs, DUE_AT_ONCE],
      )) as [number, number];
      found.sent += sent;
      found.sentAgain += again;
      if (sent + again < DUE_AT_ONCE) return;
    }
  }
}

export interface RecoveryCounts {
  /** Only claimed when their process died: back to pending. */
  pending: number;
  /** Being sent when their process died, and the platform reported it got them. */
  sent: number;
  /** Being sent when their process died, now waiting for the platform's report. */
  unconfirmed: number;
  /** Being sent when their process died, on a channel that reports nothing: not sent again. */
  interrupted: number;
  /** Waited for a report that never came: the platform never got them, so they are sent again. */
  sentAgain: number;
}

function recoverKeys(k: BroadcastKeys, channel: Channel): string[] {
  return [k.inFlight(channel), k.pending(channel), k.interrupted, k.counts, k.unconfirmed(channel), k.reported, k.sent];
}
