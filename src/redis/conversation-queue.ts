import { messageOf } from '../core/log/error-message.ts';
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../core/log/logger.ts';
import { workerConnection, withTimeout } from './redis-connection.ts';
import type { ScriptCall } from './lua-script.ts';
import type { RedisKeys } from './redis-keys.ts';
import { ackHead, ACQUIRE, ENQUEUE_ONCE, RELEASE_IF_EMPTY, SET_ASIDE } from './conversation-queue-scripts.ts';
import { RELEASE } from './lock-release.ts';

export interface QueuedItem<T> {
  id: string;
  payload: T;
}

/**
 * What a handler may ask of its item's acknowledgement: a write made in the same atomic
 * step (so the item is removed exactly when its effects are stored, and never by a drainer
 * that lost the conversation's lock), and what to do once both are done.
 */
export interface Completion {
  write?: ScriptCall | undefined;
  onAcknowledged?: (() => void) | undefined;
}

/**
 * Handles one item. `prefetched` holds the values of the keys `readAhead` named for the
 * conversation, read under the conversation's lock just before this item (in the step that
 * took the lock or acknowledged the previous item), so a busy conversation's items need no
 * separate read; null for a key that does not exist.
 */
export type ItemHandler<T> = (
  conversationId: string,
  item: QueuedItem<T>,
  prefetched: ReadonlyMap<string, string | null>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to add to the acknowledgement returns nothing at all
) => Promise<Completion | void>;

/** An item set aside after its handler failed `maxAttempts` times in a row. */
export interface DeadLetter<T> {
  queue: string;
  conversationId: string;
  item: QueuedItem<T>;
  /** The last error's message (never the item's text). */
  error: string;
  attempts: number;
  failedAt: string;
}

export interface ProcessOptions {
  /** Conversations this process drains at once. */
  concurrency: number;
  log: Logger;
  /**
   * Told of each item set aside, once it is off the inbox: so that the person hears
   * something (a safe answer) rather than nothing. Its failure is logged, not retried.
   */
  onDeadLetter?: ((letter: DeadLetter<unknown>) => Promise<void>) | undefined;
  /** Keys (of the conversation's hash slot) whose values every item's handler will want. */
  readAhead?: ((conversationId: string) => string[]) | undefined;
}

export interface ConversationQueueOptions<T = unknown> {
  /** e.g. `inbound`, `outbound-http`: part of every key. */
  name: string;
  redis: Redis;
  keys: RedisKeys;
  /** How long an item id is remembered, to drop platform redeliveries. */
  dedupeTtlSeconds: number;
  /**
   * How long a crashed drainer blocks its conversation before another takes over: the
   * conversation lock's time to live, and how often the sweeper looks for such inboxes.
   */
  lockTtlMs?: number;
  /** Told about every item handled and every failed drain (for /metrics). */
  observer?: QueueObserver;
  /**
   * Failures of the handler on one item before it is set aside as a dead letter (its
   * conversation's next items then go on). Without it, an item is tried for ever.
   */
  maxAttempts?: number;
  /**
   * How an item's payload is checked when it is read back from Redis: an item that fails
   * is a failure of its handler (retried, then set aside as a dead letter). Without it
   * payloads are taken as they are (tests, and tools that only list items).
   */
  payload?: z.ZodType<T>;
}

/** How long a failure count is kept: an item failing less often than this is not poison. */
const FAILURES_TTL_SECONDS = 24 * 3600;

export interface QueueObserver {
  handled(queue: string, seconds: number): void;
  failed(queue: string): void;
  deadLettered?(queue: string): void;
}

/** One process's drainers of one queue. */
interface Drainers<T> {
  handler: ItemHandler<T>;
  options: ProcessOptions;
  /** Blocks waiting for ready conversations, so it is a connection of its own. */
  waiting: Redis;
  inFlight: Set<Promise<void>>;
  loop: Promise<void>;
}

/** After a handler failed, a conversation is tried again after this, doubling up to the lock's time to live. */
const FIRST_RETRY_MS = 500;

