import type { Redis } from 'ioredis';
import { z } from 'zod';
import { CHANNELS, type Channel, channelOf } from '../core/messages/channel.ts';
import { LuaScript } from '../redis/lua-script.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { findAudience, matchesActivity } from './audience.ts';
import {
  BROADCAST_STATES,
  SKIP_REASONS,
  broadcastDefinitionSchema,
  type BroadcastDefinition,
  type BroadcastState,
  type SkipReason,
} from './broadcast.ts';
import type { ContactBook } from './contact-book.ts';

const TRANSITION = LuaScript.fromFile(new URL('./lua/broadcast-transition.lua', import.meta.url));
const COMPLETE = LuaScript.fromFile(new URL('./lua/broadcast-complete.lua', import.meta.url));
const CONFIRM = LuaScript.fromFile(new URL('./lua/broadcast-confirm.lua', import.meta.url));

/** What a platform reports about a message it got. */
export type PlatformStatus = 'sent' | 'delivered' | 'read' | 'failed';

/** A request the broadcast's state or the staff's rights do not allow: `status` is the HTTP status to answer with. */
export class BroadcastError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A broadcast as stored: what was written, where it is in its life, and who moved it there. */
export interface BroadcastRecord {
  definition: BroadcastDefinition;
  state: BroadcastState;
  createdBy: string;
  createdAt: string;
  approvedBy?: string | undefined;
  approvedAt?: string | undefined;
  startedBy?: string | undefined;
  startedAt?: string | undefined;
  finishedAt?: string | undefined;
  /** How many recipients the plan found when sending began. */
  targeted?: number | undefined;
}

/** Where a broadcast has got to. */
export interface BroadcastProgress {
  id: string;
  state: BroadcastState;
  targeted: number;
  sent: number;
  failed: number;
  skipped: Record<SkipReason, number>;
  /** Recipients deferred at least once, by why: quiet hours where they are, or their weekly limit. */
  deferred: { quiet_hours: number; weekly_limit: number };
  /** What platforms that report it (WhatsApp Cloud) said was delivered, and read. */
  delivered: number;
  read: number;
  /** Still to send, and being sent now. */
  pending: number;
  inFlight: number;
  /** Cut off by a crash while being sent: waiting for the platform's report before they count as sent or go again. */
  unconfirmed: number;
  /** Seconds until the last recipient's turn, at the pace so far; null before a pace is known. */
  etaSeconds: number | null;
}

const storedSchema = z.object({
  definition: z.string(),
  state: z.enum(BROADCAST_STATES),
  created_by: z.string(),
  created_at: z.string(),
  approved_by: z.string().optional(),
  approved_at: z.string().optional(),
  started_by: z.string().optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  targeted: z.coerce.number().int().nonnegative().optional(),
});

/** How many recipients one pipeline of writes carries while planning. */
const PLAN_CHUNK = 5_000;

/** The keys of one broadcast; all under the contact book's {hashtag}, like the contacts they point to. */
export class BroadcastKeys {
  readonly base: string;
  constructor(
    keys: RedisKeys,
    readonly id: string,
  ) {
    this.base = `${keys.alertsBase()}broadcast:${id}`;
  }
  get record(): string {
    return this.base;
  }
  get counts(): string {
    return `${this.base}:counts`;
  }
  get audit(): string {
    return `${this.base}:audit`;
  }
  get sent(): string {
    return `${this.base}:sent`;
  }
  get deferred(): string {
    return `${this.base}:deferred`;
  }
  /** Recipients the platform said it delivered, and read (bitmaps by contact number; WhatsApp Cloud reports them). */
  get delivered(): string {
    return `${this.base}:delivered`;
  }
  get read(): string {
    return `${this.base}:read`;
  }
  get interrupted(): string {
    return `${this.base}:interrupted`;
  }
  /** Recipients the platform reported on, whatever the report (bitmap by contact number): it got their message. */
  get reported(): string {
    return `${this.base}:reported`;
  }
  /** Recipients whose sending was cut off by a crash, waiting for the platform's report until a deadline (sorted set). */
  unconfirmed(channel: Channel): string {
    return `${this.base}:unconfirmed:${channel}`;
  }
  pending(channel: Channel): string {
    return `${this.base}:pending:${channel}`;
  }
  inFlight(channel: Channel): string {
    return `${this.base}:in-flight:${channel}`;
  }
}

/**
 * Broadcasts: their definitions, life (draft -> approved -> scheduled/sending -> done, or
 * paused, or cancelled), who did what (an audit trail per broadcast), and the plan of who
 * gets each. A broadcast to more than `approvalThreshold` people is sent only once a
 * second staff member, not its author, approved it.
 */
