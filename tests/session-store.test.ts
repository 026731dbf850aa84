import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { SessionStore } from '../src/session/session-store.ts';
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
});
