import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../src/cases/case.ts';
import { CaseStore } from '../src/cases/case-store.ts';
import { RedisKeys } from '../src/redis/redis-keys.ts';
import { startTestRedis, type TestRedis } from './harness/test-redis.ts';

let redis: TestRedis;
let connection: Redis;
let store: CaseStore;
beforeAll(async () => {
  redis = await startTestRedis();
  connection = new Redis(redis.url, { maxRetriesPerRequest: 2 });
  store = new CaseStore(connection, new RedisKeys(redis.prefix));
});
afterAll(async () => {
  await connection?.quit();
  await redis?.stop();
});

const request = (conversationId: string, id: string, situation?: Record<string, string>): Case => ({
  id,
  conversationId,
  channel: 'http',
  reason: 'emergency',
  status: 'open',
  overdue: false,
  openedAt: `2026-12-01T10:00:0${id.slice(-1)}.000Z`,
  ...(situation ? { situation, ...(situation.country ? { country: situation.country } : {}) } : {}),
});

describe('one open case per conversation', () => {
  it('opens one case for requests that arrive at the same moment, and notes the others on it', async () => {
    const conversation = 'http:two-at-once';
    const results = await Promise.all(['C0000001', 'C0000002', 'C0000003', 'C0000004'].map((id) => store.open(request(conversation, id))));
    expect(results.filter((result) => result.opened)).toHaveLength(1);
    const cases = await store.forConversation(conversation);
    expect(cases).toHaveLength(1);
    const trail = await store.auditTrail(cases[0]!.id);
    expect(trail.filter((entry) => entry.event === 'asked_again')).toHaveLength(3);
  });

  it('takes where the person is now from a later request', async () => {
    const conversation = 'http:moved';
    await store.open(request(conversation, 'C0000011', { where: 'indonesia' }));
    const { case: updated, opened } = await store.open(request(conversation, 'C0000012', { where: 'abroad', country: 'MY' }));
    expect(opened).toBe(false);
    expect(updated).toMatchObject({ id: 'C0000011', country: 'MY', situation: { where: 'abroad', country: 'MY' } });
  });

  it('opens a new case once the last one is resolved, and a retried request finds its own', async () => {
    const conversation = 'http:again';
    const first = await store.open(request(conversation, 'C0000021'));
    expect((await store.open(request(conversation, 'C0000021'))).opened).toBe(false);
    await store.update(first.case.id, (current) => ({ ...current, status: 'resolved' }), { event: 'resolved', by: 'op' });
    const second = await store.open(request(conversation, 'C0000022'));
    expect(second).toMatchObject({ opened: true, case: { id: 'C0000022' } });
  });

  it('forgets the situation when the person deletes their data', async () => {
    const conversation = 'http:erase';
    const { case: opened } = await store.open(request(conversation, 'C0000031', { where: 'abroad', country: 'SA', sector: 'domestic' }));
    await store.anonymise(conversation, 'deleted:x');
    const after = await store.get(opened.id);
    expect(after?.situation).toBeUndefined();
    expect(after?.country).toBeUndefined();
    expect(after?.conversationId).toBe('deleted:x');
  });
});
