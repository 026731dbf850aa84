import type { Redis } from 'ioredis';
import { type BroadcastDefinition, textFor } from '../alerts/broadcast.ts';
import { BroadcastQueue, HEARTBEAT_TTL_MS, type PlatformReports, type RecipientOutcome } from '../alerts/broadcast-queue.ts';
import type { BroadcastKeys, BroadcastStore } from '../alerts/broadcast-store.ts';
import type { Contact, ContactBook } from '../alerts/contact-book.ts';
import { isQuiet, nextSendableAt } from '../alerts/quiet-hours.ts';
import type { BeforeEachSend, DeliveryResult } from '../core/channel-sender.ts';
import type { Logger } from '../core/log/logger.ts';
import { CHANNELS, type Channel } from '../core/messages/channel.ts';
import { flowButtonId, type OutboundBatch } from '../core/messages/reply.ts';
import { RetryAfterError } from '../core/retry-after-error.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import type { ChannelPacing } from './outbound/paced-sender.ts';
import { BroadcastPacer } from './outbound/broadcast-pacer.ts';
import type { PelitaMetrics } from './pelita-metrics.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** How often a sending process looks at the broadcasts' states (cancel and pause take effect within it). */
const LOOK_EVERY_MS = 250;
/** How often processes that died are looked for. */
const RECOVER_EVERY_MS = 2_000;
/** Tries of one recipient on errors other than "too many requests", before it is counted as failed. */
const ATTEMPTS = 3;

/** How a broadcast reaches one channel: its platform sender (without the reply pace: the dispatcher keeps its own) and its pace. */
export interface BroadcastRoute {
  deliver(batch: OutboundBatch, beforeEachSend?: BeforeEachSend): Promise<DeliveryResult>;
  pacing: ChannelPacing;
}

export interface BroadcastDispatcherSettings {
  /** Recipients in flight at once per channel in this process: platforms answer in 100-500 ms, so one at a time would not reach their pace. */
  concurrencyPerChannel: number;
  /** The share of each channel's rate broadcasts leave to live conversations, whose replies also always go first. */
  liveShare: number;
  /** At most this many alerts a week to one person (what the consent says). */
  perWeek: number;
  /** Channels whose platform reports on every message it got: a send cut off by a crash is settled by that report. */
  platformReports?: PlatformReports;
}

interface Sendable {
  id: string;
  k: BroadcastKeys;
  definition: BroadcastDefinition;
}

/**
 * Sends broadcasts: for each channel, a few loops claim the next due recipient of any
 * broadcast being sent, check them (still subscribed, not in their quiet hours, within
 * their weekly limit, a text in their language), wait for a slot the channel can spare,
 * and send. Live replies go first: a broadcast takes a slot only while no reply waits on
 * the channel, leaves room in every second for more, and uses at most (1 - liveShare) of
 * the channel's rate (outbound/broadcast-pacer.ts).
 * Every process that has the channels runs one; they share the work through Redis.
 */
export class BroadcastDispatcher {
  private readonly queue: BroadcastQueue;
  private running = false;
  private loops: Promise<void>[] = [];
  private sendable: Sendable[] = [];
  private turn = 0;
  /** Recipients this process is handling now, per broadcast, as `channel:number`. */
  private readonly working = new Map<string, Set<string>>();
  private readonly pacers = new Map<Channel, BroadcastPacer>();

