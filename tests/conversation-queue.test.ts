import { Redis } from 'ioredis';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConversationQueue, type QueuedItem } from '../src/redis/conversation-queue.ts';
import { ENQUEUE_ONCE } from '../src/redis/conversation-queue-scripts.ts';
import { LuaScript, runCall, sequence } from '../src/redis/lua-script.ts';
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
  it('sets an item aside after maxAttempts failures, goes on with the next, and can queue it again', async () => {
    queueNumber += 1;
    const queue = new ConversationQueue<string>({
      name: `test-${queueNumber}`,
      redis: connection,
      keys: new RedisKeys(redis.prefix),
      dedupeTtlSeconds: 60,
      lockTtlMs: 1000,
      maxAttempts: 3,
    });
    queues.push(queue as ConversationQueue<unknown>);
    const handled: string[] = [];
    const setAside: string[] = [];
    let failing = true;
    queue.process(
      async (_conversationId, item: QueuedItem<string>) => {
        if (item.payload === 'poison' && failing) throw new Error('cannot handle this one');
        handled.push(item.payload);
      },
      { concurrency: 2, log: memoryLogger().log, onDeadLetter: async (letter) => void setAside.push(letter.item.id) },
    );
    await queue.enqueue('c', { id: 'p', payload: 'poison' });
    await queue.enqueue('c', { id: 'n', payload: 'next' });
    await until(() => handled.includes('next'));
    expect(setAside).toEqual(['p']);
    expect((await queue.deadLetters()).map((letter) => [letter.conversationId, letter.item.id, letter.attempts])).toEqual([['c', 'p', 3]]);
    // Fixed: queued again, at the end of the conversation, and handled.
    failing = false;
    expect(await queue.resolveDeadLetter('c', 'p', true)).toBe(true);
    await until(() => handled.includes('poison'));
    expect(await queue.deadLetters()).toEqual([]);
    expect(await queue.resolveDeadLetter('c', 'p', false)).toBe(false);
  });

  it('never hands its handler an item that does not read back: it fails, and is set aside like any poison', async () => {
    queueNumber += 1;
    const keys = new RedisKeys(redis.prefix);
    const name = `test-${queueNumber}`;
    const queue = new ConversationQueue<{ text: string }>({
      name,
      redis: connection,
      keys,
      dedupeTtlSeconds: 60,
      lockTtlMs: 1000,
      maxAttempts: 2,
      payload: z.object({ text: z.string() }),
    });
    queues.push(queue as ConversationQueue<unknown>);
    const handled: unknown[] = [];
    queue.process(async (_conversationId, item) => void handled.push(item.payload), { concurrency: 1, log: memoryLogger().log });
    // A hand edit, a torn write and an item of another shape, ahead of a good one.
    await connection.rpush(keys.queueItems(name, 'c'), '{"id":"torn","payl', JSON.stringify({ id: 'shape', payload: { text: 42 } }));
    await queue.enqueue('c', { id: 'good', payload: { text: 'halo' } });
    await until(() => handled.length > 0);
    expect(handled).toEqual([{ text: 'halo' }]);
    const letters = await queue.deadLetters();
    expect(letters.map((letter) => letter.item.id)).toEqual([expect.stringMatching(/^unreadable-/), 'shape']);
    expect(letters.map((letter) => letter.error)).toEqual([
      `unreadable item in queue ${name}: not JSON`,
      `unreadable item in queue ${name}: payload.text: invalid_type`,
    ]);
  });

  it('takes a conversation with an urgent item before every conversation waiting, and keeps its order', async () => {
    const queue = newQueue<string>();
    const handled: string[] = [];
    // 200 conversations wait; the handler is slow, one at a time.
    for (let n = 0; n < 200; n++) await queue.enqueue(`waiting-${n}`, { id: `w${n}`, payload: `waiting-${n}` });
    // The urgent conversation already had an ordinary item waiting: it keeps its place in
    // the conversation, ahead of the urgent one.
    await queue.enqueue('in-danger', { id: 'earlier', payload: 'in-danger earlier' });
    queue.process(
      async (_conversationId, item: QueuedItem<string>) => {
        handled.push(item.payload);
        await pause(5);
      },
      { concurrency: 1, log: memoryLogger().log },
    );
    await until(() => handled.length >= 3);
    await queue.enqueue('in-danger', { id: 'urgent', payload: 'in-danger urgent' }, { lane: 'urgent' });
    // Counted when the enqueue has answered, not at a fixed index: on a loaded machine the
    // slow handler goes on taking ordinary conversations during the enqueue's round trips.
    const handledWhenQueued = handled.length;
    await until(() => handled.includes('in-danger urgent'));
    const at = handled.indexOf('in-danger urgent');
    // Next or nearly: the item in hand is finished first, and at most one take that was
    // already on its way to Redis when the urgent list was filled; far ahead of the 200.
    expect(handled.indexOf('in-danger earlier')).toBe(at - 1);
    expect(at - 1).toBeLessThanOrEqual(handledWhenQueued + 1);
    expect(at).toBeLessThan(20);
    // Its wake-up on the ready list, taken later, finds it drained: handled once each.
    await until(() => handled.length === 202);
    expect(handled.filter((payload) => payload.startsWith('in-danger'))).toEqual(['in-danger earlier', 'in-danger urgent']);
  });

  it('takes strangers on the later lane after the people waiting, one take in four first, and never drops them', async () => {
    const queue = newQueue<string>();
    const handled: string[] = [];
    for (let n = 0; n < 40; n++) await queue.enqueue(`stranger-${n}`, { id: 's', payload: `stranger-${n}` }, { lane: 'later' });
    for (let n = 0; n < 40; n++) await queue.enqueue(`person-${n}`, { id: 'p', payload: `person-${n}` });
    queue.process(
      async (_conversationId, item: QueuedItem<string>) => {
        handled.push(item.payload);
        await pause(1);
      },
      { concurrency: 1, log: memoryLogger().log },
    );
    await until(() => handled.length === 80);
    // One take in four looks at the later lane first: about 10 strangers among the first 40.
    const strangersAmongFirst40 = handled.slice(0, 40).filter((payload) => payload.startsWith('stranger')).length;
    expect(strangersAmongFirst40).toBeGreaterThanOrEqual(9);
    expect(strangersAmongFirst40).toBeLessThanOrEqual(11);
    // Each lane keeps its own order, and every stranger is answered.
    expect(handled.filter((payload) => payload.startsWith('person'))).toEqual(Array.from({ length: 40 }, (_, n) => `person-${n}`));
    expect(handled.filter((payload) => payload.startsWith('stranger'))).toEqual(Array.from({ length: 40 }, (_, n) => `stranger-${n}`));
  });

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

  it('stores items in the order they were sent, also while Redis relearns its scripts', async () => {
    // As after a restart: the script cache is empty and the connection new. Halfway through
    // the script gets loaded: items sent by SHA before that would fail, be sent again by
    // source, and land after items sent later.
    await connection.script('FLUSH');
    const fresh = new Redis(redis.url);
    const keys = new RedisKeys(redis.prefix);
    queueNumber += 1;
    const queue = new ConversationQueue<number>({ name: `test-${queueNumber}`, redis: fresh, keys, dedupeTtlSeconds: 60 });
    try {
      const sent: Promise<unknown>[] = [];
      for (let n = 0; n < 400; n++) {
        sent.push(queue.enqueue('burst', { id: `b${n}`, payload: n }));
        // On the same connection, so that Redis sees it after item 199 and before item 200.
        if (n === 199) sent.push(fresh.script('LOAD', ENQUEUE_ONCE.source));
      }
      await Promise.all(sent);
      const stored = (await fresh.lrange(keys.queueItems(queue.name, 'burst'), 0, -1)).map(
        (raw) => (JSON.parse(raw) as QueuedItem<number>).payload,
      );
      expect(stored).toEqual(Array.from({ length: 400 }, (_, n) => n));
    } finally {
      await queue.close();
      await fresh.quit();
    }
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

  it('wakes an inbox again when a redelivery finds its message waiting with no drainer', async () => {
    const queue = newQueue<string>();
    const keys = new RedisKeys(redis.prefix);
    const handled: string[] = [];
    // What a process killed between storing a message and marking its conversation ready
    // leaves behind: the message and its id, and nobody coming.
    await connection.set(keys.queueSeen(queue.name, 'lost', 'x1'), '1', 'EX', 60);
    await connection.rpush(keys.queueItems(queue.name, 'lost'), JSON.stringify({ id: 'x1', payload: 'stored' }));
    queue.process(async (_conversationId, item) => void handled.push(item.payload), { concurrency: 2, log: memoryLogger().log });
    await pause(300);
    expect(handled).toEqual([]);
    // The platform, having had no answer, delivers it again.
    expect(await queue.enqueue('lost', { id: 'x1', payload: 'again' })).toEqual({ duplicate: true });
    await until(() => handled.length === 1);
    expect(handled).toEqual(['stored']);
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

/** KEYS: a list. ARGV: a value. Appends it; returns the list's length. */
const APPEND = new LuaScript(`return redis.call('RPUSH', KEYS[1], ARGV[1])`);

describe('a write carried by the acknowledgement', () => {
  it('is made in the same step as the item leaves the inbox, and the next item sees it', async () => {
    const queue = newQueue<string>();
    const keys = new RedisKeys(redis.prefix);
    const written = `${redis.prefix}:written:{c}`;
    const seenBefore: string[][] = [];
    const acknowledged: string[] = [];
    queue.process(
      async (_conversationId, item) => {
        seenBefore.push(await connection.lrange(written, 0, -1));
        return { write: { script: APPEND, keys: [written], args: [item.payload] }, onAcknowledged: () => acknowledged.push(item.payload) };
      },
      { concurrency: 4, log: memoryLogger().log },
    );
    for (const payload of ['a', 'b', 'c']) await queue.enqueue('c', { id: payload, payload });
    await until(() => acknowledged.length === 3);
    expect(acknowledged).toEqual(['a', 'b', 'c']);
    expect(seenBefore).toEqual([[], ['a'], ['a', 'b']]);
    expect(await connection.lrange(written, 0, -1)).toEqual(['a', 'b', 'c']);
    expect(await connection.llen(keys.queueItems(queue.name, 'c'))).toBe(0);
    // The last acknowledgement found the inbox empty and gave the lock up in the same step.
    expect(await connection.exists(keys.queueLock(queue.name, 'c'))).toBe(0);
  });

  it('is not made by a drainer that lost the conversation to another', async () => {
    const queue = newQueue<string>();
    const keys = new RedisKeys(redis.prefix);
    const written = `${redis.prefix}:fenced:{c}`;
    let calls = 0;
    const acknowledged: string[] = [];
    queue.process(
      async (_conversationId, item) => {
        calls += 1;
        // The first time, the lock passes to someone else while this drainer works, as when
        // a stalled process wakes up after its lock expired.
        if (calls === 1) await connection.set(keys.queueLock(queue.name, 'c'), 'another-drainer', 'PX', 300);
        return {
          write: { script: APPEND, keys: [written], args: [`${item.payload}#${calls}`] },
          onAcknowledged: () => acknowledged.push(item.payload),
        };
      },
      { concurrency: 2, log: memoryLogger().log },
    );
    await queue.enqueue('c', { id: 'x', payload: 'x' });
    await pause(200);
    expect(await connection.lrange(written, 0, -1)).toEqual([]);
    expect(await queue.pending('c')).toBe(1);
    // Once the other lock is gone, the sweeper wakes the conversation and the item is handled, and writes once.
    await until(() => calls === 1);
    await pause(300);
    await queue.sweep();
    await until(() => acknowledged.length === 1);
    expect(await connection.lrange(written, 0, -1)).toEqual(['x#2']);
    expect(await queue.pending('c')).toBe(0);
  });
});

describe('reading ahead', () => {
  it("gives each item's handler the keys it asked for, as the previous item's write left them", async () => {
    const queue = newQueue<string>();
    const last = `${redis.prefix}:last:{c}`;
    await connection.set(last, 'before');
    const SET_LAST = new LuaScript(`redis.call('SET', KEYS[1], ARGV[1])
return 1`);
    const seen: (string | null | undefined)[] = [];
    queue.process(
      async (_conversationId, item, prefetched) => {
        seen.push(prefetched.get(last));
        return { write: { script: SET_LAST, keys: [last], args: [item.payload] } };
      },
      { concurrency: 2, log: memoryLogger().log, readAhead: () => [last] },
    );
    for (const payload of ['a', 'b', 'c']) await queue.enqueue('c', { id: payload, payload });
    await until(() => seen.length === 3);
    expect(seen).toEqual(['before', 'a', 'b']);
    // A key that does not exist reads as null, not as "unknown".
    await connection.del(last);
    await queue.enqueue('c', { id: 'd', payload: 'd' });
    await until(() => seen.length === 4);
    expect(seen[3]).toBeNull();
  });
});

describe('sequence', () => {
  it('runs several scripts as one, each with its own keys and arguments, returning the last result', async () => {
    const first = `${redis.prefix}:seq-a:{s}`;
    const second = `${redis.prefix}:seq-b:{s}`;
    const PAIR = new LuaScript(`redis.call('RPUSH', KEYS[1], ARGV[1], ARGV[2])
return redis.call('LLEN', KEYS[1])`);
    const call = sequence({ script: APPEND, keys: [first], args: ['one'] }, undefined, {
      script: PAIR,
      keys: [second],
      args: ['two', 'three'],
    });
    expect(await runCall(connection, call!)).toBe(2);
    expect(await connection.lrange(first, 0, -1)).toEqual(['one']);
    expect(await connection.lrange(second, 0, -1)).toEqual(['two', 'three']);
    // One call is itself; none is nothing to do.
    const single = { script: APPEND, keys: [first], args: ['x'] };
    expect(sequence(single)).toBe(single);
    expect(sequence(undefined)).toBeUndefined();
  });

  it('runs by source when Redis has forgotten the script (after a restart)', async () => {
    const key = `${redis.prefix}:seq-flush:{s}`;
    const call = sequence({ script: APPEND, keys: [key], args: ['1'] }, { script: APPEND, keys: [key], args: ['2'] })!;
    await connection.script('FLUSH');
    expect(await runCall(connection, call)).toBe(2);
    expect(await connection.lrange(key, 0, -1)).toEqual(['1', '2']);
  });
});

describe('the inbox sweeper', () => {
  it('wakes an inbox whose wake-up was lost, and forgets drained conversations', async () => {
    const queue = newQueue<string>();
    const keys = new RedisKeys(redis.prefix);
    const handled: string[] = [];
    // What a process killed between storing an item and marking its conversation ready leaves behind.
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