export class BroadcastStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly book: ContactBook,
    private readonly settings: { approvalThreshold: number; languages: readonly string[] },
  ) {}

  keysOf(id: string): BroadcastKeys {
    return new BroadcastKeys(this.keys, id);
  }

  /** Broadcasts by creation time. */
  private get index(): string {
    return `${this.keys.alertsBase()}broadcasts`;
  }

  /** Broadcasts a dispatcher must look at: scheduled, sending or paused. */
  get activeSet(): string {
    return `${this.keys.alertsBase()}broadcasts:active`;
  }

  /** Checks and stores a new draft. The same definition again is no error; a different one under its id is. */
  async create(input: unknown, by: string, now: Date): Promise<{ created: boolean; record: BroadcastRecord }> {
    const parsed = broadcastDefinitionSchema.safeParse(input);
    if (!parsed.success) throw new BroadcastError(400, describe(parsed.error));
    const definition = parsed.data;
    const missing = this.settings.languages.filter((language) => definition.text[language] === undefined);
    if (missing.length > 0 && definition.fallback_language === undefined) {
      throw new BroadcastError(400, `text: no text in ${missing.map((language) => `"${language}"`).join(', ')}, and no fallback_language`);
    }
    const k = this.keysOf(definition.id);
    const json = JSON.stringify(definition);
    const created = await this.redis.hsetnx(k.record, 'definition', json);
    if (created === 0) {
      const existing = await this.get(definition.id);
      if (existing && JSON.stringify(existing.definition) === json) return { created: false, record: existing };
      throw new BroadcastError(409, `a different broadcast already has the id "${definition.id}"`);
    }
    await this.redis
      .multi()
      .hset(k.record, { state: 'draft', created_by: by, created_at: now.toISOString() })
      .zadd(this.index, now.getTime(), definition.id)
      .xadd(k.audit, '*', 'at', now.toISOString(), 'by', by, 'event', 'created', 'from', '', 'to', 'draft')
      .exec();
    return { created: true, record: (await this.get(definition.id)) as BroadcastRecord };
  }

  async get(id: string): Promise<BroadcastRecord | undefined> {
    const stored = storedSchema.safeParse(await this.redis.hgetall(this.keysOf(id).record));
    if (!stored.success) return undefined;
    const definition = broadcastDefinitionSchema.safeParse(safeJson(stored.data.definition));
    if (!definition.success) return undefined;
    const s = stored.data;
    return {
      definition: definition.data,
      state: s.state,
      createdBy: s.created_by,
      createdAt: s.created_at,
      ...(s.approved_by ? { approvedBy: s.approved_by, approvedAt: s.approved_at } : {}),
      ...(s.started_by ? { startedBy: s.started_by, startedAt: s.started_at } : {}),
      ...(s.finished_at ? { finishedAt: s.finished_at } : {}),
      ...(s.targeted !== undefined ? { targeted: s.targeted } : {}),
    };
  }

  async list(): Promise<BroadcastRecord[]> {
    const ids = await this.redis.zrange(this.index, 0, -1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record): record is BroadcastRecord => record !== undefined);
  }

  /** Ids of broadcasts scheduled, sending or paused. */
  async activeIds(): Promise<string[]> {
    return this.redis.smembers(this.activeSet);
  }

  /** Who the broadcast would reach now, per channel: opted-in contacts its target finds. */
  async audience(definition: BroadcastDefinition): Promise<Map<Channel, number[]>> {
    const byChannel = new Map<Channel, number[]>();
    const channels = definition.target.channels ?? CHANNELS;
    for (const channel of channels) {
      let numbers = await findAudience(this.book, { ...definition.target, channels: [channel] });
      if (definition.target.activeSince && numbers.length > 0) {
        const active: number[] = [];
        for (let start = 0; start < numbers.length; start += PLAN_CHUNK) {
          const chunk = numbers.slice(start, start + PLAN_CHUNK);
          const days = await this.book.lastActiveDays(chunk);
          active.push(...chunk.filter((_, index) => matchesActivity(definition.target, days[index])));
        }
        numbers = active;
      }
      if (numbers.length > 0) byChannel.set(channel, numbers);
    }
    return byChannel;
  }

  /** A second staff member's approval: never the author's own. */
  async approve(id: string, by: string, now: Date): Promise<BroadcastRecord> {
    const record = await this.require(id);
    if (record.createdBy === by) throw new BroadcastError(403, `${by} wrote this broadcast: another staff member must approve it`);
    return this.move(id, ['draft'], 'approved', by, now, 'approved', { approved_by: by, approved_at: now.toISOString() });
  }

  /**
   * Plans the sending: every recipient goes on their channel's pending list, due at the send
   * time. Only a draft or an approved broadcast is sent; above the approval threshold, only
   * an approved one. Planning twice (a crash halfway) adds nobody twice.
   */
  async send(id: string, by: string, now: Date): Promise<BroadcastRecord> {
    const record = await this.require(id);
    if (record.state !== 'draft' && record.state !== 'approved') throw new BroadcastError(409, `the broadcast is ${record.state}`);
    const audience = await this.audience(record.definition);
    const targeted = [...audience.values()].reduce((sum, numbers) => sum + numbers.length, 0);
    if (targeted > this.settings.approvalThreshold && record.state !== 'approved') {
      throw new BroadcastError(
        403,
        `it would reach ${targeted} people, more than ${this.settings.approvalThreshold}: a second staff member must approve it first`,
      );
    }
    const { send_at: sendAt } = record.definition;
    const due = sendAt ? Math.max(Date.parse(sendAt), now.getTime()) : now.getTime();
    const k = this.keysOf(id);
    for (const [channel, numbers] of audience) {
      for (let start = 0; start < numbers.length; start += PLAN_CHUNK) {
        const members = numbers.slice(start, start + PLAN_CHUNK).flatMap((number) => [due, number]);
        // NX: planning again keeps a recipient's deferral.
        await this.redis.zadd(k.pending(channel), 'NX', ...members);
      }
    }
    await this.redis.hset(k.counts, 'targeted', targeted);
    const state = sendAt && Date.parse(sendAt) > now.getTime() ? 'scheduled' : 'sending';
    return this.move(id, ['draft', 'approved'], state, by, now, 'send', {
      started_by: by,
      started_at: now.toISOString(),
      targeted: String(targeted),
    });
  }

  async pause(id: string, by: string, now: Date): Promise<BroadcastRecord> {
    return this.move(id, ['scheduled', 'sending'], 'paused', by, now, 'paused', {});
  }

  async resume(id: string, by: string, now: Date): Promise<BroadcastRecord> {
    return this.move(id, ['paused'], 'sending', by, now, 'resumed', {});
  }

  /** Stops it: nobody else is sent to; those being sent to this instant finish. */
  async cancel(id: string, by: string, now: Date): Promise<BroadcastRecord> {
    const record = await this.move(id, ['draft', 'approved', 'scheduled', 'sending', 'paused'], 'cancelled', by, now, 'cancelled', {});
    const k = this.keysOf(id);
    for (const channel of CHANNELS) await this.dropPending(k, channel, 'cancelled');
    return record;
  }

  /** Everyone still pending on a channel is counted as skipped for `reason` (cancelled, expired) and dropped. */
  async dropPending(k: BroadcastKeys, channel: Channel, reason: SkipReason): Promise<number> {
    const [[, count]] = ((await this.redis.multi().zcard(k.pending(channel)).del(k.pending(channel)).exec()) ?? []) as [[unknown, number]];
    if (count > 0) await this.redis.hincrby(k.counts, `skipped:${reason}`, count);
    return count;
  }

  /** A sending broadcast with nobody left to send to becomes done. */
  async completeIfFinished(id: string, now: Date): Promise<boolean> {
    const k = this.keysOf(id);
    const lists = CHANNELS.flatMap((channel) => [k.pending(channel), k.inFlight(channel), k.unconfirmed(channel)]);
    return (await COMPLETE.run(this.redis, [k.record, this.activeSet, k.audit, ...lists], [id, now.toISOString()])) === 1;
  }

  /**
   * A broadcast as it should be now: one that was scheduled moves to sending once its time
   * has come. Reads the record once, and again only when it moved.
   */
  async current(id: string, now: Date): Promise<BroadcastRecord | undefined> {
    const record = await this.get(id);
    if (record?.state !== 'scheduled') return record;
    const sendAt = record.definition.send_at;
    if (sendAt && Date.parse(sendAt) > now.getTime()) return record;
    // Another process may have moved it first: then it is read as that one left it.
    return this.move(id, ['scheduled'], 'sending', 'system', now, 'started', {}).catch(() => this.get(id));
  }

  async progress(id: string, now: Date): Promise<BroadcastProgress> {
    const record = await this.require(id);
    const k = this.keysOf(id);
    const pipeline = this.redis.pipeline().hgetall(k.counts);
    for (const channel of CHANNELS) pipeline.zcard(k.pending(channel)).hlen(k.inFlight(channel)).zcard(k.unconfirmed(channel));
    for (const channel of CHANNELS) pipeline.zrange(k.pending(channel), -1, -1, 'WITHSCORES');
    const results = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const counts = results[0] as Record<string, string>;
    const count = (name: string) => Number(counts[name] ?? 0);
    let pending = 0;
    let inFlight = 0;
    let unconfirmed = 0;
    for (let index = 0; index < CHANNELS.length; index++) {
      pending += results[1 + index * 3] as number;
      inFlight += results[2 + index * 3] as number;
      unconfirmed += results[3 + index * 3] as number;
    }
    const lastDue = Math.max(0, ...results.slice(1 + CHANNELS.length * 3).map((last) => Number((last as string[])[1] ?? 0)));
    const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, count(`skipped:${reason}`)])) as Record<SkipReason, number>;
    const done = count('sent') + count('failed') + Object.values(skipped).reduce((sum, value) => sum + value, 0);
    const elapsedS = record.startedAt ? (now.getTime() - Date.parse(record.startedAt)) / 1000 : 0;
    const remaining = pending + inFlight + unconfirmed;
    let etaSeconds: number | null = remaining === 0 ? 0 : null;
    if (remaining > 0 && done > 0 && elapsedS > 0) etaSeconds = Math.ceil(remaining / (done / elapsedS));
    if (remaining > 0 && lastDue > now.getTime()) etaSeconds = Math.max(etaSeconds ?? 0, Math.ceil((lastDue - now.getTime()) / 1000));
    return {
      id,
      state: record.state,
      targeted: count('targeted'),
      sent: count('sent'),
      failed: count('failed'),
      skipped,
      deferred: { quiet_hours: count('deferred:quiet_hours'), weekly_limit: count('deferred:weekly_limit') },
      delivered: count('delivered'),
      read: count('read'),
      pending,
      inFlight,
      unconfirmed,
      etaSeconds,
    };
  }

  /**
   * A platform's report on a broadcast message ("bc-<id>" is what it was tagged with). Any
   * report says the platform got the message, which settles a send a crash cut off (see
   * BroadcastQueue); delivered and read are counted once per recipient, a read one as
   * delivered too.
   */
  async recordStatus(tag: string, conversationId: string, status: PlatformStatus): Promise<void> {
    if (!tag.startsWith('bc-')) return;
    const k = this.keysOf(tag.slice('bc-'.length));
    const number = await this.redis.hget(this.keys.alertContactNumbers(), conversationId);
    if (number === null || (await this.redis.exists(k.record)) === 0) return;
    await CONFIRM.run(this.redis, [k.reported, k.unconfirmed(channelOf(conversationId)), k.sent, k.counts], [number]);
    if (status !== 'delivered' && status !== 'read') return;
    for (const kind of status === 'read' ? (['delivered', 'read'] as const) : (['delivered'] as const)) {
      if ((await this.redis.setbit(k[kind], Number(number), 1)) === 0) await this.redis.hincrby(k.counts, kind, 1);
    }
  }

  /** Who did what, oldest first. */
  async auditTrail(id: string): Promise<{ at: string; by: string; event: string; from: string; to: string }[]> {
    const entries = await this.redis.xrange(this.keysOf(id).audit, '-', '+');
    return entries.map(([, fields]) => {
      const value = (name: string) => fields[fields.indexOf(name) + 1] ?? '';
      return { at: value('at'), by: value('by'), event: value('event'), from: value('from'), to: value('to') };
    });
  }

  private async require(id: string): Promise<BroadcastRecord> {
    const record = await this.get(id);
    if (!record) throw new BroadcastError(404, `no broadcast "${id}"`);
    return record;
  }

  private async move(
    id: string,
    from: readonly BroadcastState[],
    to: BroadcastState,
    by: string,
    now: Date,
    event: string,
    fields: Record<string, string>,
  ): Promise<BroadcastRecord> {
    const k = this.keysOf(id);
    const result = (await TRANSITION.run(
      this.redis,
      [k.record, this.activeSet, k.audit],
      [from.join(','), to, id, by, now.toISOString(), event, ...Object.entries(fields).flat()],
    )) as [number, string] | null;
    if (!result) throw new BroadcastError(404, `no broadcast "${id}"`);
    if (result[0] !== 1) throw new BroadcastError(409, `the broadcast is ${result[1]}: it cannot be ${event} now`);
    return (await this.get(id)) as BroadcastRecord;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A definition's problems, one per line, each naming its field. */
export function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(broadcast)'}: ${issue.message}`).join('\n');
}
