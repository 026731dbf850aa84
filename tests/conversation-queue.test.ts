import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConversationQueue, type QueuedItem } from '../src/queue/conversation-queue.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { memoryLogger } from './harness/test-pelita.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
const queues: ConversationQueue<unknown>[] = [];
let queueNumber = 0;

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
});

afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.close()));
});

afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

/** A fresh queue name per test, as BullMQ's own tests do. */
function newQueue<T>(): ConversationQueue<T> {
  queueNumber += 1;
  const queue = new ConversationQueue<T>({
    name: `test-${queueNumber}`,
    redis: connection,
    keys: new RedisKeys(redis.prefix),
    dedupeTtlSeconds: 60,
    lockTtlMs: 5000,
  });
  queues.push(queue as ConversationQueue<unknown>);
  return queue;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the queue');
    await pause(20);
  }
}

describe('ConversationQueue', () => {
  it('hands each conversation its items one at a time, in order, with conversations in parallel', async () => {
    const queue = newQueue<number>();
    const handled = new Map<string, number[]>();
    const busy = new Set<string>();
    let overlaps = 0;
    let parallel = 0;
    queue.process(
      async (conversationId, item: QueuedItem<number>) => {
        if (busy.has(conversationId)) overlaps += 1;
        busy.add(conversationId);
        parallel = Math.max(parallel, busy.size);
        // A varying delay lets a later item overtake an earlier one if anything allowed it.
        await pause(item.payload % 3);
        handled.set(conversationId, [...(handled.get(conversationId) ?? []), item.payload]);
        busy.delete(conversationId);
      },
      { concurrency: 16, log: memoryLogger().log },
    );
    const conversations = Array.from({ length: 10 }, (_, n) => `c${n}`);
    // All items are queued before any is handled: the inbox holds many at once.
    await Promise.all(
      conversations.flatMap((conversationId) =>
        Array.from({ length: 40 }, (_, n) => queue.enqueue(conversationId, { id: `m${n}`, payload: n })),
      ),
    );
    await until(() => conversations.every((conversationId) => handled.get(conversationId)?.length === 40));
    for (const conversationId of conversations) {
      expect(handled.get(conversationId)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    }
    expect(overlaps).toBe(0);
    expect(parallel).toBeGreaterThan(1);
  });

  it('drops an item id it has seen before', async () => {
    const queue = newQueue<string>();
    const handled: string[] = [];
    queue.process(async (_conversationId, item) => void handled.push(item.payload), { concurrency: 2, log: memoryLogger().log });
    expect(await queue.enqueue('c', { id: 'a', payload: 'first' })).toEqual({ duplicate: false });
    expect(await queue.enqueue('c', { id: 'a', payload: 'again' })).toEqual({ duplicate: true });
    expect(await queue.enqueue('c', { id: 'b', payload: 'second' })).toEqual({ duplicate: false });
    await until(() => handled.length === 2);
    await pause(200);
    expect(handled).toEqual(['first', 'second']);
  });

  it('keeps an item whose handler failed at the head and retries it before the next', async () => {
    const queue = newQueue<string>();
    const attempts: string[] = [];
    let failuresLeft = 2;
    queue.process(
      async (_conversationId, item) => {
        attempts.push(item.payload);
        if (item.payload === 'flaky' && failuresLeft-- > 0) throw new Error('transient failure');
      },
      { concurrency: 4, log: memoryLogger().log },
    );
    await queue.enqueue('c', { id: '1', payload: 'flaky' });
    await queue.enqueue('c', { id: '2', payload: 'after' });
    await until(() => attempts.includes('after'));
    expect(attempts).toEqual(['flaky', 'flaky', 'flaky', 'after']);
    expect(await queue.pending('c')).toBe(0);
  });
});

describe('the inbox sweeper', () => {
  it('wakes an inbox whose drain job was lost, and forgets drained conversations', async () => {
    const queue = newQueue<string>();
    const keys = new RedisKeys(redis.prefix);
    const handled: string[] = [];
    // What a process killed between storing an item and adding its drain job leaves behind.
    await connection.sadd(keys.queueActive(queue.name), 'orphan');
    await connection.rpush(keys.queueItems(queue.name, 'orphan'), JSON.stringify({ id: 'o1', payload: 'lost?' }));
    await connection.sadd(keys.queueActive(queue.name), 'empty');
    queue.process(async (_conversationId, item) => void handled.push(item.payload as string), { concurrency: 2, log: memoryLogger().log });
    await pause(300);
    expect(handled).toEqual([]);
    expect(await queue.sweep()).toBe(1);
    await until(() => handled.length === 1);
    expect(handled).toEqual(['lost?']);
    expect(await connection.sismember(keys.queueActive(queue.name), 'empty')).toBe(0);
  });
});