/**
 * Which list a conversation waits on when an item makes it ready: `urgent` (an emergency)
 * before `ready` (the default) before `later` (a sender Pelita does not know yet).
 */
export type Lane = 'urgent' | 'ready' | 'later';

/**
 * A queue that keeps each conversation's items in arrival order and hands them to one
 * handler at a time, while different conversations run in parallel.
 *
 * BullMQ's open-source edition has no per-group ordering, so each conversation gets an
 * inbox list and a lock in Redis. When an inbox goes from empty to not empty its
 * conversation is put on the queue's ready list; each worker process takes up to
 * `concurrency` conversations from it at a time (one blocking pop for all its free slots),
 * takes each one's lock and handles its items head first until the inbox is empty. An item
 * is removed only after its handler finished, in the same step as the handler's write: a
 * crash leaves it at the head, and once the lock expires the sweeper puts the conversation
 * back on the ready list (as it does for a conversation whose wake-up was lost between the
 * two steps of an enqueue). Items are de-duplicated by id on the way in. Handlers must be
 * idempotent for the item they were handling when a process died.
 *
 * Why not a BullMQ job per conversation: docs/decisions/README.md.
 */
export class ConversationQueue<T> {
  readonly name: string;
  private readonly lockTtlMs: number;
  private readonly drainers: Drainers<T>[] = [];
  private readonly retries = new Map<string, { attempts: number; timer?: NodeJS.Timeout }>();
  /** Makes lock tokens unique to this process, so a crashed drainer's lock is never taken for its own. */
  private readonly owner = randomBytes(6).toString('hex');
  private drains = 0;
  private closing = false;
  private sweeper: NodeJS.Timeout | undefined;

  private readonly itemSchema: z.ZodType<QueuedItem<T>>;

  constructor(private readonly options: ConversationQueueOptions<T>) {
    this.name = options.name;
    this.itemSchema = z.object({ id: z.string().min(1), payload: options.payload ?? (z.unknown() as z.ZodType<T>) }) as z.ZodType<
      QueuedItem<T>
    >;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
  }

  /**
   * Appends an item to its conversation's inbox unless that id was seen before, and puts
   * the conversation on the ready list when the inbox was empty. A non-empty inbox already
   * has a drainer coming: on the list, or one that re-checks the inbox before it lets go. A
   * duplicate whose inbox holds items with no drainer marks it ready again: a redelivery
   * after a crash between the two steps is what heals it (and the sweeper, should no
   * redelivery come); a conversation on the list twice costs one look.
   */
  async enqueue(conversationId: string, item: QueuedItem<T>, options: { lane?: Lane } = {}): Promise<{ duplicate: boolean }> {
    const { keys, redis, dedupeTtlSeconds } = this.options;
    // Sent together (one round trip): noted as active (for the sweeper), then stored.
    const [, length] = await Promise.all([
      redis.sadd(keys.queueActive(this.name), conversationId),
      ENQUEUE_ONCE.run(
        redis,
        [
          keys.queueSeen(this.name, conversationId, item.id),
          keys.queueItems(this.name, conversationId),
          keys.queueLock(this.name, conversationId),
        ],
        [dedupeTtlSeconds, JSON.stringify(item)],
      ),
    ]);
    const stored = Number(length) > 0;
    // An urgent item jumps the queue of conversations: its conversation goes on the urgent
    // list even when it is already waiting on the ready list (the second look finds it
    // drained, which costs one look). Within the conversation, order is kept.
    if (options.lane === 'urgent' && stored) await redis.lpush(keys.queueUrgent(this.name), conversationId);
    else if (Number(length) === 1 || Number(length) === -1)
      await redis.rpush(options.lane === 'later' ? keys.queueLater(this.name) : keys.queueReady(this.name), conversationId);
    return { duplicate: Number(length) <= 0 };
  }

