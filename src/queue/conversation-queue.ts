import { createHash } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../log/logger.ts';
import { workerConnection } from '../redis/redis-connection.ts';
import { isNoScript, type ScriptCall } from '../redis/lua-script.ts';
import { closeBullmq } from './close-bullmq.ts';
import type { RedisKeys } from '../redis/redis-keys.ts';
import { ackHead, ACQUIRE, ENQUEUE_ONCE, RELEASE, RELEASE_IF_EMPTY } from './conversation-queue-scripts.ts';

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
export type ItemHandler<T> = (conversationId: string, item: QueuedItem<T>, prefetched: ReadonlyMap<string, string | null>) => Promise<Completion | void>;

export interface ProcessOptions {
  concurrency: number;
  log: Logger;
  /** Keys (of the conversation's hash slot) whose values every item's handler will want. */
  readAhead?: ((conversationId: string) => string[]) | undefined;
}

interface DrainJobData {
  conversationId: string;
}

export interface ConversationQueueOptions {
  /** e.g. `inbound`, `outbound-http`: the BullMQ queue name and part of every key. */
  name: string;
  redis: Redis;
  /** The connection that adds BullMQ jobs (see jobsConnection); `redis` when not given. */
  jobsRedis?: Redis | undefined;
  keys: RedisKeys;
  /** How long an item id is remembered, to drop platform redeliveries. */
  dedupeTtlSeconds: number;
  /**
   * How long a crashed drainer blocks its conversation before another takes over: the
   * conversation lock's time to live, and BullMQ's job lock and stalled-job check.
   */
  lockTtlMs?: number;
  /** Told about every item handled and every failed drain (for /metrics). */
  observer?: QueueObserver;
}

export interface QueueObserver {
  handled(queue: string, seconds: number): void;
  failed(queue: string): void;
}

/**
 * A queue that keeps each conversation's items in arrival order and hands them to one
 * handler at a time, while different conversations run in parallel.
 *
 * BullMQ's open-source edition has no per-group ordering, so each conversation gets an
 * inbox list in Redis, and a BullMQ "drain" job wakes a worker for it. The worker takes the
 * conversation's lock, handles items head first, and removes each only after its handler
 * finished: a crash leaves the item at the head, and BullMQ's stalled-job check re-runs the
 * drain. Items are de-duplicated by id on the way in. Handlers must be idempotent for the
 * item they were handling when a process died.
 */
