import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../src/cases/case-store.ts';
import { PersonDataEraser } from '../src/pipeline/person-data-eraser.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let keys: RedisKeys;
let eraser: PersonDataEraser;
const SECOND_PASS_MS = 1_000;

beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
  keys = new RedisKeys(redis.prefix);
  eraser = new PersonDataEraser({ redis: connection, keys, cases: new CaseStore(connection, keys), secondPassAfterMs: SECOND_PASS_MS });
});
afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

/** The keys of this test's Redis that name `conversationId`. */
async function keysNaming(conversationId: string): Promise<string[]> {
  return (await connection.keys(`${redis.prefix}:*`)).filter((key) => key.includes(conversationId)).sort();
}

describe('the second pass of "delete my data"', () => {
  it('waits while the confirmation is still to be delivered, then takes what its delivery left', async () => {
    const conversation = 'whatsapp-cloud:6281300004444';
    await connection.set(keys.session(conversation), '{"flow":"main"}');
    const { keysDeleted } = await eraser.erase(conversation);
    expect(keysDeleted).toBe(1);

    // The confirmation waits in the outbound inbox (the platform is slow or down).
    const inbox = keys.queueItems('outbound-whatsapp-cloud', conversation);
    await connection.rpush(inbox, '{"id":"confirmation"}');
    const due = Date.now() + SECOND_PASS_MS;
    expect(await eraser.sweep(due)).toBe(0);
    expect(await keysNaming(conversation)).toEqual([inbox]);
    expect(await connection.zscore(keys.erasuresDue(), conversation)).not.toBeNull();

    // Delivered: its marker is written, then the item leaves the inbox.
    const marker = keys.delivered('whatsapp-cloud', conversation, 'confirmation');
    await connection.set(marker, '1');
    await connection.del(inbox);
    expect(await eraser.sweep(due + 60_000)).toBe(1);
    expect(await keysNaming(conversation)).toEqual([]);
    expect(await connection.zscore(keys.erasuresDue(), conversation)).toBeNull();
  });

  it('stays scheduled until its keys are gone, so a worker that dies mid-pass leaves it to another', async () => {
    const conversation = 'http:erase-crash';
    await eraser.erase(conversation);
    await connection.set(keys.session(conversation), '{"flow":"main"}');
    const due = Date.now() + SECOND_PASS_MS;

    // A worker takes the pass and dies before deleting anything: the entry is leased, not gone.
    const schedule = keys.erasuresDue();
    const leased = due + 60_000;
    await connection.zadd(schedule, leased, conversation);
    expect(await eraser.sweep(due)).toBe(0);
    expect(await keysNaming(conversation)).not.toEqual([]);

    // Once the lease has run out, another worker finishes it.
    expect(await eraser.sweep(leased)).toBe(1);
    expect(await keysNaming(conversation)).toEqual([]);
    expect(await connection.zcard(schedule)).toBe(0);
  });

  it('is done by one worker when several sweep at once', async () => {
    const conversation = 'http:erase-race';
    await eraser.erase(conversation);
    await connection.set(keys.session(conversation), '{"flow":"main"}');
    const due = Date.now() + SECOND_PASS_MS;
    const cleared = await Promise.all([eraser.sweep(due), eraser.sweep(due), eraser.sweep(due)]);
    expect(cleared.reduce((sum, n) => sum + n, 0)).toBe(1);
    expect(await keysNaming(conversation)).toEqual([]);
  });
});
