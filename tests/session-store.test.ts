import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { SessionStore } from '../src/pipeline/session-store.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let keys: RedisKeys;
let store: SessionStore;
beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
  keys = new RedisKeys(redis.prefix);
  store = new SessionStore(connection, keys, 60);
});
afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

describe('sessions read back from Redis', () => {
  const saved = (conversationId: string, situation: unknown) =>
    JSON.stringify({ v: 1, conversationId, language: 'id', vars: { welcomed: true }, situation, updatedAt: 'x' });

  it('keep a situation that is one', async () => {
    await connection.set(keys.session('http:kept'), saved('http:kept', { country: 'MY', sector: 'domestic' }));
    expect((await store.load('http:kept', 'now')).situation).toEqual({ country: 'MY', sector: 'domestic' });
  });

  it('forget a situation that is not one, and keep the rest', async () => {
    await connection.set(keys.session('http:bad'), saved('http:bad', { country: 'Malaysia', stage: 'astronaut' }));
    const session = await store.load('http:bad', 'now');
    expect(session.situation).toBeUndefined();
    expect(session).toMatchObject({ language: 'id', vars: { welcomed: true } });
  });

  it('start afresh from a value that is not JSON, or not a session of this version', async () => {
    for (const [name, raw] of [
      ['torn', '{"v":1,"conversationId":"http:t'],
      ['array', '[1,2]'],
      ['future', JSON.stringify({ v: 2, vars: { welcomed: true } })],
    ] as const) {
      await connection.set(keys.session(`http:${name}`), raw);
      expect(await store.load(`http:${name}`, 'now'), name).toEqual({ v: 1, conversationId: `http:${name}`, vars: {}, updatedAt: 'now' });
    }
  });

  it('keep the fields that pass and drop the ones that do not', async () => {
    const raw = JSON.stringify({
      v: 1,
      conversationId: 'http:someone-else',
      language: 'id',
      waiting: { flow: 'migrate', node: 42 },
      vars: { welcomed: true, district: 'ID-3212', broken: { nested: 'object' }, list: [1, 2] },
      situation: { country: 'MY' },
      updatedAt: 7,
    });
    await connection.set(keys.session('http:mixed'), raw);
    expect(await store.load('http:mixed', 'now')).toEqual({
      v: 1,
      // The key says whose session it is, not the value.
      conversationId: 'http:mixed',
      language: 'id',
      vars: { welcomed: true, district: 'ID-3212' },
      situation: { country: 'MY' },
      updatedAt: 'now',
    });
  });
});