  constructor(
    private readonly deps: {
      redis: Redis;
      keys: RedisKeys;
      store: BroadcastStore;
      book: ContactBook;
      routes: ReadonlyMap<Channel, BroadcastRoute>;
      /** Where the contact is, for their quiet hours (an IANA zone). */
      timeZoneOf: (contact: Contact) => string;
      settings: BroadcastDispatcherSettings;
      metrics?: PelitaMetrics | undefined;
      log: Logger;
    },
  ) {
    this.queue = new BroadcastQueue(deps.redis, deps.keys, deps.settings.platformReports);
    for (const [channel, route] of deps.routes) {
      this.pacers.set(channel, new BroadcastPacer(deps.redis, deps.keys, channel, route.pacing, deps.settings.liveShare));
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops.push(this.keepLooking());
    for (const channel of this.deps.routes.keys()) {
      for (let i = 0; i < this.deps.settings.concurrencyPerChannel; i++) this.loops.push(this.sendLoop(channel));
    }
  }

  /** Stops claiming; recipients in flight finish (within `graceMs`), the rest stay pending for another process. */
  async stop(graceMs = 5_000): Promise<void> {
    this.running = false;
    await Promise.race([Promise.allSettled(this.loops), sleep(graceMs)]);
    this.loops = [];
  }

  /** Keeps the list of broadcasts being sent fresh, moves them along their life, and takes back what dead processes held. */
  private async keepLooking(): Promise<void> {
    const { store, log } = this.deps;
    let lastBeat = 0;
    let lastRecovery = 0;
    while (this.running) {
      try {
        const now = Date.now();
        if (now - lastBeat >= HEARTBEAT_TTL_MS / 4) {
          await this.queue.beat();
          lastBeat = now;
        }
        const sendable: Sendable[] = [];
        for (const id of await store.activeIds()) {
          const record = await store.current(id, new Date());
          if (record?.state !== 'sending') continue;
          const k = store.keysOf(id);
          const expires = record.definition.expires_at;
          if (expires && Date.parse(expires) <= Date.now()) {
            for (const channel of CHANNELS) await store.dropPending(k, channel, 'expired');
          }
          if (now - lastRecovery >= RECOVER_EVERY_MS) await this.queue.recover(k, Date.now(), this.workingOn(id));
          if (await store.completeIfFinished(id, new Date())) continue;
          sendable.push({ id, k, definition: record.definition });
        }
        if (now - lastRecovery >= RECOVER_EVERY_MS) lastRecovery = now;
        this.sendable = sendable;
      } catch (error) {
        log.warn({ err: error }, 'broadcasts: could not read their states; trying again');
      }
      await sleep(LOOK_EVERY_MS);
    }
  }

  private async sendLoop(channel: Channel): Promise<void> {
    while (this.running) {
      try {
        const claimed = await this.claimNext(channel);
        if (!claimed) {
          await sleep(LOOK_EVERY_MS);
          continue;
        }
        const working = this.workingOn(claimed.broadcast.id);
        const item = `${channel}:${claimed.number}`;
        working.add(item);
        try {
          await this.handle(claimed.broadcast, channel, claimed.number);
        } catch (error) {
          // Before the platform was called (every later step records its outcome itself):
          // the recipient goes back, for this process or another to try again.
          this.deps.log.warn({ err: error, channel }, 'broadcasts: a recipient could not be handled; it goes back for another try');
          await this.giveBack(claimed.broadcast, channel, claimed.number);
        } finally {
          working.delete(item);
        }
      } catch (error) {
        this.deps.log.warn({ err: error, channel }, 'broadcasts: could not take the next recipient; trying again');
        await sleep(1000);
      }
    }
  }

  private async giveBack(broadcast: Sendable, channel: Channel, number: number): Promise<void> {
    for (let wait = 200; this.running || wait <= 1600; wait = Math.min(wait * 2, 5_000)) {
      try {
        await this.queue.release(broadcast.k, channel, number, Date.now());
        return;
      } catch {
        await sleep(wait);
      }
    }
  }

  private workingOn(id: string): Set<string> {
    let working = this.working.get(id);
    if (!working) {
      working = new Set();
      this.working.set(id, working);
    }
    return working;
  }

  /** The next due recipient on the channel, taking broadcasts in turn so a large one does not hold up a small one. */
  private async claimNext(channel: Channel): Promise<{ broadcast: Sendable; number: number } | undefined> {
    const candidates = this.sendable;
    for (let i = 0; i < candidates.length; i++) {
      const broadcast = candidates[(this.turn + i) % candidates.length] as Sendable;
      const number = await this.queue.claim(broadcast.k, channel, Date.now());
      if (number !== undefined) {
        this.turn = (this.turn + i + 1) % candidates.length;
        return { broadcast, number };
      }
    }
    return undefined;
  }

  private async handle(broadcast: Sendable, channel: Channel, number: number): Promise<void> {
    const { book, settings } = this.deps;
    const { definition, k } = broadcast;
    const finish = (outcome: RecipientOutcome) => this.finish(broadcast, channel, number, outcome);
    const [contact] = await book.byNumbers([number]);
    if (!contact || contact.state === 'stopped') return finish('skipped:stopped');
    if (contact.state === 'unreachable') return finish('skipped:unreachable');
    const now = Date.now();
    if (definition.expires_at && Date.parse(definition.expires_at) <= now) return finish('skipped:expired');
    const timeZone = this.deps.timeZoneOf(contact);
    if (isQuiet(now, timeZone, definition.quiet_hours)) {
      return this.queue.defer(k, channel, number, nextSendableAt(now, timeZone, definition.quiet_hours), 'quiet_hours');
    }
    const content = textFor(definition, contact.language);
    if (!content) return finish('skipped:no_text');
    const booked = await book.reserveAlert(number, now, settings.perWeek, WEEK_MS);
    if (booked === 'gone') return finish('skipped:stopped');
    if (booked !== 'booked') {
      const expires = definition.expires_at ? Date.parse(definition.expires_at) : Number.POSITIVE_INFINITY;
      if (booked >= expires) return finish('skipped:expired');
      return this.queue.defer(k, channel, number, booked, 'weekly_limit');
    }
    const pacer = this.pacers.get(channel) as BroadcastPacer;
    const slot = await pacer.slot(contact.conversationId);
    // Cancelled or paused while this recipient waited for a slot: a cancel stops within a
    // second, however far ahead the slot was.
    const state = await this.stateIfNotSending(broadcast.id);
    if (state !== undefined) {
      await pacer.giveBack(slot);
      await book.releaseAlert(number, now);
      if (state === 'cancelled') return finish('skipped:cancelled');
      await this.queue.release(k, channel, number, Date.now());
      return;
    }
    // A STOP processed while this recipient waited for a slot is honoured.
    const [latest] = await book.byNumbers([number]);
    if (latest?.state !== 'subscribed' || !(await this.queue.markSending(k, channel, number))) {
      await pacer.giveBack(slot);
      await book.releaseAlert(number, now);
      if (latest?.state !== 'subscribed') await finish('skipped:stopped');
      return;
    }
    const inReplyTo = `bc-${broadcast.id}`;
    const batch: OutboundBatch = {
      conversationId: contact.conversationId,
      inReplyTo,
      language: contact.language,
      tag: inReplyTo,
      replies: [
        {
          id: `${inReplyTo}:1`,
          inReplyTo,
          text: content.text,
          ...(content.buttons.length > 0
            ? { choices: content.buttons.map((button) => ({ id: flowButtonId(button.flow), label: button.label })) }
            : {}),
        },
      ],
      ...(definition.whatsapp_template
        ? {
            template: {
              name: definition.whatsapp_template.name,
              language: definition.whatsapp_template.language,
              ...(definition.whatsapp_template.parameters ? { parameters: definition.whatsapp_template.parameters } : {}),
            },
          }
        : {}),
    };
    const result = await this.deliver(channel, batch, pacer, pacer.onSending(slot));
    // From here the outcome is known and must be recorded whatever else fails.
    try {
      if (result !== 'delivered') await book.releaseAlert(number, now);
      if (result === 'unreachable') await book.markUnreachable(contact.conversationId);
    } catch (error) {
      this.deps.log.warn({ err: error, channel }, 'broadcasts: a contact could not be updated after sending');
    }
    await finish(result === 'delivered' ? 'sent' : result === 'failed' ? 'failed' : `skipped:${result}`);
  }

  /** A broadcast's state when it is no longer being sent (from the last look, or Redis when it left that list). */
  private async stateIfNotSending(id: string): Promise<string | undefined> {
    if (this.sendable.some((candidate) => candidate.id === id)) return undefined;
    const state = (await this.deps.store.get(id))?.state;
    return state === 'sending' ? undefined : (state ?? 'cancelled');
  }

  /** Sends, waiting out a platform's "too many requests" as long as it asks; other errors are tried ATTEMPTS times. */
  private async deliver(
    channel: Channel,
    batch: OutboundBatch,
    pacer: BroadcastPacer,
    beforeEachSend: BeforeEachSend,
  ): Promise<DeliveryResult | 'failed'> {
    const route = this.deps.routes.get(channel) as BroadcastRoute;
    for (let attempt = 1; ; attempt++) {
      try {
        return await route.deliver(batch, beforeEachSend);
      } catch (error) {
        if (error instanceof RetryAfterError) {
          this.deps.metrics?.retryAfterPauses.inc({ channel });
          // Sent again in a slot of its own (the refused send used the first): straight
          // after the pause, every loop's message would go at once and be refused again.
          await pacer.pause(error.retryAfterMs);
          attempt -= 1;
          continue;
        }
        if (attempt >= ATTEMPTS) {
          this.deps.log.warn({ err: error, channel }, 'broadcasts: a recipient failed after retries');
          return 'failed';
        }
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** Records the outcome; with Redis away it waits and tries again rather than lose what was sent. */
  private async finish(broadcast: Sendable, channel: Channel, number: number, outcome: RecipientOutcome): Promise<void> {
    for (let wait = 200; ; wait = Math.min(wait * 2, 5_000)) {
      try {
        if (await this.queue.finish(broadcast.k, channel, number, outcome)) {
          this.deps.metrics?.broadcastRecipients.inc({ broadcast: broadcast.id, channel, outcome });
        }
        return;
      } catch (error) {
        this.deps.log.warn({ err: error }, 'broadcasts: an outcome could not be recorded yet; trying again');
        await sleep(wait);
      }
    }
  }
}