  /** Starts draining ready conversations with `handler`, up to `options.concurrency` at once. */
  process(handler: ItemHandler<T>, options: ProcessOptions): void {
    const drainers: Drainers<T> = {
      handler,
      options,
      waiting: workerConnection(this.options.redis),
      inFlight: new Set(),
      loop: Promise.resolve(),
    };
    drainers.waiting.on('error', (error: Error) => options.log.warn({ queue: this.name, err: error }, 'queue connection error'));
    drainers.loop = this.takeReady(drainers);
    this.drainers.push(drainers);
    this.sweeper ??= setInterval(() => {
      this.sweep().catch((error: Error) => options.log.warn({ queue: this.name, err: error }, 'inbox sweep failed; will try again'));
    }, this.lockTtlMs);
    this.sweeper.unref();
  }

  /** How many items wait in one conversation's inbox. */
  async pending(conversationId: string): Promise<number> {
    return this.options.redis.llen(this.options.keys.queueItems(this.name, conversationId));
  }

  /**
   * Puts every inbox that holds items but has no drainer back on the ready list. A wake-up
   * can be lost (a process killed between storing an item and marking it ready, or after
   * taking a conversation off the list, a Redis restart that kept one and not the other, a
   * drainer killed mid-conversation whose lock has since expired); without this the
   * conversation would wait for its next message. Returns how many conversations it woke.
   */
  async sweep(): Promise<number> {
    const { redis, keys } = this.options;
    const activeKey = keys.queueActive(this.name);
    let woken = 0;
    let cursor = '0';
    do {
      const [next, conversations] = await redis.sscan(activeKey, cursor, 'COUNT', 200);
      cursor = next;
      for (const conversationId of conversations) {
        const [waiting, locked] = await Promise.all([
          redis.llen(keys.queueItems(this.name, conversationId)),
          redis.exists(keys.queueLock(this.name, conversationId)),
        ]);
        if (waiting === 0) {
          await redis.srem(activeKey, conversationId);
        } else if (locked === 0 && !this.retries.get(conversationId)?.timer) {
          await redis.rpush(keys.queueReady(this.name), conversationId);
          woken += 1;
        }
      }
    } while (cursor !== '0');
    return woken;
  }

  /** Conversations on the ready list and conversations with items waiting, for /metrics. */
  async depth(): Promise<{ ready: number; conversations: number }> {
    const [ready, urgent, later, conversations] = await Promise.all([
      this.options.redis.llen(this.options.keys.queueReady(this.name)),
      this.options.redis.llen(this.options.keys.queueUrgent(this.name)),
      this.options.redis.llen(this.options.keys.queueLater(this.name)),
      this.options.redis.scard(this.options.keys.queueActive(this.name)),
    ]);
    return { ready: ready + urgent + later, conversations };
  }