export class ConversationQueue<T> {
  readonly name: string;
  private readonly queue: Queue<DrainJobData>;
  private readonly workers: Worker<DrainJobData>[] = [];
  private readonly connections: Redis[] = [];
  private readonly lockTtlMs: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: ConversationQueueOptions) {
    this.name = options.name;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.queue = new Queue<DrainJobData>(options.name, {
      connection: options.jobsRedis ?? options.redis,
      prefix: options.keys.bullPrefix,
      defaultJobOptions: {
        // The drain job carries no data of its own: the inbox list is the truth, so a
        // finished job can go at once and a later one for the same conversation is fine.
        removeOnComplete: true,
        removeOnFail: { age: 7 * 24 * 3600 },
        attempts: 12,
        backoff: { type: 'exponential', delay: 500 },
      },
    });
  }

  /**
   * Appends an item to its conversation's inbox unless that id was seen before, and wakes
   * a drainer when the inbox was empty. A non-empty inbox already has one: a drain job
   * waiting, or a drainer that re-checks the inbox before it lets go. A duplicate adds a
   * job too: a redelivery after a crash between the two steps is what heals it (and the
   * sweeper, should no redelivery come); the job id makes it idempotent.
   */
  async enqueue(conversationId: string, item: QueuedItem<T>): Promise<{ duplicate: boolean }> {
    const { keys, redis, dedupeTtlSeconds } = this.options;
    // One round trip: noted as active (for the sweeper) and stored, in this order.
    const enqueueKeys = [keys.queueSeen(this.name, conversationId, item.id), keys.queueItems(this.name, conversationId)];
    const enqueueArgs = [String(dedupeTtlSeconds), JSON.stringify(item)];
    const results = await redis
      .pipeline()
      .sadd(keys.queueActive(this.name), conversationId)
      .evalsha(ENQUEUE_ONCE.sha, 2, ...enqueueKeys, ...enqueueArgs)
      .exec();
    if (!results) throw new Error('Redis did not answer the enqueue');
    const [addError] = results[0]!;
    if (addError) throw addError;
    let [enqueueError, length] = results[1]! as [Error | null, unknown];
    // A script not loaded yet (first use, or Redis restarted) did not run: run it by source.
    if (isNoScript(enqueueError)) [enqueueError, length] = [null, await ENQUEUE_ONCE.run(redis, enqueueKeys, enqueueArgs)];
    if (enqueueError) throw enqueueError;
    if (Number(length) <= 1) await this.queue.add('drain', { conversationId }, { jobId: drainJobId(conversationId, item.id) });
    return { duplicate: Number(length) === 0 };
  }

  /** Starts a BullMQ worker that drains conversations with `handler`. */
  process(handler: ItemHandler<T>, options: ProcessOptions): Worker<DrainJobData> {
    // BullMQ leaves a connection it was given open on close: this queue closes it itself.
    const connection = workerConnection(this.options.redis);
    this.connections.push(connection);
    const worker = new Worker<DrainJobData>(this.name, (job) => this.drain(job, handler, options.readAhead), {
      connection,
      prefix: this.options.keys.bullPrefix,
      concurrency: options.concurrency,
      // A killed worker's job comes back after one lock period; several kills in a row must
      // not fail it for good (BullMQ's default allows one stall).
      lockDuration: this.lockTtlMs,
      stalledInterval: this.lockTtlMs,
      maxStalledCount: 1000,
    });
    worker.on('failed', (job, error) => {
      this.options.observer?.failed(this.name);
      options.log.warn({ queue: this.name, jobId: job?.id, attempts: job?.attemptsMade, err: error.message }, 'drain failed; will retry');
    });
    this.sweeper ??= setInterval(() => {
      this.sweep().catch((error: Error) => options.log.warn({ queue: this.name, err: error.message }, 'inbox sweep failed; will try again'));
    }, this.lockTtlMs);
    this.sweeper.unref();
    worker.on('error', (error) => options.log.error({ queue: this.name, err: error.message }, 'queue worker error'));
    this.workers.push(worker);
    return worker;
  }

  /** How many items wait in one conversation's inbox. */
  async pending(conversationId: string): Promise<number> {
    return this.options.redis.llen(this.options.keys.queueItems(this.name, conversationId));
  }

  /**
   * Gives every inbox that holds items but has no drainer a new drain job. A drain job can
   * be lost (a process killed between storing an item and adding its job, a Redis restart
   * that kept one but not the other); without this the conversation would wait for its
   * next message. Returns how many conversations it woke.
   */
  async sweep(): Promise<number> {
    const { redis, keys } = this.options;
    const activeKey = keys.queueActive(this.name);
    const bucket = Math.floor(Date.now() / this.lockTtlMs);
    let woken = 0;
    let cursor = '0';
    do {
      const [next, conversations] = await redis.sscan(activeKey, cursor, 'COUNT', 200);
      cursor = next;
      for (const conversationId of conversations) {
        const [waiting, locked] = await Promise.all([redis.llen(keys.queueItems(this.name, conversationId)), redis.exists(keys.queueLock(this.name, conversationId))]);
        if (waiting === 0) {
          await redis.srem(activeKey, conversationId);
        } else if (locked === 0) {
          await this.queue.add('drain', { conversationId }, { jobId: drainJobId(conversationId, `sweep-${bucket}`) });
          woken += 1;
        }
      }
    } while (cursor !== '0');
    return woken;
  }

  /** Jobs by state and conversations with items waiting, for /metrics. */
  async depth(): Promise<{ jobs: Record<string, number>; conversations: number }> {
    const [jobs, conversations] = await Promise.all([
      this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
      this.options.redis.scard(this.options.keys.queueActive(this.name)),
    ]);
    return { jobs, conversations };
  }

  /** Lets jobs in flight finish for up to `graceMs`, then closes (see closeBullmq). */
  async close(graceMs = 10_000): Promise<void> {
    clearInterval(this.sweeper);
    await closeBullmq({ workers: this.workers, connections: this.connections, queue: this.queue, graceMs });
  }

  /**
   * The inbox was empty when the lock was given up: a new item since has its own drain job.
   * Forgetting the conversation as active is tidying only (the sweeper would do it too),
   * so the drain job does not wait for it.
   */
  private drained(conversationId: string): 'drained' {
    this.options.redis.srem(this.options.keys.queueActive(this.name), conversationId).catch(() => undefined);
    return 'drained';
  }

  private async drain(job: Job<DrainJobData>, handler: ItemHandler<T>, readAhead: ProcessOptions['readAhead']): Promise<string> {
    const { redis, keys } = this.options;
    const { conversationId } = job.data;
    const itemsKey = keys.queueItems(this.name, conversationId);
    const lockKey = keys.queueLock(this.name, conversationId);
    const token = job.id ?? 'anonymous';
    const ttl = String(this.lockTtlMs);
    const toRead = readAhead?.(conversationId) ?? [];
    const valuesRead = (values: unknown[]) => new Map(toRead.map((key, index) => [key, (values[index] as string | null | undefined) ?? null]));

    // Another drainer holds the conversation: it re-checks the inbox before letting go, so
    // this job's item is in its hands.
    const [taken, firstHead, ...firstValues] = (await ACQUIRE.run(redis, [lockKey, itemsKey, ...toRead], [token, ttl])) as [number, string | null, ...unknown[]];
    if (taken !== 1) return 'busy';
    let head = firstHead;
    let prefetched = valuesRead(firstValues);

    try {
      for (;;) {
        if (head === null) {
          if ((await RELEASE_IF_EMPTY.run(redis, [itemsKey, lockKey], [token])) === 1) return this.drained(conversationId);
          // Items came while the drainer looked (no acknowledgement to carry the reads).
          const [values, nextHead] = await Promise.all([Promise.all(toRead.map((key) => redis.get(key))), redis.lindex(itemsKey, 0)]);
          prefetched = valuesRead(values);
          head = nextHead;
          continue;
        }
        const started = performance.now();
        const completion = await handler(conversationId, JSON.parse(head) as QueuedItem<T>, prefetched);
        const write = completion ? completion.write : undefined;
        const acknowledged = ackHead(write?.script).run(
          redis,
          [itemsKey, lockKey, ...(write?.keys ?? []), ...toRead],
          [head, token, ttl, toRead.length, ...(write?.args ?? [])],
        );
        const [state, next, ...values] = (await acknowledged) as [number, string | null, ...unknown[]];
        // The lock expired and another drainer took over; it owns the rest now.
        if (state === -1) return 'lost-lock';
        this.options.observer?.handled(this.name, (performance.now() - started) / 1000);
        completion?.onAcknowledged?.();
        if (state === 2) return this.drained(conversationId);
        head = next ?? null;
        prefetched = valuesRead(values);
      }
    } catch (error) {
      await RELEASE.run(redis, [lockKey], [token]);
      throw error;
    }
  }
}

/** BullMQ job ids must not contain ':' and should stay short, whatever a platform's ids look like. */
function drainJobId(conversationId: string, itemId: string): string {
  return createHash('sha256').update(conversationId).update('\n').update(itemId).digest('base64url');
}