  /**
   * Stops taking conversations; each drain in flight finishes its current item, lets the
   * conversation go and puts it back on the ready list if items remain (another process
   * takes it at once). Waits up to `graceMs` for them; one still running then (Redis gone,
   * a handler stuck) is abandoned: its lock expires and the sweeper wakes the conversation.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    for (const retry of this.retries.values()) clearTimeout(retry.timer);
    // Interrupts the blocking pop at once; then no drain starts, and those running finish.
    for (const drainers of this.drainers) drainers.waiting.disconnect();
    const deadline = Date.now() + graceMs;
    await withTimeout(Promise.allSettled(this.drainers.map((drainers) => drainers.loop)), graceMs).catch(() => undefined);
    const inFlight = this.drainers.flatMap((drainers) => [...drainers.inFlight]);
    await withTimeout(Promise.allSettled(inFlight), Math.max(0, deadline - Date.now())).catch(() => undefined);
  }

  /** Takes ready conversations for the free slots and drains each, until closing. */
  private async takeReady(drainers: Drainers<T>): Promise<void> {
    const { options, waiting, inFlight } = drainers;
    const readyKey = this.options.keys.queueReady(this.name);
    const urgentKey = this.options.keys.queueUrgent(this.name);
    const laterKey = this.options.keys.queueLater(this.name);
    let takes = 0;
    while (!this.closing) {
      const free = options.concurrency - inFlight.size;
      if (free <= 0) {
        await Promise.race(inFlight);
        continue;
      }
      let taken: string[];
      try {
        // All free slots in one pop, waiting a second at most (so that closing is noticed);
        // the urgent list first, as BLMPOP takes from the first list that has anything, then
        // the ready one, then the later one, except every fourth take, which looks at the
        // later list before the ready one so that strangers wait but are never starved.
        takes += 1;
        const lists = takes % 4 === 0 ? [urgentKey, laterKey, readyKey] : [urgentKey, readyKey, laterKey];
        const reply = (await waiting.call('BLMPOP', '1', '3', ...lists, 'LEFT', 'COUNT', String(free))) as [string, string[]] | null;
        taken = reply?.[1] ?? [];
      } catch (error) {
        if (this.closing) return;
        options.log.warn({ queue: this.name, err: error }, 'could not take ready conversations; will try again');
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      for (const conversationId of taken) {
        const drained: Promise<void> = this.drain(conversationId, drainers)
          // drain() handles its own failures; this only keeps a slip there from stopping the loop.
          .catch((error: unknown) => options.log.error({ queue: this.name, err: error }, 'drain slipped'))
          .finally(() => inFlight.delete(drained));
        inFlight.add(drained);
      }
    }
  }

  private async drain(conversationId: string, drainers: Drainers<T>): Promise<void> {
    const { redis, keys } = this.options;
    const { handler, options } = drainers;
    const itemsKey = keys.queueItems(this.name, conversationId);
    const lockKey = keys.queueLock(this.name, conversationId);
    this.drains += 1;
    const token = `${this.owner}:${this.drains}`;
    const ttl = String(this.lockTtlMs);
    const toRead = options.readAhead?.(conversationId) ?? [];
    const valuesRead = (values: unknown[]) =>
      new Map(toRead.map((key, index) => [key, (values[index] as string | null | undefined) ?? null]));

    let head: string | null;
    let prefetched: ReadonlyMap<string, string | null>;
    try {
      // Another drainer holds the conversation: it re-checks the inbox before letting go,
      // so the item that made the conversation ready is in its hands.
      const [taken, firstHead, ...firstValues] = (await ACQUIRE.run(redis, [lockKey, itemsKey, ...toRead], [token, ttl])) as [
        number,
        string | null,
        ...unknown[],
      ];
      if (taken !== 1) return;
      head = firstHead;
      prefetched = valuesRead(firstValues);
    } catch (error) {
      this.retryLater(conversationId, error, options.log);
      return;
    }

    let handling: string | null = null;
    try {
      for (;;) {
        handling = null;
        if (head === null) {
          if ((await RELEASE_IF_EMPTY.run(redis, [itemsKey, lockKey], [token])) === 1) return this.drained(conversationId);
          // Items came while the drainer looked (no acknowledgement to carry the reads).
          const [values, nextHead] = await Promise.all([Promise.all(toRead.map((key) => redis.get(key))), redis.lindex(itemsKey, 0)]);
          prefetched = valuesRead(values);
          head = nextHead;
          continue;
        }
        const started = performance.now();
        handling = head;
        const completion = await handler(conversationId, this.readItem(head), prefetched);
        handling = null;
        const write = completion ? completion.write : undefined;
        const acknowledged = ackHead(write?.script).run(
          redis,
          [itemsKey, lockKey, ...(write?.keys ?? []), ...toRead],
          [head, token, ttl, toRead.length, ...(write?.args ?? [])],
        );
        const [state, next, ...values] = (await acknowledged) as [number, string | null, ...unknown[]];
        // The lock expired and another drainer took over; it owns the rest now.
        if (state === -1) return;
        this.retries.delete(conversationId);
        this.options.observer?.handled(this.name, (performance.now() - started) / 1000);
        completion?.onAcknowledged?.();
        if (state === 2) return this.drained(conversationId);
        if (this.closing) {
          // Hand the rest to another process rather than keep the shutdown waiting.
          await RELEASE.run(redis, [lockKey], [token]);
          await redis.rpush(keys.queueReady(this.name), conversationId);
          return;
        }
        head = next ?? null;
        prefetched = valuesRead(values);
      }
    } catch (error) {
      // The handler failed on this item too often: set it aside so the person's next
      // messages ("tolong" among them) are not stuck behind it for ever.
      const setAside =
        handling !== null && (await this.setAsideIfPoison(conversationId, handling, token, error, options).catch(() => false));
      await RELEASE.run(redis, [lockKey], [token]).catch(() => undefined);
      if (setAside) {
        this.retries.delete(conversationId);
        await redis.rpush(keys.queueReady(this.name), conversationId).catch(() => undefined);
        return;
      }
      this.retryLater(conversationId, error, options.log);
    }
  }

  /** The item at the head of an inbox, checked (see the `payload` option). */
  private readItem(head: string): QueuedItem<T> {
    let json: unknown;
    try {
      json = JSON.parse(head);
    } catch {
      throw new UnreadableItemError(this.name, 'not JSON');
    }
    const parsed = this.itemSchema.safeParse(json);
    // Only where and what kind of problem: the values may be someone's words.
    if (!parsed.success)
      throw new UnreadableItemError(
        this.name,
        parsed.error.issues.map((issue) => `${issue.path.join('.') || '(item)'}: ${issue.code}`).join('; '),
      );
    return parsed.data;
  }

  /** Counts a failure of the handler on `head`; at `maxAttempts`, moves it to the dead list. */
  private async setAsideIfPoison(
    conversationId: string,
    head: string,
    token: string,
    error: unknown,
    options: ProcessOptions,
  ): Promise<boolean> {
    const { redis, keys, maxAttempts } = this.options;
    if (maxAttempts === undefined) return false;
    const item = itemOrRaw(head);
    const failuresKey = keys.queueFailures(this.name, conversationId, item.id);
    const [[, attempts]] = (await redis.multi().incr(failuresKey).expire(failuresKey, FAILURES_TTL_SECONDS).exec()) as [
      [unknown, number],
      ...unknown[],
    ];
    if (Number(attempts) < maxAttempts) return false;
    const letter: DeadLetter<unknown> = {
      queue: this.name,
      conversationId,
      item,
      error: messageOf(error),
      attempts: Number(attempts),
      failedAt: new Date().toISOString(),
    };
    const moved = await SET_ASIDE.run(
      redis,
      [keys.queueItems(this.name, conversationId), keys.queueLock(this.name, conversationId), keys.queueDead(this.name, conversationId)],
      [head, token, JSON.stringify(letter)],
    );
    if (Number(moved) !== 1) return false;
    await Promise.all([redis.sadd(keys.queueDeadIndex(this.name), conversationId), redis.del(failuresKey)]);
    this.options.observer?.deadLettered?.(this.name);
    options.log.error(
      { queue: this.name, attempts: letter.attempts, itemId: item.id, err: error },
      'item failed too often: set aside as a dead letter',
    );
    await options
      .onDeadLetter?.(letter)
      .catch((failure: unknown) => options.log.error({ queue: this.name, err: failure }, 'the safe answer to a dead letter failed'));
    return true;
  }

  /** Every item set aside, conversation by conversation. */
  async deadLetters(): Promise<DeadLetter<T>[]> {
    const { redis, keys } = this.options;
    const letters: DeadLetter<T>[] = [];
    for (const conversationId of await redis.smembers(keys.queueDeadIndex(this.name))) {
      const records = await redis.lrange(keys.queueDead(this.name, conversationId), 0, -1);
      if (records.length === 0) await redis.srem(keys.queueDeadIndex(this.name), conversationId);
      // A record that does not read back (a hand edit) is left out rather than break the list.
      letters.push(...records.flatMap((record) => readDeadLetter<T>(record) ?? []));
    }
    return letters;
  }

  /**
   * Takes one dead letter off its list; with `retry`, queues its item again (under a new id,
   * as the old one is remembered as seen) at the end of its conversation's inbox.
   */
  async resolveDeadLetter(conversationId: string, itemId: string, retry: boolean): Promise<boolean> {
    const { redis, keys } = this.options;
    const deadKey = keys.queueDead(this.name, conversationId);
    for (const record of await redis.lrange(deadKey, 0, -1)) {
      const letter = readDeadLetter<T>(record);
      if (letter?.item.id !== itemId) continue;
      if ((await redis.lrem(deadKey, 1, record)) !== 1) return false;
      if (retry) await this.enqueue(conversationId, { ...letter.item, id: `${itemId}:retry-${Date.now()}` });
      if ((await redis.llen(deadKey)) === 0) await redis.srem(keys.queueDeadIndex(this.name), conversationId);
      return true;
    }
    return false;
  }

  /**
   * A handler (or Redis) failed: the item stays at the head of its inbox, and the
   * conversation is tried again after a pause that doubles with each failure in a row, up
   * to the lock's time to live. Nothing is dropped, however long it fails.
   */
  private retryLater(conversationId: string, error: unknown, log: Logger): void {
    this.options.observer?.failed(this.name);
    const retry = this.retries.get(conversationId) ?? { attempts: 0 };
    retry.attempts += 1;
    const delay = Math.min(FIRST_RETRY_MS * 2 ** (retry.attempts - 1), this.lockTtlMs);
    log.warn({ queue: this.name, attempts: retry.attempts, retryInMs: delay, err: error }, 'drain failed; will retry');
    if (this.closing) return;
    // Conversations that failed here and then succeeded in another process leave entries.
    if (this.retries.size > 10_000) for (const [id, entry] of this.retries) if (!entry.timer) this.retries.delete(id);
    retry.timer = setTimeout(() => {
      retry.timer = undefined;
      this.options.redis.rpush(this.options.keys.queueReady(this.name), conversationId).catch(() => undefined);
    }, delay);
    retry.timer.unref();
    this.retries.set(conversationId, retry);
  }

  /**
   * The inbox was empty when the lock was given up: a new item since has made the
   * conversation ready again. Forgetting it as active is tidying only (the sweeper would do
   * it too), so the drain does not wait for it.
   */
  private drained(conversationId: string): void {
    this.options.redis.srem(this.options.keys.queueActive(this.name), conversationId).catch(() => undefined);
  }
}

/** An item read back from Redis that is not what its queue holds (a hand edit, a bug, another version). */
export class UnreadableItemError extends Error {
  constructor(queue: string, problems: string) {
    super(`unreadable item in queue ${queue}: ${problems}`);
    this.name = 'UnreadableItemError';
  }
}

/** An item as stored, or (when it is not even JSON) the raw value under an id made from it, so it can still be set aside. */
function itemOrRaw(head: string): QueuedItem<unknown> {
  try {
    const item = JSON.parse(head) as Partial<QueuedItem<unknown>> | null;
    if (item && typeof item.id === 'string') return item as QueuedItem<unknown>;
  } catch {
    // Not JSON: falls through.
  }
  return { id: `unreadable-${createHash('sha256').update(head).digest('hex').slice(0, 12)}`, payload: head };
}

const deadLetterSchema = z.object({
  queue: z.string(),
  conversationId: z.string(),
  item: z.object({ id: z.string(), payload: z.unknown() }),
  error: z.string(),
  attempts: z.number(),
  failedAt: z.string(),
});

/** A dead letter as stored, or undefined when the record does not read back as one. */
function readDeadLetter<T>(record: string): DeadLetter<T> | undefined {
  try {
    const parsed = deadLetterSchema.safeParse(JSON.parse(record));
    return parsed.success ? (parsed.data as DeadLetter<T>) : undefined;
  } catch {
    return undefined;
  }
}
